import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { addServices, BASE, createKey, createTestApp, DEMO_REQUESTS, type TestApp } from '../helpers/app.ts';
import { assertErrorBody, file, getBoth, pothole } from '../helpers/georeport.ts';

const storedAttributes = (t: TestApp, id: string) =>
  t.engine.query('SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position', [Number(id)]);
const count = async (t: TestApp) => (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n;

async function rejected(t: TestApp, fields: Record<string, string | string[]>, status: number, ...mentions: RegExp[]) {
  const before = await count(t);
  const res = await t.post('requests.json', fields);
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assertErrorBody(body, status, ...mentions);
  assert.equal(await count(t), before, 'a refused request stores nothing');
}

describe('POST requests: success', () => {
  test('answers 200 (never 201) with a list of one request carrying the new service_request_id', async () => {
    const t = await createTestApp();
    const { status, json, xml } = await getBoth(t, 'requests', '', 'POST', pothole(t, { account_id: 'acct-7' }));
    assert.equal(status, 200);
    const [created] = json as Record<string, unknown>[];
    assert.match(created!.service_request_id as string, /^\d+$/);
    assert.equal(created!.account_id, 'acct-7', 'the poster gets its own account_id back');
    assert.ok('service_notice' in created!);
    assert.equal(xml.name, 'service_requests');
    assert.equal(xml.children[0]!.name, 'request');
    assert.equal(xml.children[0]!.children.find((c) => c.name === 'service_request_id')!.text.length > 0, true);
  });

  test('multipart/form-data text fields are read like a urlencoded body, repeated names included', async () => {
    const t = await createTestApp();
    const body = new FormData();
    for (const [k, v] of Object.entries({ api_key: t.key, service_code: 'lampadaire', lat: '47.4', long: '0.7', 'attribute[nombre]': '2', 'attribute[panne]': 'eteint', description: 'multipart' })) body.append(k, v);
    body.append('attribute[lieu]', 'ecole');
    body.append('attribute[lieu]', 'parc');
    const res = await t.app.request(`${BASE}requests.json`, { method: 'POST', body });
    assert.equal(res.status, 200);
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { description: string }[];
    assert.equal(r!.description, 'multipart');
    assert.deepEqual((await storedAttributes(t, id)).filter((a) => (a as { code: string }).code === 'lieu'), [
      { code: 'lieu', value: 'ecole' },
      { code: 'lieu', value: 'parc' },
    ]);
  });

  test('both multivalue encodings store the same list', async () => {
    const t = await createTestApp();
    const base = { api_key: t.key, service_code: 'lampadaire', lat: '47.4', long: '0.7', 'attribute[nombre]': '1', 'attribute[panne]': 'clignote' };
    const brackets = await file(t, { ...base, 'attribute[lieu][]': ['carrefour', 'ecole'] });
    const repeated = await file(t, { ...base, 'attribute[lieu]': ['carrefour', 'ecole'] });
    assert.deepEqual(await storedAttributes(t, brackets), await storedAttributes(t, repeated));
    assert.deepEqual((await storedAttributes(t, brackets)).filter((a) => (a as { code: string }).code === 'lieu').length, 2);
  });

  test('any location form is enough, and several together are valid', async () => {
    const t = await createTestApp();
    const { lat, long, ...noLocation } = pothole(t);
    const locations: Record<string, string | string[]>[] = [{ lat: lat!, long: long! }, { address_string: '12 rue Nationale' }, { address_id: 'BAN-37261_0420' }, { lat: lat!, long: long!, address_string: '12 rue Nationale', address_id: 'X1' }];
    for (const location of locations) {
      const id = await file(t, { ...noLocation, ...location });
      const [r] = (await (await t.get(`requests/${id}.json`)).json()) as Record<string, unknown>[];
      if ('address_string' in location) assert.equal(r!.address, location.address_string, 'address_string comes back as address');
      if ('address_id' in location) assert.equal(r!.address_id, location.address_id);
    }
  });

  test('the poles of the coordinate ranges are accepted: lat=-90&long=-180 and lat=90&long=180', async () => {
    const t = await createTestApp();
    for (const [lat, long] of [['-90', '-180'], ['90', '180'], ['0', '0']]) {
      const id = await file(t, pothole(t, { lat: lat!, long: long! }));
      const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { lat: number; long: number }[];
      assert.deepEqual([r!.lat, r!.long], [Number(lat), Number(long)]);
    }
  });

  test('unknown attributes and informational (variable=false) attributes are ignored', async () => {
    const t = await createTestApp();
    const id = await file(t, { api_key: t.key, service_code: 'lampadaire', lat: '47.4', long: '0.7', 'attribute[nombre]': '1', 'attribute[panne]': 'eteint', 'attribute[inconnu]': 'x', 'attribute[securite]': 'y' });
    assert.deepEqual(await storedAttributes(t, id), [{ code: 'nombre', value: '1' }, { code: 'panne', value: 'eteint' }]);
  });

  test('media_url may repeat; the first is the public media_url', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { media_url: ['https://img.example/a.jpg', 'https://img.example/b.jpg'] }));
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { media_url: string }[];
    assert.equal(r!.media_url, 'https://img.example/a.jpg');
  });

  test('device_id is also read from its alias deviceid, and stays private', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { deviceid: 'device-42' }));
    const row = await t.engine.one('SELECT device_id FROM reporters WHERE request_id = ?', [Number(id)]);
    assert.deepEqual(row, { device_id: 'device-42' });
  });

  test('a batch service answers a token; tokens/{token} gives an empty id while queued, then the id', async () => {
    const t = await createTestApp();
    const res = await t.post('requests.json', { api_key: t.key, service_code: 'encombrants', address_string: '4 rue Haute', 'attribute[objets]': 'une armoire' });
    assert.equal(res.status, 200);
    const [created] = (await res.json()) as Record<string, string>[];
    assert.equal(created!.service_request_id, undefined, 'no id yet');
    assert.match(created!.token!, /^[0-9a-f-]{36}$/);
    assert.equal(created!.service_notice, 'Un agent vous confirmera la date de passage.');

    const pending = await getBoth(t, `tokens/${created!.token}`);
    assert.deepEqual(pending.json, [{ service_request_id: '', token: created!.token }]);
    assert.equal(((await (await t.get('requests.json')).json()) as unknown[]).length, DEMO_REQUESTS, 'a queued request is not public yet');

    const [accepted] = await createRequestsStore(t.engine).acceptQueued(Math.floor(t.clock.ms / 1000));
    const done = (await getBoth(t, `tokens/${created!.token}`)).json as { service_request_id: string }[];
    assert.equal(done[0]!.service_request_id, String(accepted));
    assert.equal((await t.get(`requests/${accepted}.json`)).status, 200);
  });

  test('an unknown token is a 404', async () => {
    const t = await createTestApp();
    const res = await t.get('tokens/00000000-0000-0000-0000-000000000000.json');
    assert.equal(res.status, 404);
    assertErrorBody(await res.json(), 404, /token/);
  });

  test('a blackbox service answers neither an id nor a token', async () => {
    const t = await createTestApp();
    await addServices(t, [{ code: 'boite-noire', name: 'Boîte noire', type: 'blackbox', service_notice: 'Merci, transmis.' }]);
    const res = await t.post('requests.json', { api_key: t.key, service_code: 'boite-noire', address_string: 'ici' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), [{ service_notice: 'Merci, transmis.', account_id: null }]);
  });

  test('a service held for moderation answers an id, but the request stays out of public output', async () => {
    const t = await createTestApp();
    await addServices(t, [{ code: 'modere', name: 'Modéré', moderation: 'hold' }]);
    const id = await file(t, { api_key: t.key, service_code: 'modere', address_string: 'ici' });
    assert.equal((await t.get(`requests/${id}.json`)).status, 404);
    const all = (await (await t.get(`requests.json?service_request_id=${id}`)).json()) as unknown[];
    assert.deepEqual(all, []);
  });
});

describe('POST requests: refusals', () => {
  test('missing service_code → 400; unknown service_code → 404', async () => {
    const t = await createTestApp();
    const { service_code, ...rest } = pothole(t);
    await rejected(t, rest, 400, /service_code was not provided/);
    await rejected(t, { ...rest, service_code: 'inconnu' }, 404, /service_code inconnu/);
  });

  test('no location → 400; lat without long → 400; out-of-range or non-numeric coordinates → 400', async () => {
    const t = await createTestApp();
    const { lat, long, ...noLocation } = pothole(t);
    await rejected(t, noLocation, 400, /location is required/);
    await rejected(t, { ...noLocation, lat: '47' }, 400, /long is required/);
    await rejected(t, { ...noLocation, long: '1' }, 400, /lat is required/);
    await rejected(t, pothole(t, { lat: '91' }), 400, /lat must be a number between -90 and 90/);
    await rejected(t, pothole(t, { long: '-180.0001' }), 400, /long must be a number/);
    for (const bad of ['abc', 'NaN', 'Infinity', '1e999', '0x10', '', ' ']) {
      if (bad.trim() === '') continue;
      await rejected(t, pothole(t, { lat: bad }), 400, /lat/);
    }
  });

  test('a required attribute missing → 400 naming it; a value not among the keys → 400', async () => {
    const t = await createTestApp();
    await rejected(t, pothole(t, { 'attribute[taille]': '' }), 400, /attribute taille is required/);
    await rejected(t, pothole(t, { 'attribute[taille]': 'enorme' }), 400, /attribute taille: enorme is not one of its values/);
    await rejected(t, pothole(t, { 'attribute[taille]': ['petit', 'grand'] }), 400, /attribute taille takes a single value/);
  });

  test('number and datetime attributes are checked', async () => {
    const t = await createTestApp();
    const base = { api_key: t.key, service_code: 'lampadaire', lat: '47.4', long: '0.7', 'attribute[panne]': 'eteint' };
    await rejected(t, { ...base, 'attribute[nombre]': 'deux' }, 400, /attribute nombre must be a number/);
    await rejected(t, { ...base, 'attribute[nombre]': '2', 'attribute[depuis]': 'hier' }, 400, /attribute depuis must be a W3C datetime/);
    await rejected(t, { ...base, 'attribute[nombre]': '2', 'attribute[depuis]': '2026-05-01T08:00:00' }, 400, /depuis/);
    await file(t, { ...base, 'attribute[nombre]': '2.5', 'attribute[depuis]': '2026-05-01T08:00:00+02:00' });
    await rejected(t, { ...base, 'attribute[nombre]': '2', 'attribute[lieu][]': ['ecole', 'plage'] }, 400, /attribute lieu: plage/);
  });

  test('contact details are checked: e-mail and phone', async () => {
    const t = await createTestApp();
    await rejected(t, pothole(t, { email: 'pas un email' }), 400, /email is not a valid e-mail address/);
    await rejected(t, pothole(t, { phone: 'appelez-moi' }), 400, /phone is not a valid phone number/);
    await file(t, pothole(t, { email: 'habitant@exemple.fr', phone: '+33 6 12 34 56 78' }));
  });

  test('a field given twice with different values is a 400, not a silent choice', async () => {
    const t = await createTestApp();
    await rejected(t, pothole(t, { service_code: ['nid-de-poule', 'lampadaire'] }), 400, /service_code must be given only once/);
  });

  test('a media_url that is not an absolute http(s) URL is a 400', async () => {
    const t = await createTestApp();
    await rejected(t, pothole(t, { media_url: 'javascript:alert(1)' }), 400, /media_url/);
  });

  test('a key restricted to another jurisdiction, or revoked, is a 403', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const other = await createKey(t.engine, 'autre.example');
    await rejected(t, pothole(t, { api_key: other, jurisdiction_id: 'ville.example' }), 403, /not valid for jurisdiction_id ville\.example/);
    await t.engine.run('UPDATE api_clients SET revoked_at = 1');
    await rejected(t, pothole(t, { jurisdiction_id: 'ville.example' }), 403, /api_key is not valid/);
  });

  test('a malformed body is a 400, never a 500: bad %-escapes, invalid UTF-8, other content types', async () => {
    const t = await createTestApp();
    for (const body of [`api_key=${t.key}&service_code=%zz`, `api_key=${t.key}&description=%E0%A4`]) {
      const res = await t.post('requests.json', body);
      assert.equal(res.status, 400, body);
      assertErrorBody(await res.json(), 400, /URL encoding/);
    }
    const bytes = await t.app.request(`${BASE}requests.json`, { method: 'POST', body: new Uint8Array([0x61, 0x3d, 0xff, 0xfe]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(bytes.status, 400);
    const json = await t.app.request(`${BASE}requests.json`, { method: 'POST', body: '{"api_key":"x"}', headers: { 'content-type': 'application/json' } });
    assert.equal(json.status, 400);
    assertErrorBody(await json.json(), 400, /x-www-form-urlencoded or multipart/);
  });

  test('a body over the size limit is a 413 with an error body, and nothing is stored', async () => {
    const t = await createTestApp({ config: { maxBodyBytes: 2048 } });
    await rejected(t, pothole(t, { description: 'x'.repeat(3000) }), 413, /larger than 2048 bytes/);
  });
});
