import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCaseworkStore } from '../../server/admin/casework.store.ts';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { addServices, createTestApp, form, type TestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

/**
 * A page per request (`/requests/{id}`): what a resident who opens a shared link, an e-mail's link or
 * "My reports" reads, with no script at all. Parsed in Chromium in test/e2e/request-page.test.ts; here,
 * what the server answers.
 */

const page = (t: TestApp, path: string, init: RequestInit = {}) => t.app.request(`http://localhost/requests/${path}`, init);
const seconds = (t: TestApp) => Math.floor(t.clock.ms / 1000);
/** A public status change with its note, as staff or the CRM make it. */
const update = (t: TestApp, id: string, status: 'in_progress' | 'fixed' | null, note: string) =>
  createUpdatesStore(t.engine).add({
    jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: status, note, public: true, actor: 'staff:1',
    updateId: null, expectedAt: null, now: seconds(t),
  });
/** The service of the demo city whose reports wait for a moderator. */
const HELD = { code: 'affichage', name: { fr: 'Affichage sauvage', en: 'Fly-posting' }, moderation: 'hold' };
/** A content attribute of the page's head (`og:title`…), decoded. */
const meta = (html: string, property: string) =>
  /content="([^"]*)"/.exec(new RegExp(`<meta (?:property|name)="${property}" content="[^"]*"`).exec(html)?.[0] ?? '')?.[1]
    ?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A published pothole at 12 rue Nationale with a photo, in progress with a note, then a second note. */
async function followedUp(t: TestApp) {
  const id = await file(t, pothole(t, { address_string: '12 rue Nationale', lat: '47.3952', long: '0.6861', media_url: 'https://img.example/trou.jpg', description: 'Gros trou devant la boulangerie' }));
  t.clock.ms += 3600_000;
  await update(t, id, 'in_progress', 'Une équipe passe jeudi.');
  t.clock.ms += 3600_000;
  await update(t, id, null, 'Zone balisée en attendant.');
  return id;
}

describe('a page per request', () => {
  test('a published request has its own page, readable with no script: status, timeline with notes, photo, place, dates, service', async () => {
    const t = await createTestApp();
    const id = await followedUp(t);
    const res = await page(t, id, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html; charset=utf-8$/i);
    const html = await res.text();
    assert.match(html, /^<!doctype html>\n<html lang="fr">/);
    assert.doesNotMatch(html, /<script/i, 'nothing to run');
    assert.match(html, new RegExp(`<title>Signalement n° ${id} : Nid-de-poule – Montclair-sur-Loire</title>`));
    assert.match(html, /<h1>Nid-de-poule<\/h1>/);
    assert.match(html, /class="status status--open"[^>]*>.*En cours<\/p>/s, 'the status in residents’ words');
    assert.match(html, /Gros trou devant la boulangerie/);
    assert.match(html, /12 rue Nationale/);
    assert.match(html, /47\.39520, 0\.68610/, 'the coordinates');
    assert.match(html, /href="https:\/\/www\.openstreetmap\.org\/\?mlat=47\.39520&amp;mlon=0\.68610#map=18\/47\.39520\/0\.68610"/, 'a link to see the place, nothing loaded from elsewhere');
    assert.match(html, /<img src="https:\/\/img\.example\/trou\.jpg" alt="Photo 1 du signalement"/);
    const timeline = /<ol class="timeline">(.*?)<\/ol>/s.exec(html)![1]!;
    assert.deepEqual([...timeline.matchAll(/<li>/g)].length, 3, 'filed, the status change, the note');
    assert.match(timeline, /Signalement déposé.*En cours.*Une équipe passe jeudi\..*Zone balisée en attendant\./s, 'oldest first, notes as written');
    assert.match(html, /<time datetime="2026-06-01T12:00:00Z">1 juin 2026<\/time>/, 'dates in the page’s language');
    assert.match(html, /Prévu pour/, 'the expected date (the service has an SLA)');
    assert.match(html, new RegExp(`href="\\.\\./open311/v2/requests/${id}\\.json\\?jurisdiction_id=ville\\.example"`), 'its Open311 JSON');
    assert.match(html, /<link rel="stylesheet" href="request-page\.css">/);
  });

  test('held, hidden and unknown requests get the same 404 page, whatever their town’s language', async () => {
    const t = await createTestApp({ extraJurisdictions: ['english.example'] });
    await t.engine.run("UPDATE jurisdictions SET default_locale = 'en' WHERE id = 'english.example'");
    await addServices(t, [HELD]);
    const held = await file(t, { api_key: t.key, service_code: 'affichage', lat: '47.39', long: '0.68', jurisdiction_id: 'ville.example' });
    const hidden = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    await createCaseworkStore(t.engine).reject(Number(hidden), 'Hors sujet', 'staff:1', seconds(t));
    const heldThere = await file(t, { ...pothole(t), api_key: t.updatesKey, jurisdiction_id: 'english.example' });
    await t.engine.run("UPDATE requests SET visibility = 'pending' WHERE id = ?", [heldThere]);
    const answers = [];
    for (const id of [held, hidden, heldThere, '987654', '0', 'abc', `${held}x`]) {
      const res = await page(t, id);
      answers.push({ id, status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: await res.text() });
    }
    for (const a of answers) {
      assert.equal(a.status, 404, a.id);
      assert.deepEqual({ ...a, id: '' }, { ...answers[0]!, id: '' }, `${a.id} answers as the others`);
    }
    assert.match(answers[0]!.body, /<html lang="en">/, 'towns of several languages: English, unless the reader asks');
    const single = await createTestApp();
    const unknown = await (await page(single, '987654')).text();
    assert.match(unknown, /<html lang="fr">/, 'one town: its language');
    assert.match(unknown, /n’existe pas ou n’est pas public/);
    const published = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    assert.equal((await page(t, published)).status, 200);
  });

  test('the page speaks the language asked (?lang=, else Accept-Language), else its town’s; service names follow', async () => {
    const t = await createTestApp();
    const id = await followedUp(t);
    const lang = async (path: string, acceptLanguage?: string) => {
      const res = await page(t, path, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
      const html = await res.text();
      return { lang: /<html lang="(\w+)">/.exec(html)![1], contentLanguage: res.headers.get('content-language'), vary: res.headers.get('vary'), html };
    };
    assert.equal((await lang(id)).lang, 'fr', 'the town’s language');
    const en = await lang(id, 'en-GB,en;q=0.8,fr;q=0.5');
    assert.equal(en.lang, 'en');
    assert.equal(en.contentLanguage, 'en');
    assert.match(en.vary!, /Accept-Language/);
    assert.match(en.html, /<h1>Pothole<\/h1>/);
    assert.match(en.html, /In progress/);
    assert.equal((await lang(id, 'de-DE,de;q=0.9')).lang, 'fr', 'a language the page does not speak: the town’s');
    assert.equal((await lang(`${id}?lang=en`, 'fr')).lang, 'en', '?lang= wins');
    assert.equal((await lang(`${id}?lang=xx`, 'en')).lang, 'en', 'an unknown ?lang= is ignored');
    assert.match((await lang(id)).html, new RegExp(`<a href="\\?lang=en" hreflang="en" lang="en">English</a>`), 'a way to the other language');
  });

  test('Open Graph tags for sharing: title, description, canonical URL and the first photo', async () => {
    const t = await createTestApp();
    const id = await followedUp(t);
    const html = await (await page(t, id)).text();
    assert.equal(meta(html, 'og:title'), `Nid-de-poule : En cours (signalement n° ${id})`);
    assert.equal(meta(html, 'og:description'), 'Gros trou devant la boulangerie — 12 rue Nationale');
    assert.equal(meta(html, 'og:url'), `http://localhost/requests/${id}`);
    assert.equal(meta(html, 'og:image'), 'https://img.example/trou.jpg');
    assert.equal(meta(html, 'og:site_name'), 'Montclair-sur-Loire');
    assert.equal(meta(html, 'og:locale'), 'fr_FR');
    assert.match(html, new RegExp(`<link rel="canonical" href="http://localhost/requests/${id}">`));
    const bare = await file(t, pothole(t, { description: '' }));
    assert.equal(meta(await (await page(t, bare)).text(), 'og:image'), undefined, 'no photo, no image');
  });

  test('served under a strict policy, cached briefly and revalidated by ETag', async () => {
    const t = await createTestApp();
    const id = await followedUp(t);
    const res = await page(t, id);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /img-src 'self' [^;]*img\.example/, 'photos from here and the hosts the city vouches for');
    assert.match(csp, /form-action 'self'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.match(res.headers.get('cache-control')!, /^public, max-age=60$/);
    const etag = res.headers.get('etag')!;
    assert.ok(etag);
    const again = await page(t, id, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    await update(t, id, 'fixed', 'Rebouché');
    const changed = await page(t, id, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200, 'a change is a new page');
    assert.match(await changed.text(), /Résolu/);
    const css = await page(t, 'request-page.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  });

  test('a duplicate links to the request it joined', async () => {
    const t = await createTestApp();
    const first = await file(t, pothole(t));
    const second = await file(t, pothole(t));
    await createCaseworkStore(t.engine).merge(Number(second), Number(first), 'staff:1', seconds(t));
    const html = await (await page(t, second)).text();
    assert.match(html, /Doublon/);
    assert.match(html, new RegExp(`<a href="${first}">signalement n° ${first}</a>`));
  });
});

describe('following from the page, with no script', () => {
  const post = (t: TestApp, id: string, fields: Record<string, string>) =>
    page(t, `${id}/follow`, { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const confirmations = (t: TestApp) => t.engine.query('SELECT f.email, f.locale, f.notify FROM confirmations c JOIN followers f ON f.id = c.follower_id ORDER BY c.id');

  test('a resident leaves an e-mail and is asked to confirm it; the answer never says whether the address was known', async () => {
    const t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:2525' } });
    const id = await followedUp(t);
    const html = await (await page(t, id)).text();
    assert.match(html, /<form method="post" action="\d+\/follow"/);
    assert.match(html, /<label for="follow-email">/);
    const first = await post(t, id, { email: 'voisine@exemple.fr', lang: 'fr' });
    assert.equal(first.status, 200);
    const text = await first.text();
    assert.match(text, /Consultez votre messagerie/);
    assert.match(text, new RegExp(`<a class="action" href="../${id}">`), 'back to the request');
    assert.deepEqual(await confirmations(t), [{ email: 'voisine@exemple.fr', locale: 'fr', notify: 1 }]);
    const second = await post(t, id, { email: 'voisine@exemple.fr', lang: 'fr' });
    assert.equal(await second.text(), text, 'the same answer the second time');
    assert.equal((await t.engine.one<{ followers: number }>('SELECT followers FROM requests WHERE id = ?', [id]))!.followers, 1, 'counted once');
  });

  test('a wrong address is refused on the page with the field marked; held and unknown requests answer the 404 page; nothing changes', async () => {
    const t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:2525' } });
    await addServices(t, [HELD]);
    const id = await followedUp(t);
    const held = await file(t, { api_key: t.key, service_code: 'affichage', lat: '47.39', long: '0.68' });
    const bad = await post(t, id, { email: 'pas une adresse', lang: 'en' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /value="pas une adresse"/, 'what was typed, kept');
    const unknown = await post(t, '987654', { email: 'voisine@exemple.fr' });
    const hidden = await post(t, held, { email: 'voisine@exemple.fr' });
    assert.equal(unknown.status, 404);
    assert.equal(hidden.status, 404);
    assert.equal(await hidden.text(), await unknown.text());
    assert.deepEqual(await confirmations(t), []);
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM followers'))!.n, 0);
  });

  test('a server that cannot send e-mail offers no follow form', async () => {
    const t = await createTestApp();
    const id = await followedUp(t);
    assert.doesNotMatch(await (await page(t, id)).text(), /<form/);
    assert.equal((await post(t, id, { email: 'voisine@exemple.fr' })).status, 404);
  });
});
