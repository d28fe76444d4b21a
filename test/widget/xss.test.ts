/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { $, $$, choose, form, next, toDetails, type } from './helpers.ts';

declare global {
  interface Window {
    /** Set by the markup in the xss.example catalogue, should it ever run. */
    __xss?: number;
  }
}

const IMG = '<img src=x onerror="window.__xss=1">';
/** Elements only markup from the catalogue could have created. */
/** Markup a catalogue or a resident managed to plant (the form's own group icons aside). */
const injected = (el: GeoReportForm) => $$(el, 'img, script, svg:not(.group-icon), b, i, u, em, strong').map((e) => e.outerHTML);
/** Lets a planted `onerror` run, if anything was planted. */
const settle = () => new Promise((r) => setTimeout(r, 100));

/** The demo key files in the demo city only: this town's form needs a key valid everywhere (the integration's). */
const ANY_TOWN_KEY = window.GEOREPORT_UPDATES_KEY;

describe('georeport-form with a catalogue carrying markup', () => {
  beforeEach(() => {
    delete window.__xss;
  });

  it('shows service names, descriptions and group names as text', async () => {
    const el = await form('en', { jurisdiction: 'xss.example', apiKey: ANY_TOWN_KEY });
    const choice = $(el, '#service-img-name').closest('label')!;
    expect(choice.querySelector('.choice-name')!.textContent).to.equal(`${IMG} Broken lamp`);
    expect(choice.querySelector('.choice-desc')!.textContent).to.equal('<b>bold</b> description <script>window.__xss=2</script>');
    expect($(el, '.group-name').textContent).to.equal(`<b>Bold group</b> ${IMG}`);
    expect($(el, '.group').getAttribute('aria-label')).to.equal(`<b>Bold group</b> ${IMG}`);
    await type(el, '#search', 'italic');
    expect($$<HTMLInputElement>(el, 'input[name=service]').map((i) => i.value)).to.deep.equal(['img-name'], 'keywords are searched as text');
    await settle();
    expect(injected(el)).to.deep.equal([]);
    expect(window.__xss).to.equal(undefined);
  });

  it('shows attribute labels, hints, notes and choices as text, up to the review', async () => {
    const el = await form('en', { jurisdiction: 'xss.example', apiKey: ANY_TOWN_KEY });
    await toDetails(el, 'img-name', `${IMG} 3 Main Street`);
    expect($(el, '#attr-warning').textContent).to.equal(`<strong>Danger</strong> ${IMG}`);
    expect($(el, 'label[for=attr-label]').textContent).to.equal('<em>Pole</em> number "><svg onload="window.__xss=3"> (required)');
    expect($(el, '#attr-label-hint').textContent).to.equal('<u>For example</u> EP-1234');
    expect($(el, '#attr-kind legend').textContent).to.equal('<i>Kind</i> of fault (required)');
    expect($$(el, '#attr-kind .choice span').map((s) => s.textContent)).to.deep.equal([`${IMG} Off`, '<b>Flickering</b>']);
    await next(el); // errors name the fields by their labels
    expect($(el, '#attr-label-error').textContent).to.equal('<em>Pole</em> number "><svg onload="window.__xss=3"> is required.');
    await type(el, '#attr-label', '<b>EP-1</b>');
    await choose(el, 'input[name=attr-kind][value=off]');
    await type(el, '#description', '<script>window.__xss=4</script>');
    await next(el);
    await next(el);
    await next(el);
    const review = $(el, '.review').textContent!;
    for (const text of [`${IMG} Broken lamp`, `${IMG} 3 Main Street`, '<script>window.__xss=4</script>', `${IMG} Off`, '<b>EP-1</b>']) {
      expect(review).to.contain(text);
    }
    await settle();
    expect(injected(el)).to.deep.equal([]);
    expect(window.__xss).to.equal(undefined);
  });
});
