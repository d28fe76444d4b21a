/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { $, $$, answerStreetlight, focused, form, next, publicRequest, send, settled, SERVER, stepTitle, toDetails, type, type FormOptions } from './helpers.ts';

const DRAFT_KEY = `georeport-draft:${SERVER}:ville.example`;

/** A streetlight report walked to the review step, with its description. */
async function toReview(lang = 'fr', options: FormOptions = {}): Promise<GeoReportForm> {
  const el = await form(lang, options);
  await toDetails(el);
  await answerStreetlight(el);
  await type(el, '#description', 'Rue sombre depuis hier');
  await next(el);
  await next(el); // no photo
  await next(el); // anonymous
  return el;
}

/** A form opened on a draft saved at the review step, as a resident coming back would find it. */
async function reviewOf(draft: Record<string, unknown>): Promise<GeoReportForm> {
  localStorage.clear();
  localStorage.setItem(DRAFT_KEY, JSON.stringify({ step: 5, location: { lat: null, long: null, address: '3 place du Marché' }, ...draft }));
  const el = await form('fr', { keepDraft: true });
  expect(stepTitle(el)).to.equal('Vérifier et envoyer');
  if (draft.serviceCode === 'lampadaire') await waitUntil(() => el.definition.length > 0, 'the attributes load');
  return el;
}

describe('georeport-form when sending fails', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('keeps everything when the network is down, says so, and sends on retry', async () => {
    // The network boundary: POSTs fail as they do offline; everything else reaches the real server.
    let offline = true;
    window.fetch = (input, init) =>
      offline && init?.method === 'POST' ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init);
    const el = await toReview();
    await next(el);
    await settled(el);
    expect($(el, '#failure').textContent).to.equal('Le signalement n’a pas pu être envoyé : pas de connexion au serveur. Rien n’est perdu ; réessayez.');
    expect($(el, '#failure').getAttribute('role')).to.equal('alert');
    expect(focused(el)).to.equal('#failure', 'focus moves to the message');
    expect(stepTitle(el)).to.equal('Vérifier et envoyer');
    expect($(el, '.review').textContent).to.contain('Rue sombre depuis hier');
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY)!).description).to.equal('Rue sombre depuis hier', 'the draft is kept');

    offline = false;
    const id = await send(el);
    expect((await publicRequest(id)).description).to.equal('Rue sombre depuis hier');
    expect(localStorage.getItem(DRAFT_KEY)).to.equal(null);
  });

  it('says how long to wait when the server limits reports, and keeps everything', async () => {
    const key = window.GEOREPORT_LIMITED_KEY;
    const spent = await fetch(`${SERVER}open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ api_key: key }) });
    expect(spent.status).to.be.oneOf([400, 429], 'the key’s one report a minute is spent (by this call, or an earlier test’s)');
    const el = await toReview('en', { apiKey: key });
    await next(el);
    await settled(el);
    const message = $(el, '#failure').textContent!;
    const seconds = Number(/Try again in (\d+) seconds; nothing is lost\.$/.exec(message)?.[1]);
    expect(seconds, message).to.be.within(1, 60);
    expect(focused(el)).to.equal('#failure');
    expect(stepTitle(el)).to.equal('Check and send');
    expect(el.status).to.equal('editing');
    expect(localStorage.getItem(`georeport-draft:${SERVER}:ville.example`)).not.to.equal(null);
  });

  it('takes the resident back to a field the server refused, with its message in the form’s words', async () => {
    // A draft from before the form checked phones the server's way: the server refuses it.
    const el = await reviewOf({ serviceCode: 'nid-de-poule', attributes: { taille: ['petit'] }, contact: { mode: 'person', phone: '12', consent: true } });
    await next(el);
    await settled(el);
    // The form's later steps may still be loading under a busy machine: wait for the step it goes back to.
    await waitUntil(() => stepTitle(el) === 'Vous', `back at the contact step, not ${stepTitle(el)}`, { timeout: 5000 });
    expect($$(el, '.summary').map((p) => p.textContent)).to.deep.equal([fr.fixErrors(1)], 'one summary');
    expect($(el, '#phone-error').textContent).to.equal(fr.refusals['phone.invalid']);
    expect($(el, '#phone').getAttribute('aria-describedby')).to.equal('phone-error');
    expect($(el, '#phone').getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal('#phone');

    await type(el, '#phone', '02 47 00 00 00');
    await next(el);
    const id = await send(el);
    expect(id).to.match(/^\d+$/);
  });

  it('sends the resident to the first step with a problem when the server finds several', async () => {
    const el = await reviewOf({ serviceCode: 'lampadaire', attributes: {}, contact: { mode: 'person', email: `${'a'.repeat(250)}@example.fr`, consent: true } });
    await next(el);
    await settled(el);
    expect(stepTitle(el)).to.equal('Détails');
    const [nombre, panne] = el.definition.filter((a) => a.required).map((a) => a.description);
    expect($(el, '#attr-nombre-error').textContent).to.equal(fr.refusals['attribute.required']({ label: nombre!, max: 0, seconds: 0 }));
    expect($(el, '#attr-panne-error').textContent).to.equal(fr.refusals['attribute.required']({ label: panne!, max: 0, seconds: 0 }));
    expect(focused(el)).to.equal('#attr-nombre');
    await answerStreetlight(el);
    await next(el); // to photos
    await next(el); // to contact
    await next(el); // to review
    await next(el); // send again
    await settled(el);
    expect(stepTitle(el)).to.equal('Vous');
    expect($(el, '#email-error').textContent).to.equal(fr.refusals['field.too_long']({ label: '', max: 254, seconds: 0 }));
    expect(focused(el)).to.equal('#email');
  });

  it('goes back to the categories when the chosen one is no longer offered', async () => {
    const el = await reviewOf({ serviceCode: 'retired-service' });
    await next(el);
    await settled(el);
    expect(stepTitle(el)).to.equal('De quoi s’agit-il ?');
    expect($(el, '#service-error').textContent).to.equal(fr.refusals['service.unknown']);
    expect(focused(el)).to.equal('#service-nid-de-poule', 'the first category');
  });
});
