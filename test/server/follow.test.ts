import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBoth, assertErrorBody, file, getBoth, pothole } from '../helpers/georeport.ts';

type Item = { service_request_id: string; distance?: number; extended_attributes?: { followers: number } };
const list = async (t: TestApp, path: string) => (await (await t.get(path)).json()) as Item[];
/** About `m` metres north of (47.39, 0.68). */
const north = (m: number) => String(47.39 + m / 111_195);

async function follow(t: TestApp, id: string, fields: Record<string, string> = {}) {
  return t.post(`requests/${id}/followers.json`, { api_key: t.key, ...fields });
}

describe('duplicates', () => {
  test('open requests of the same service within its radius and age are offered, nearest first, with their distance', async () => {
    const t = await createTestApp();
    const near = await file(t, pothole(t, { lat: north(30) }));
    const nearer = await file(t, pothole(t, { lat: north(10) }));
    await file(t, pothole(t, { lat: north(80) })); // beyond the default 50 m
    await file(t, { api_key: t.key, service_code: 'tag-graffiti', lat: north(5), long: '0.68' }); // another service
    const closed = await file(t, pothole(t, { lat: north(20) }));
    await createUpdatesStore(t.engine).add({ jurisdictionId: 'ville.example', requestId: Number(closed), detailedStatus: 'fixed', note: null, public: true, actor: 'staff:1', updateId: null, expectedAt: null, now: Math.floor(t.clock.ms / 1000) });

    const { json } = await getBoth(t, 'duplicates', '?service_code=nid-de-poule&lat=47.39&long=0.68');
    assert.deepEqual((json as Item[]).map((r) => r.service_request_id), [nearer, near]);
    assert.deepEqual((json as Item[]).map((r) => r.distance), [10, 30]);

    t.clock.ms += 31 * 86_400_000;
    assert.deepEqual(await list(t, 'duplicates.json?service_code=nid-de-poule&lat=47.39&long=0.68'), [], 'older than 30 days: not offered');
  });

  test('a service may set its own radius and age', async () => {
    const t = await createTestApp();
    await t.engine.run("UPDATE services SET duplicate_radius = 200, duplicate_days = 2 WHERE code = 'nid-de-poule'");
    const far = await file(t, pothole(t, { lat: north(150) }));
    assert.deepEqual((await list(t, 'duplicates.json?service_code=nid-de-poule&lat=47.39&long=0.68')).map((r) => r.service_request_id), [far]);
    t.clock.ms += 3 * 86_400_000;
    assert.deepEqual(await list(t, 'duplicates.json?service_code=nid-de-poule&lat=47.39&long=0.68'), []);
  });

  test('a bad duplicates query is a 400 or 404 in the protocol format', async () => {
    const t = await createTestApp();
    await assertErrorBoth(t, 'duplicates', '?lat=47&long=1', 400, /service_code/);
    await assertErrorBoth(t, 'duplicates', '?service_code=nid-de-poule&lat=95&long=1', 400, /lat/);
    await assertErrorBoth(t, 'duplicates', '?service_code=nid-de-poule&lat=47', 400, /long/);
    await assertErrorBoth(t, 'duplicates', '?service_code=nope&lat=47&long=1', 404, /nope/);
  });
});

describe('following a request ("me too")', () => {
  test('each device counts once; the count is public, the e-mail never is', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const first = await follow(t, id, { device_id: 'device-a', email: 'voisine@exemple.fr', email_updates: 'true', locale: 'fr' });
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), [{ service_request_id: id, followers: 1, email_confirmation: 'required' }], 'e-mails wait for a confirmation');
    assert.deepEqual(await (await follow(t, id, { device_id: 'device-a' })).json(), [{ service_request_id: id, followers: 1 }], 'the same device again');
    assert.deepEqual(await (await follow(t, id, { device_id: 'device-b' })).json(), [{ service_request_id: id, followers: 2 }]);
    assert.deepEqual(await (await follow(t, id, { email: 'VOISINE@exemple.fr' })).json(), [{ service_request_id: id, followers: 2 }], 'the same e-mail, any case');
    const [shown] = await list(t, `requests/${id}.json?extensions=true`);
    assert.equal(shown!.extended_attributes!.followers, 2);
    for (const path of [`requests/${id}.json?extensions=true`, `requests/${id}.xml?extensions=true`, 'requests.json?extensions=true']) {
      assert.doesNotMatch(await (await t.get(path)).text(), /voisine|device-a/i, path);
    }
    const xml = await t.post(`requests/${id}/followers.xml`, { api_key: t.key, device_id: 'device-c' });
    assert.match(await xml.text(), /<service_requests><request><service_request_id>\d+<\/service_request_id><followers>3<\/followers><\/request><\/service_requests>/);
  });

  test('a follow needs a key, a public request and good fields; refused, it changes nothing', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const count = async () => (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM followers'))!;
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ api_key: 'wrong' }, 403, /api_key/],
      [{ email: 'pas-une-adresse' }, 400, /email/],
      [{ email_updates: 'true' }, 400, /email_updates needs an email/],
      [{ email_updates: 'oui', email: 'a@b.fr' }, 400, /email_updates/],
      [{ locale: 'français' }, 400, /locale/],
    ];
    for (const [fields, status, mention] of cases) {
      const res = await follow(t, id, fields);
      assert.equal(res.status, status, JSON.stringify(fields));
      assertErrorBody(await res.json(), status, mention);
    }
    const unknown = await follow(t, '999999');
    assert.equal(unknown.status, 404);
    await t.engine.run("UPDATE requests SET visibility = 'pending' WHERE id = ?", [Number(id)]);
    assert.equal((await follow(t, id)).status, 404, 'a request awaiting moderation cannot be followed');
    assert.equal((await count()).n, 0);
  });
});

describe('double submissions', () => {
  test('the same device filing the same service at almost the same place gets the first request back', async () => {
    const t = await createTestApp();
    const first = await file(t, pothole(t, { device_id: 'phone-1' }));
    assert.equal(await file(t, pothole(t, { device_id: 'phone-1', lat: north(12) })), first, 'a double tap 12 m away');
    const [a, b] = await Promise.all([file(t, pothole(t, { device_id: 'phone-2' })), file(t, pothole(t, { device_id: 'phone-2' }))]);
    assert.equal(a, b, 'two POSTs at once still make one request');
    assert.notEqual(await file(t, pothole(t, { device_id: 'phone-3' })), first, 'another device');
    assert.notEqual(await file(t, pothole(t, { device_id: 'phone-1', lat: north(60) })), first, 'another place');
    assert.notEqual(await file(t, { api_key: t.key, service_code: 'tag-graffiti', lat: '47.39', long: '0.68', device_id: 'phone-1' }), first, 'another service');
    const byEmail = await file(t, pothole(t, { email: 'riverain@exemple.fr', lat: north(300) }));
    assert.notEqual(await file(t, pothole(t, { email: 'riverain@exemple.fr', lat: north(300) })), byEmail, 'an e-mail alone proves nothing: anyone can type it');
    t.clock.ms += 11 * 60_000;
    assert.notEqual(await file(t, pothole(t, { device_id: 'phone-1' })), first, 'after the 10-minute window');
  });

  test('without coordinates, the same address counts as the same place; the window can be set or turned off', async () => {
    const t = await createTestApp({ config: { duplicateWindowSeconds: 60 } });
    const body = { api_key: t.key, service_code: 'tag-graffiti', address_string: '3 rue Haute', device_id: 'd' };
    const first = await file(t, body);
    assert.equal(await file(t, body), first);
    assert.notEqual(await file(t, { ...body, address_string: '5 rue Haute' }), first);
    t.clock.ms += 61_000;
    assert.notEqual(await file(t, body), first);
    const off = await createTestApp({ config: { duplicateWindowSeconds: 0 } });
    const one = await file(off, pothole(off, { device_id: 'd' }));
    assert.notEqual(await file(off, pothole(off, { device_id: 'd' })), one);
  });

  test('anonymous filings without a device are never merged', async () => {
    const t = await createTestApp();
    assert.notEqual(await file(t, pothole(t)), await file(t, pothole(t)));
  });
});
