/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { GeoReportWidget } from '../../widget/georeport-widget.ts';
import { SERVER } from './helpers.ts';

/** The colour attributes a CMS prints where a page's policy would drop a `style` attribute. */
describe('colour attributes', () => {
  it('colour the widget and the parts inside it, and leave its other attributes working', async () => {
    localStorage.clear();
    const el = await fixture<GeoReportWidget>(html`<georeport-widget lang="fr" server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key"
      services="lampadaire,nid-de-poule" accent="#7a1f5c" accent-text="#ffffe0" text-color="#123456" background-color="#fafafa"></georeport-widget>`);
    const form = () => el.shadowRoot!.querySelector('georeport-form')!;
    await waitUntil(() => form()?.shadowRoot?.querySelector('#service-lampadaire'), 'the form loads', { timeout: 5000 });
    const button = form().shadowRoot!.querySelector('button[type=submit]')!;
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(122, 31, 92)');
    expect(getComputedStyle(button).color).to.equal('rgb(255, 255, 224)');
    expect(getComputedStyle(form()).color).to.equal('rgb(18, 52, 86)');
    expect(getComputedStyle(form()).backgroundColor).to.equal('rgb(250, 250, 250)');
    const offered = [...form().shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=service]')].map((i) => i.value).sort();
    expect(offered).to.deep.equal(['lampadaire', 'nid-de-poule'], 'services still read');
  });

  it('take only #rgb or #rrggbb, and go when the attribute goes', async () => {
    const el = await fixture<HTMLElement>(html`<georeport-status server=${SERVER} accent="#abc" text-color="red; background: url(https://evil.example/)"></georeport-status>`);
    await customElements.whenDefined('georeport-status'); // its code loads once the page has one
    expect(el.style.getPropertyValue('--georeport-accent')).to.equal('#abc');
    expect(el.style.getPropertyValue('--georeport-text')).to.equal('');
    expect(el.getAttribute('style')).not.to.contain('evil');
    el.setAttribute('accent', '#123456');
    expect(el.style.getPropertyValue('--georeport-accent')).to.equal('#123456');
    el.removeAttribute('accent');
    expect(el.style.getPropertyValue('--georeport-accent')).to.equal('');
  });
});
