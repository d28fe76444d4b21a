/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { $, choose, form, next, send, SERVER, toDetails, type } from './helpers.ts';

/** A form placed in `template`, its catalogue loaded. */
async function placed(template: ReturnType<typeof html>): Promise<GeoReportForm> {
  localStorage.clear();
  const root = await fixture<HTMLElement>(template);
  const el = root.localName === 'georeport-form' ? (root as GeoReportForm) : root.querySelector('georeport-form')!;
  await waitUntil(() => Array.isArray(el.catalogue), 'the catalogue loads');
  await el.updateComplete;
  return el;
}

const title = (el: GeoReportForm) => $(el, '.title').textContent;
const streetlight = (el: GeoReportForm) => $(el, '#service-lampadaire').closest('label')!.querySelector('.choice-name')!.textContent;

/**
 * Every piece of text a resident meets (text and accessible names), in document order. Words that are
 * the same in both languages are left out.
 */
function visibleTexts(el: GeoReportForm): string[] {
  const SAME_IN_BOTH = new Set(['Description', 'Photos', 'Organisation', 'Suggestion', 'Photo 1']);
  const texts: string[] = [];
  const walker = document.createTreeWalker(el.shadowRoot!, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Element) {
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) if (node.getAttribute(name)) texts.push(node.getAttribute(name)!);
    } else if (node.textContent!.trim()) texts.push(node.textContent!.trim());
  }
  return texts.filter((t) => /\p{L}/u.test(t) && !SAME_IN_BOTH.has(t));
}

/** Walks a streetlight report in `lang`, collecting the texts of each step, its errors, and the result. */
async function textsOfEveryStep(lang: string): Promise<string[][]> {
  const el = await form(lang);
  const seen = [visibleTexts(el)];
  await next(el); // category error
  seen.push(visibleTexts(el));
  await choose(el, '#service-lampadaire');
  await next(el);
  await next(el); // location error
  seen.push(visibleTexts(el));
  await type(el, '#address', '12');
  await next(el);
  await waitUntil(() => el.definition.length > 0, 'the attributes load');
  await type(el, '#attr-nombre', 'x');
  await next(el); // details errors
  seen.push(visibleTexts(el));
  await type(el, '#attr-nombre', '1');
  await choose(el, 'input[name=attr-panne][value=eteint]');
  await next(el);
  seen.push(visibleTexts(el));
  await next(el);
  await choose(el, 'input[name=mode][value=organisation]');
  await type(el, '#email', '@');
  await next(el); // contact errors
  seen.push(visibleTexts(el));
  await choose(el, 'input[name=mode][value=anonymous]');
  await next(el);
  seen.push(visibleTexts(el));
  await send(el);
  seen.push(visibleTexts(el).filter((t) => !/^\d+$/.test(t)));
  return seen;
}

describe('georeport-form languages', () => {
  it('speaks its own lang first, then its closest ancestor’s, region subtags aside', async () => {
    const own = await placed(html`<div lang="fr"><georeport-form lang="en" server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key"></georeport-form></div>`);
    expect(title(own)).to.equal('Report a problem');
    expect(streetlight(own)).to.equal('Streetlight out', 'the catalogue comes in the same language');
    const ancestor = await placed(html`<section lang="fr-CA"><div><georeport-form server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key"></georeport-form></div></section>`);
    expect(title(ancestor)).to.equal('Signaler un problème');
    expect(streetlight(ancestor)).to.equal('Lampadaire en panne');
  });

  it('falls back on the page’s language, then on English for a language it does not know', async () => {
    const page = document.documentElement.lang;
    try {
      document.documentElement.lang = 'fr';
      const el = await placed(html`<georeport-form server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key"></georeport-form>`);
      expect(title(el)).to.equal('Signaler un problème');
      document.documentElement.lang = 'de';
      const unknown = await placed(html`<georeport-form server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key"></georeport-form>`);
      expect(title(unknown)).to.equal('Report a problem');
      expect(streetlight(unknown)).to.equal('Streetlight out');
    } finally {
      document.documentElement.lang = page;
    }
  });

  it('shows the service’s questions in the resident’s language', async () => {
    const fr = await form('fr');
    await toDetails(fr);
    expect($(fr, 'label[for=attr-nombre]').textContent).to.contain('Nombre de lampadaires concernés');
    expect($(fr, '#attr-panne').textContent).to.contain('Clignote');
    const en = await form('en');
    await toDetails(en);
    expect($(en, 'label[for=attr-nombre]').textContent).to.contain('How many streetlights are affected');
    expect($(en, '#attr-panne').textContent).to.contain('Flickering');
  });

  it('leaves no text untranslated at any step, errors and result included', async () => {
    const fr = await textsOfEveryStep('fr');
    const en = await textsOfEveryStep('en');
    fr.forEach((texts, step) => {
      expect(texts.length, `step ${step}: the same texts in both languages`).to.equal(en[step]!.length);
      const same = texts.filter((t, i) => t === en[step]![i]);
      expect(same, `step ${step}: the same in French and English`).to.deep.equal([]);
    });
  });
});
