import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { REASONS } from '../../server/shared/refusals.ts';
import { describeRefusal } from '../../server/georeport/refusal-texts.ts';
import { BASE, createKey, createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { pothole } from '../helpers/georeport.ts';
import { parseXml, xmlToJson } from '../helpers/xml.ts';

const J = 'j/ville.example';
const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});
const OUTSIDE = { lat: '47.60', long: '0.70' };

/** POSTs `fields` to `resource` in both formats; returns each answer's status and error list (XML read strictly). */
async function refusedBoth(t: TestApp, resource: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const out: { json: Record<string, unknown>[]; xml: Record<string, unknown>[]; status: number } = { json: [], xml: [], status: 0 };
  for (const fmt of ['json', 'xml'] as const) {
    const res = await t.post(`${resource}.${fmt}`, fields, headers);
    const text = await res.text();
    if (fmt === 'json') {
      out.json = JSON.parse(text);
      out.status = res.status;
    } else {
      assert.equal(res.status, out.status, 'XML and JSON answer alike');
      const { root } = parseXml(text);
      assert.equal(root.name, 'errors');
      out.xml = xmlToJson(root) as Record<string, unknown>[];
    }
  }
  return out;
}

/** Core first: every item keeps Open311's `code` and `description`; `reason` and `field` come after. */
function assertItems(items: Record<string, unknown>[], status: number, expected: { reason: string; field?: string; description: string | RegExp }[]) {
  assert.equal(items.length, expected.length, JSON.stringify(items));
  items.forEach((item, i) => {
    const want = expected[i]!;
    assert.deepEqual(Object.keys(item), ['code', 'description', 'reason', ...(want.field ? ['field'] : [])]);
    assert.equal(String(item.code), String(status));
    assert.equal(item.reason, want.reason);
    assert.equal(item.field, want.field);
    if (typeof want.description === 'string') assert.equal(item.description, want.description);
    else assert.match(String(item.description), want.description);
  });
}

describe('refusals keep the Open311 core and add a reason and a field', () => {
  test('a phone number the server refuses: English for a client that asks nothing, French for locale=fr, in JSON and XML', async () => {
    const t = await createTestApp();
    const en = await refusedBoth(t, 'requests', pothole(t, { phone: '12' }));
    assert.equal(en.status, 400);
    for (const items of [en.json, en.xml]) assertItems(items, 400, [{ reason: 'phone.invalid', field: 'phone', description: 'phone is not a valid phone number' }]);

    const fr = await refusedBoth(t, 'requests', pothole(t, { phone: '12', locale: 'fr' }));
    for (const items of [fr.json, fr.xml]) assertItems(items, 400, [{ reason: 'phone.invalid', field: 'phone', description: 'phone n’est pas un numéro de téléphone valide' }]);
  });

  test('the language: the body’s locale, else the query’s, else Accept-Language, else English', async () => {
    const t = await createTestApp();
    const describe = async (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      ((await (await t.post(path, pothole(t, { phone: 'x', ...fields }), headers)).json()) as { description: string }[])[0]!.description;
    assert.match(await describe('requests.json', {}, { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' }), /^phone n’est pas/);
    assert.match(await describe('requests.json', {}, { 'accept-language': 'de, es;q=0.8' }), /^phone is not/, 'no French nor English asked: English');
    assert.match(await describe('requests.json?locale=fr', {}, { 'accept-language': 'en' }), /^phone n’est pas/);
    assert.match(await describe('requests.json?locale=fr', { locale: 'en-GB' }), /^phone is not/, 'the body wins');
    const get = await t.get('requests.json?status=foo', { 'accept-language': 'fr' });
    assertItems(await get.json(), 400, [{ reason: 'status.invalid', field: 'status', description: 'status doit valoir open ou closed (reçu : foo)' }]);
  });

  test('several problems at once: each its reason and field, attributes named as sent', async () => {
    const t = await createTestApp();
    const { json } = await refusedBoth(t, 'requests', { api_key: t.key, service_code: 'lampadaire', lat: '47.39', 'attribute[nombre]': 'beaucoup', email: 'pas-un-email', locale: 'fr' });
    assertItems(json, 400, [
      { reason: 'location.incomplete', field: 'long', description: 'long est requis avec lat' },
      { reason: 'email.invalid', field: 'email', description: 'email n’est pas une adresse e-mail valide' },
      { reason: 'attribute.number', field: 'attribute[nombre]', description: 'l’attribut nombre doit être un nombre' },
      { reason: 'attribute.required', field: 'attribute[panne]', description: 'l’attribut panne est obligatoire' },
    ]);
  });

  test('outside the town: the administrator’s message in the asked language, the generic one otherwise', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'administrator');
    await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside: 'refuse' });
    const generic = await refusedBoth(t, 'requests', pothole(t, { ...OUTSIDE, locale: 'fr' }));
    for (const items of [generic.json, generic.xml]) {
      assertItems(items, 400, [{ reason: 'location.outside', field: 'location', description: 'le lieu est en dehors du territoire de Montclair-sur-Loire : signalez-le à la commune où il se trouve' }]);
    }
    const message = { fr: 'Ce lieu dépend de Saint-Avertin : signalez-le sur saint-avertin.fr.', en: 'This place belongs to Saint-Avertin: report it on saint-avertin.fr.' };
    const saved = await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside: 'refuse', outside_message: message });
    assert.deepEqual(saved.body.outside_message, message, 'the routing page reads it back');
    for (const [locale, text] of Object.entries(message)) {
      const { json, xml } = await refusedBoth(t, 'requests', pothole(t, { ...OUTSIDE, locale }));
      for (const items of [json, xml]) assertItems(items, 400, [{ reason: 'location.outside', field: 'location', description: text }]);
    }
    const frOnly = await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside: 'refuse', outside_message: { fr: message.fr } });
    assert.deepEqual(frOnly.body.outside_message, { fr: message.fr, en: null }, 'a language left out is dropped');
    const { json } = await refusedBoth(t, 'requests', pothole(t, { ...OUTSIDE, locale: 'en' }));
    assertItems(json, 400, [{ reason: 'location.outside', field: 'location', description: /^the location is outside the area of Montclair-sur-Loire/ }]);
    for (const bad of [{ fr: 'x'.repeat(501) }, { de: 'Hallo' }, 'texte', { fr: 3 }]) {
      const res = await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside_message: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    assert.deepEqual((await admin(t, s, 'GET', `${J}/routing`)).body.outside_message, { fr: message.fr, en: null }, 'refused: unchanged');
  });

  test('the rate limit: 429 with Retry-After, rate.requests, in both languages', async () => {
    const t = await createTestApp({ config: { rateLimitIpPerMinute: 1, duplicateWindowSeconds: 0 } });
    assert.equal((await t.post('requests.json', pothole(t))).status, 200);
    for (const [lang, description] of [['en', /^too many requests; try again in \d+ seconds$/], ['fr', /^trop de requêtes ; réessayez dans \d+ secondes$/]] as const) {
      const res = await t.post(`requests.json?locale=${lang}`, pothole(t));
      assert.equal(res.status, 429);
      assert.match(res.headers.get('retry-after')!, /^\d+$/);
      assertItems(await res.json(), 429, [{ reason: 'rate.requests', description }]);
    }
  });

  test('a photo too big: 413 photo.too_large of the media field, in both languages', async () => {
    const t = await createTestApp({ config: { maxPhotoBytes: 10_240 } });
    // Noise does not compress: 200 × 200 of it is well over 10 kB as a JPEG.
    const photo = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    assert.ok(photo.byteLength > 10_240, 'the photo is over the limit');
    for (const [lang, description] of [['en', /^photo 1 is larger than/], ['fr', /^la photo 1 est plus grande que ce que ce serveur accepte$/]] as const) {
      const body = new FormData();
      for (const [k, v] of Object.entries(pothole(t))) body.append(k, String(v));
      body.append('media', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
      const res = await t.app.request(`${BASE}requests.json?locale=${lang}`, { method: 'POST', body });
      assert.equal(res.status, 413);
      assertItems(await res.json(), 413, [{ reason: 'photo.too_large', field: 'media', description }]);
    }
  });

  test('keys: missing, wrong and lacking the scope, each with its reason, before any other check', async () => {
    const t = await createTestApp();
    const cases: [Record<string, string>, string, string][] = [
      [{}, 'key.missing', 'api_key n’a pas été fournie'],
      [{ api_key: 'nope' }, 'key.invalid', 'api_key n’est pas valide'],
    ];
    for (const [key, reason, description] of cases) {
      const res = await t.post('requests.json?locale=fr', { service_code: 'nope', ...key });
      assertItems(await res.json(), 403, [{ reason, field: 'api_key', description }]);
    }
    const res = await t.post('servicerequestupdates.json', { api_key: t.key, service_request_id: '1', update_id: 'u1', status: 'FIXED' });
    assertItems(await res.json(), 403, [{ reason: 'key.scope', field: 'api_key', description: /lacks the updates scope/ }]);
  });

  test('every reason is described in English and in French, and each language differently where it is not the client’s own text', async () => {
    const t = await createTestApp();
    // One refusal per family, through the API: the descriptions differ by language.
    const calls: [string, Record<string, string> | null][] = [
      ['requests/999999.json', null], ['tokens/nope.json', null], ['services/nope.json', null], ['nowhere.json', null],
      ['requests.json?start_date=hier', null], ['requests.json?bbox=1,2', null], ['requests.json?lat=1', null],
      ['map.json', null], ['requests.json?extensions=oui', null],
    ];
    for (const [path] of calls) {
      const [en, fr] = await Promise.all(['en', 'fr'].map(async (lang) => ((await (await t.get(path, { 'accept-language': lang })).json()) as { description: string; reason: string }[])[0]!));
      assert.equal(en!.reason, fr!.reason);
      assert.notEqual(en!.description, fr!.description, `${path}: ${en!.reason}`);
    }
    // And every reason, worded with the same facts: both languages say something, and not the same thing.
    const values = { max: 9, min: 1, value: 'v', code: 'c', town: 'T', seconds: 5, start: 's', with: 'w', jurisdiction: 'j', method: 'GET', path: '/p', detail: 'photo 1 is not an image', photo: 1, sent: 5, scope: 'report' };
    for (const reason of Object.keys(REASONS) as (keyof typeof REASONS)[]) {
      const [en, fr] = (['en', 'fr'] as const).map((lang) => describeRefusal({ reason, field: 'f', values }, lang));
      assert.ok(en && fr, reason);
      assert.notEqual(en, fr, reason);
    }
  });
});

describe('channel: the widget files as web, API clients stay api', () => {
  test('channel=web and mobile are recorded, none is api, staff channels are refused; statistics tell them apart', async () => {
    const t = await createTestApp({ config: { duplicateWindowSeconds: 0 } });
    const readonly = await staffWith(t, 'readonly');
    const channels = async () => (await admin(t, readonly, 'GET', `${J}/stats`)).body.by_channel as Record<string, number>;
    const before = await channels();
    for (const channel of ['web', 'web', 'mobile']) assert.equal((await t.post('requests.json', pothole(t, { channel }))).status, 200);
    assert.equal((await t.post('requests.json', pothole(t))).status, 200);
    for (const claimed of ['phone', 'counter', 'email', 'WEB', 'bus']) {
      const res = await t.post('requests.json', pothole(t, { channel: claimed, locale: 'fr' }));
      assertItems(await res.json(), 400, [{ reason: 'channel.invalid', field: 'channel', description: 'channel doit valoir web, mobile ou api' }]);
    }
    const after = await channels();
    const added = (c: string) => (after[c] ?? 0) - (before[c] ?? 0);
    assert.deepEqual({ web: added('web'), mobile: added('mobile'), api: added('api') }, { web: 2, mobile: 1, api: 1 });
  });
});

describe('widget-config: what the widget checks when it loads', () => {
  const config = async (t: TestApp, query: string, headers: Record<string, string> = {}) => {
    const res = await t.get(`widget-config.json?${query}`, headers);
    return { status: res.status, body: (await res.json()) as any };
  };

  test('a valid report key: report, no e-mail without SMTP, the photo limit; nothing about the key itself', async () => {
    const t = await createTestApp();
    const { status, body } = await config(t, `jurisdiction_id=ville.example&api_key=${t.key}`);
    assert.equal(status, 200);
    assert.deepEqual(body, { jurisdiction_id: 'ville.example', report: true, email_updates: false, max_photos: 4, outside_message: null });
    const xml = await t.get(`widget-config.xml?api_key=${t.key}`);
    assert.deepEqual(xmlToJson(parseXml(await xml.text()).root), { jurisdiction_id: 'ville.example', report: 'true', email_updates: 'false', max_photos: '4', outside_message: '' });
    assert.equal((await config(t, '')).body.report, false, 'no key: the widget may read, not file');
  });

  test('e-mail updates are offered only by a server that sends e-mail', async () => {
    const t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:2525' } });
    assert.equal((await config(t, `api_key=${t.key}`)).body.email_updates, true);
  });

  test('a wrong key, a key that may not report, another town’s key and an unknown town are refused as a filing would be', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const updatesOnly = await createKey(t.engine, null, null, ['updates']);
    const other = await createKey(t.engine, 'autre.example');
    const cases: [string, number, string, string?][] = [
      [`jurisdiction_id=ville.example&api_key=${'0'.repeat(48)}`, 403, 'key.invalid', 'api_key'],
      [`jurisdiction_id=ville.example&api_key=${updatesOnly}`, 403, 'key.scope', 'api_key'],
      [`jurisdiction_id=ville.example&api_key=${other}`, 403, 'key.jurisdiction', 'api_key'],
      [`jurisdiction_id=nulle-part.example&api_key=${t.key}`, 404, 'jurisdiction.unknown', 'jurisdiction_id'],
      [`api_key=${t.key}`, 400, 'field.missing', 'jurisdiction_id'],
    ];
    for (const [query, status, reason, field] of cases) {
      const res = await config(t, query);
      assert.equal(res.status, status, query);
      assert.deepEqual(res.body.map((e: any) => [e.reason, e.field]), [[reason, field]], query);
      assert.doesNotMatch(JSON.stringify(res.body), /test client|autre\.example/, 'nothing about the key: not its name, not where it is valid');
    }
    assert.equal((await config(t, `jurisdiction_id=autre.example&api_key=${other}`)).status, 200);
  });

  test('the administrator’s out-of-area message in the widget’s language', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'administrator');
    await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside_message: { fr: 'Hors de la commune.', en: 'Outside the town.' } });
    assert.equal((await config(t, 'locale=fr')).body.outside_message, 'Hors de la commune.');
    assert.equal((await config(t, '', { 'accept-language': 'en-GB' })).body.outside_message, 'Outside the town.');
  });

  test('checks count per address group, on a budget of their own: writes go on', async () => {
    const t = await createTestApp({ config: { rateLimitIpPerMinute: 3 } });
    for (let i = 0; i < 3; i++) assert.equal((await config(t, `api_key=${'0'.repeat(48)}`)).status, 403);
    const limited = await config(t, `api_key=${t.key}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.body[0].reason, 'rate.requests');
    assert.equal((await t.post('requests.json', pothole(t))).status, 200, 'filing is still allowed');
  });
});
