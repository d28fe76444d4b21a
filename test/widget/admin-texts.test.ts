/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/admin/index.ts';
import { adminLanguageOf } from '../../widget/admin/language.ts';
import { adminEn } from '../../widget/admin/texts.ts';
import { adminFr } from '../../widget/admin/texts-fr.ts';

type Entry = { path: string; value: unknown };

/** Every leaf of a dictionary (strings, functions, list items), with its path: `stats.period`, `request.reasons.0`. */
function leaves(value: unknown, path = ''): Entry[] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [{ path, value }];
}

/** Sample arguments for a text's function, tried in turn: numbers and words, then lists of words where one is wanted. */
const SAMPLES = (n: number) => [
  Array.from({ length: n }, (_, i) => (i === 0 ? 2 : `mot${i}`)),
  Array.from({ length: n }, (_, i) => (i === 0 ? 'Mot' : ['Mot1', 'Mot2'])),
];

/** What a text says: a string as it is, a function called with the first sample arguments it takes. */
function said(value: unknown): string {
  if (typeof value !== 'function') return String(value);
  for (const args of SAMPLES(value.length)) {
    try {
      return String((value as (...a: unknown[]) => unknown)(...args));
    } catch {
      // the next sample
    }
  }
  throw new Error(`no sample arguments suit ${value}`);
}

/**
 * Whether a text is a phrase, which two languages never spell alike: three words or more of its own (the
 * sample arguments aside). Single words may be the same in both ("Note", "Actions", "Agent").
 */
const phrase = (text: string) => text.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w) && !/^mot\d*$/i.test(w) && !/undefined/.test(w)).length >= 3;

describe('the back office’s dictionaries', () => {
  const en = leaves(adminEn);
  const fr = leaves(adminFr);

  it('French holds every English key, deeply, and nothing more', () => {
    expect(fr.map((e) => e.path).sort()).to.deep.equal(en.map((e) => e.path).sort());
  });

  it('each text has the same kind in both (a string, a function of as many arguments)', () => {
    const kinds = (entries: Entry[]) => entries.map((e) => `${e.path}: ${typeof e.value}${typeof e.value === 'function' ? `/${(e.value as () => void).length}` : ''}`);
    expect(kinds(fr).sort()).to.deep.equal(kinds(en).sort());
  });

  it('no English phrase is left in French, nor French in English', () => {
    const french = new Map(fr.map((e) => [e.path, e.value]));
    const same = en.filter((e) => {
      const [a, b] = [said(e.value), said(french.get(e.path))];
      return a === b && phrase(a);
    });
    expect(same.map((e) => `${e.path}: ${said(e.value)}`)).to.deep.equal([]);
  });

  it('numbers and dates follow each language', () => {
    expect(adminEn.locale).to.match(/^en\b/);
    expect(adminFr.locale).to.match(/^fr\b/);
  });
});

describe('the back office speaks the language its page gives it, as the widget does', () => {
  it('its own lang, else the closest ancestor’s (across shadow roots), else the page’s', async () => {
    const own = await fixture<HTMLElement>(html`<div lang="en"><span lang="fr-CA"></span></div>`);
    expect(adminLanguageOf(own.querySelector('span')!)).to.equal('fr');
    const inherited = await fixture<HTMLElement>(html`<section lang="fr"><p><b></b></p></section>`);
    expect(adminLanguageOf(inherited.querySelector('b')!)).to.equal('fr');
    const host = await fixture<HTMLElement>(html`<div lang="fr"></div>`);
    const inside = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('i'));
    expect(adminLanguageOf(inside)).to.equal('fr');
    const plain = await fixture<HTMLElement>(html`<p></p>`);
    expect(adminLanguageOf(plain)).to.equal('en', 'the test page is <html lang="en">');
  });

  it('a language it does not speak gives English; no lang anywhere, the browser’s', async () => {
    const german = await fixture<HTMLElement>(html`<p lang="de"></p>`);
    expect(adminLanguageOf(german)).to.equal('en');
    const page = document.documentElement.getAttribute('lang');
    document.documentElement.removeAttribute('lang');
    try {
      const orphan = await fixture<HTMLElement>(html`<p></p>`);
      expect(adminLanguageOf(orphan)).to.equal(navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en');
    } finally {
      document.documentElement.setAttribute('lang', page!);
    }
  });

  it('the back office in a French block of an English page is in French', async () => {
    const block = await fixture<HTMLElement>(html`<div lang="fr"><georeport-admin></georeport-admin></div>`);
    const office = block.querySelector('georeport-admin')!;
    await waitUntil(() => office.shadowRoot?.querySelector('h1'), 'the login form shows');
    expect(office.shadowRoot!.querySelector('h1')!.textContent).to.equal(adminFr.title);
    expect(office.shadowRoot!.querySelector('button[type=submit]')!.textContent).to.equal(adminFr.login.submit);
  });
});
