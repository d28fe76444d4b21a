import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/admin/index.ts';
import type { AdminMap } from '../../widget/admin/admin-map.ts';

declare global {
  interface Window {
    __xss?: number;
  }
}

describe('security: the back office’s map (item 10)', () => {
  it('shows a resident’s address in a point’s tooltip as text, never as markup', async () => {
    window.__xss = 0;
    const address = '<img src=x onerror="window.__xss=1"><b>12 rue Haute</b>';
    const el = await fixture<AdminMap>(html`<georeport-admin-map label="Carte"></georeport-admin-map>`);
    el.tiles = { url: 'http://127.0.0.1:9/{z}/{x}/{y}.png', attribution: '' };
    el.points = [{ lat: 47.39, long: 0.68, title: address }];
    await el.updateComplete;
    const dot = el.shadowRoot!.querySelector('path.leaflet-interactive')!;
    dot.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await waitUntil(() => el.shadowRoot!.querySelector('.leaflet-tooltip'), 'the tooltip opens');
    const tooltip = el.shadowRoot!.querySelector('.leaflet-tooltip')!;
    expect(tooltip.textContent).to.equal(address);
    expect(tooltip.querySelector('img, b')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__xss).to.equal(0);
  });
});
