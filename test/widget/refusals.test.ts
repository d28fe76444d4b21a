/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import type { Messages } from '../../widget/i18n/index.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { checkContact } from '../../widget/report-form/steps/contact.ts';
import { emptyDraft } from '../../widget/report-form/draft.ts';
import { $, $$, choose, focused, form, next, send, settled, SERVER, stepTitle, stored, type, type FormOptions } from './helpers.ts';
import { mapAt } from './map-helpers.ts';

const PLAIN = window.GEOREPORT_PLAIN_SERVER;
const LANGS: [string, Messages][] = [['fr', fr], ['en', en]];
/** Outside the plain server's town (its area runs from 47.35 to 47.45 north). */
const OUTSIDE = { lat: 47.6, long: 0.7 };

/** A form opened on a draft saved at the review step, as a resident coming back to it would find it. */
async function reviewOf(lang: string, draft: Record<string, unknown>, options: FormOptions = {}): Promise<GeoReportForm> {
  localStorage.clear();
  localStorage.setItem(`georeport-draft:${options.server ?? SERVER}:ville.example`, JSON.stringify({
    step: 5, serviceCode: 'nid-de-poule', attributes: { taille: ['petit'] }, location: { lat: null, long: null, address: '3 place du Marché' }, ...draft,
  }));
  const el = await form(lang, { keepDraft: true, ...options });
  await waitUntil(() => el.setup !== null && el.definition.length > 0, 'the set-up is checked and the questions are loaded');
  await el.updateComplete;
  return el;
}

/** Every summary shown (there must be one at most) and the axe-core audit of the state. */
async function oneSummaryAndAccessible(el: GeoReportForm, state: string) {
  expect($$(el, '.summary').length, `${state}: one summary`).to.equal(1);
  try {
    await expect(el).to.be.accessible();
  } catch (e) {
    throw new Error(`${state}: ${(e as Error).message}`);
  }
}

/** A JPEG of noise, which no encoder makes small: well over the plain server's 10 kB per photo. */
async function noisyPhoto(): Promise<File> {
  const canvas = new OffscreenCanvas(600, 600);
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(600, 600);
  for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = i % 4 === 3 ? 255 : (i * 2654435761) % 251;
  context.putImageData(pixels, 0, 0);
  return new File([await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })], 'bruit.jpg', { type: 'image/jpeg' });
}

describe('refusals, in the form’s words', () => {
  for (const [lang, t] of LANGS) {
    it(`${lang}: a place outside the town goes back to the location step, marked, with the administrator’s message as written`, async () => {
      const el = await reviewOf(lang, { location: { ...OUTSIDE, address: '' } }, { server: PLAIN });
      await next(el);
      await settled(el);
      expect(stepTitle(el)).to.equal(t.steps.location);
      expect($(el, '#address-error').textContent).to.equal(t.refusals['location.outside']);
      expect($(el, '#outside-note').textContent).to.equal(window.GEOREPORT_OUTSIDE_MESSAGE[lang as 'fr' | 'en'], 'the administrator’s words, as written');
      expect($(el, '#address').getAttribute('aria-invalid')).to.equal('true');
      expect($(el, '#address').getAttribute('aria-describedby')).to.contain('address-error');
      expect(focused(el)).to.equal('#address');
      expect($(el, '.summary').textContent).to.equal(t.fixErrors(1));
      await oneSummaryAndAccessible(el, 'outside the town');
    });

    it(`${lang}: a phone number the server refuses is worded by the form, beside the field, focused`, async () => {
      const el = await reviewOf(lang, { contact: { mode: 'person', phone: 'appelez-moi', consent: true } });
      await next(el);
      await settled(el);
      expect(stepTitle(el)).to.equal(t.steps.contact);
      expect($(el, '#phone-error').textContent).to.equal(t.refusals['phone.invalid']);
      expect(focused(el)).to.equal('#phone');
      await oneSummaryAndAccessible(el, 'phone refused by the server');
    });

    it(`${lang}: a photo too large for the server goes back to the photos, with its message`, async () => {
      const el = await reviewOf(lang, {}, { server: PLAIN });
      $<HTMLButtonElement>(el, '.review-row:nth-child(4) button').click(); // change: photos
      await el.updateComplete;
      const transfer = new DataTransfer();
      transfer.items.add(await noisyPhoto());
      const input = $<HTMLInputElement>(el, '#photos');
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await waitUntil(() => el.photos.length === 1, 'the photo is prepared');
      expect(el.photos[0]!.blob.size).to.be.above(10_240);
      await next(el); // contact
      await next(el); // review
      await next(el); // send
      await settled(el);
      expect(stepTitle(el)).to.equal(t.steps.photos);
      expect($(el, '#photos-error').textContent).to.equal(t.refusals['photo.too_large']);
      expect(focused(el)).to.equal('#photos');
      await oneSummaryAndAccessible(el, 'photo too large');
    });

    it(`${lang}: the rate limit says how long to wait, in one summary, and keeps everything`, async () => {
      const key = window.GEOREPORT_LIMITED_KEY;
      await fetch(`${SERVER}open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ api_key: key }) }); // spends its one a minute, if not yet
      const el = await reviewOf(lang, {}, { apiKey: key });
      await next(el);
      await settled(el);
      const seconds = Number(/\d+/.exec($(el, '#failure').textContent!)?.[0]);
      expect(seconds).to.be.within(1, 60);
      expect($(el, '#failure').textContent).to.equal(t.refusals['rate.requests']({ label: '', max: 0, seconds }));
      expect(focused(el)).to.equal('#failure');
      expect(stepTitle(el)).to.equal(t.steps.review);
      await oneSummaryAndAccessible(el, 'rate limited');
    });
  }

  it('the form refuses a phone number the server would refuse before sending anything', async () => {
    const posts: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => (init?.method === 'POST' && posts.push(String(input)), realFetch(input, init));
    try {
      const el = await reviewOf('fr', {});
      $<HTMLButtonElement>(el, '.review-row:nth-child(5) button').click(); // change: contact
      await el.updateComplete;
      await choose(el, 'input[name=mode][value=person]');
      await type(el, '#phone', '12');
      await choose(el, '#consent');
      await next(el);
      expect(stepTitle(el)).to.equal('Vous');
      expect($(el, '#phone-error').textContent).to.equal(fr.refusals['phone.invalid']);
      expect(focused(el)).to.equal('#phone');
      expect(posts).to.deep.equal([], 'nothing sent');
      await oneSummaryAndAccessible(el, 'phone refused by the form');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('files as web, so the city’s statistics tell the widget from API clients', async () => {
    const el = await reviewOf('fr', {});
    const id = await send(el);
    expect((await stored(id)).channel).to.equal('web');
  });
});

describe('the checks the form and the server share', () => {
  /** Each phone and e-mail as the form judges it, then as the server does. */
  const PHONES = ['02 47 00 00 00', '+33 6 12 34 56 78', '0612345678', '(02) 47.00.00.00', '12', '12345', 'appelez-moi', '06 12 34 56 78 poste 4', '0033 6 12 34 56 78', '+33+6', '1'.repeat(16)];
  const EMAILS = ['jeanne@example.fr', 'élodie@exemple.fr', 'a.b+c@sous.exemple.fr', 'jeanne@example', 'jeanne', 'a@b.fr, c@d.fr', 'Jeanne <j@example.fr>', 'j @example.fr', `${'a'.repeat(65)}@example.fr`];

  it('accept and refuse the same phones and e-mails', async () => {
    const rows: string[] = [];
    for (const [field, values] of [['phone', PHONES], ['email', EMAILS]] as const) {
      for (const value of values) {
        const draft = emptyDraft();
        draft.contact = { ...draft.contact, mode: 'person', consent: true, [field]: value };
        const form = !checkContact({ t: fr, draft })[field];
        const res = await fetch(`${SERVER}open311/v2/requests.json`, {
          method: 'POST',
          body: new URLSearchParams({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', lat: '47.39', long: '0.68', device_id: `checks-${field}-${value}`, [field]: value }),
        });
        const server = res.status === 200;
        rows.push(`${field} ${JSON.stringify(value)}: form ${form ? 'accepts' : 'refuses'}, server ${server ? 'accepts' : 'refuses'}`);
        if (!server) expect((await res.json())[0].reason).to.equal(`${field}.invalid`);
      }
    }
    const disagreements = rows.filter((r) => /form accepts, server refuses|form refuses, server accepts/.test(r));
    expect(disagreements, rows.join('\n')).to.deep.equal([]);
    expect(rows.filter((r) => r.includes('refuses')).length, 'some are refused').to.be.above(5);
  });
});

describe('a set-up problem shows when the form loads, not at Send', () => {
  const cases: [string, FormOptions, keyof Messages['setup']][] = [
    ['a wrong key', { apiKey: 'pas-une-cle' }, 'key.invalid'],
    ['a key that may only post updates', { apiKey: '' }, 'key.scope'],
    ['no key', { apiKey: '' }, 'key.missing'],
    ['an unknown town', { jurisdiction: 'nulle-part.example' }, 'jurisdiction.unknown'],
    ['a server that does not answer', { server: 'http://127.0.0.1:9/' }, 'unreachable'],
  ];
  for (const [lang, t] of LANGS) {
    for (const [what, options, problem] of cases) {
      it(`${lang}: ${what}`, async () => {
        const logged: string[] = [];
        const realError = console.error;
        console.error = (...args: unknown[]) => void logged.push(args.join(' '));
        try {
          const apiKey = problem === 'key.scope' ? window.GEOREPORT_UPDATES_ONLY_KEY : options.apiKey;
          const el = problem === 'key.missing' ? await formWithoutKey(lang) : await form(lang, { ...options, apiKey });
          await waitUntil(() => typeof el.setup === 'string', 'the problem is found', { timeout: 5000 });
          await el.updateComplete;
          expect($(el, '#setup-problem').textContent).to.equal(`${t.setup.unavailable} ${t.setup[problem]}`);
          expect($(el, '#setup-problem').getAttribute('role')).to.equal('alert');
          expect(logged.join('\n')).to.match(/^<georeport-form> cannot file reports: /);
          expect($$(el, '.nav button'), 'no step to fill in for nothing').to.deep.equal([]);
          await expect(el).to.be.accessible();
        } finally {
          console.error = realError;
        }
      });
    }
  }

  /** A form whose web editor forgot the `api-key` attribute. */
  async function formWithoutKey(lang: string): Promise<GeoReportForm> {
    const el = await fixture<GeoReportForm>(html`<div lang=${lang}><georeport-form server=${SERVER} jurisdiction="ville.example" no-map></georeport-form></div>`)
      .then((d) => d.querySelector('georeport-form')!);
    return el;
  }

  it('a correct set-up shows the form as always', async () => {
    const el = await form('fr');
    await waitUntil(() => el.setup !== null);
    expect(typeof el.setup).to.equal('object');
    expect($$(el, '#setup-problem')).to.deep.equal([]);
  });
});

describe('e-mail is offered only where the server sends it', () => {
  it('without SMTP: no updates by e-mail in the contact step nor in "me too"', async () => {
    const el = await reviewOf('fr', {}, { server: PLAIN });
    expect(el.setup).to.include({ email_updates: false });
    $<HTMLButtonElement>(el, '.review-row:nth-child(5) button').click(); // change: contact
    await el.updateComplete;
    await choose(el, 'input[name=mode][value=person]');
    await type(el, '#email', 'jeanne@example.fr');
    expect($$(el, '#email-updates')).to.deep.equal([]);
    await expect(el).to.be.accessible();

    const map = await mapAt(47.39, 0.68, 15, 'fr', true, PLAIN);
    const open = () => map.shadowRoot!.querySelector('.reports__item .status--open')?.closest('button');
    await waitUntil(open, 'the list shows an open report');
    open()!.click();
    await waitUntil(() => map.selected !== null, 'the detail opens');
    await map.updateComplete;
    expect(map.shadowRoot!.querySelector('.detail__follow'), 'me too is there').not.to.equal(null);
    expect(map.shadowRoot!.querySelector('#follow-email'), 'without an e-mail').to.equal(null);
  });

  it('with SMTP: following from the duplicates panel offers e-mail, with the double opt-in note', async () => {
    const spot = { lat: 47.4127, long: 0.6911 };
    const filed = await fetch(`${SERVER}open311/v2/requests.json`, {
      method: 'POST', body: new URLSearchParams({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'nid-de-poule', 'attribute[taille]': 'petit', lat: String(spot.lat), long: String(spot.long) }),
    });
    expect(filed.status).to.equal(200);
    const el = await form('fr', { noMap: false, center: `${spot.lat},${spot.long}`, zoom: 17 });
    await waitUntil(() => el.setup !== null);
    await choose(el, '#service-nid-de-poule');
    await next(el);
    $(el, '.map__canvas').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await next(el);
    await waitUntil(() => el.shadowRoot!.querySelector('.duplicates'), 'nearby requests are offered');
    await el.updateComplete;
    await type(el, '#duplicates-email', 'pas-une-adresse');
    $<HTMLButtonElement>(el, '.duplicates li button').click();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect($(el, '#duplicates-email-error').textContent).to.equal(fr.follow.emailInvalid);
    expect(focused(el)).to.equal('#duplicates-email');
    await expect(el).to.be.accessible();
    await type(el, '#duplicates-email', 'voisin@example.fr');
    $<HTMLButtonElement>(el, '.duplicates li button').click();
    await waitUntil(() => el.status === 'sent', 'following ends the report');
    await el.updateComplete;
    expect($(el, '.result .notice').textContent).to.equal(fr.follow.checkInbox);
  });
});
