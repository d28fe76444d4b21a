import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createBanGeocoder } from '../../server/geocode/index.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

const located = async (t: TestApp, id: string) =>
  ((await (await t.get(`requests/${id}.json`)).json()) as { lat: number | null; long: number | null; zipcode: string | null; address_id: string | null; address: string }[])[0]!;

describe('a request sent with an address only is located by the geocoder', () => {
  let ban: BanStandIn;
  before(async () => {
    ban = await startBanStandIn();
  });
  after(() => ban.close());

  const addressOnly = (t: TestApp, address: string) => {
    const { lat, long, ...rest } = pothole(t, { address_string: address });
    return rest;
  };

  test('it gets the coordinates, postcode and national address id of the address', async () => {
    const t = await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const r = await located(t, await file(t, addressOnly(t, '12 rue nationale')));
    assert.deepEqual([r.lat, r.long, r.zipcode, r.address_id, r.address], [47.3952, 0.6861, '37000', '37999_0420_00012', '12 rue nationale']);
  });

  test('coordinates sent by the client are kept, the geocoder is not asked', async () => {
    const t = await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const asked = ban.requests.length;
    const r = await located(t, await file(t, pothole(t, { address_string: '12 rue nationale', lat: '47.1', long: '0.1' })));
    assert.deepEqual([r.lat, r.long], [47.1, 0.1]);
    assert.equal(ban.requests.length, asked);
  });

  test('an address the geocoder does not know is stored as given, without coordinates', async () => {
    const t = await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const r = await located(t, await file(t, addressOnly(t, 'derrière la grange du père Mathieu')));
    assert.deepEqual([r.lat, r.long, r.address], [null, null, 'derrière la grange du père Mathieu']);
  });

  test('a geocoder that is down never loses the request', async () => {
    const down = await startBanStandIn();
    const url = down.url;
    await down.close();
    const t = await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: url, timeoutMs: 500 }) });
    const r = await located(t, await file(t, addressOnly(t, '12 rue nationale')));
    assert.deepEqual([r.lat, r.address], [null, '12 rue nationale']);
  });
});

describe('a request sent with coordinates only gets the nearest address', () => {
  let ban: BanStandIn;
  before(async () => {
    ban = await startBanStandIn();
  });
  after(() => ban.close());

  /** A pothole pinned at (lat, long) with no address, as a map-only widget or an app sends it. */
  const pinOnly = (t: TestApp, lat: string, long: string) => pothole(t, { lat, long });
  const geocoded = async (options: { baseUrl?: string; timeoutMs?: number } = {}) =>
    await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url, ...options }) });

  test('agents and the public read "Près du" the nearest address, in the town’s language, with its postcode', async () => {
    const t = await geocoded();
    // 12 Rue Nationale is at 47.3952, 0.6861: this pin is about 15 m from it.
    const r = await located(t, await file(t, pinOnly(t, '47.3953', '0.6862')));
    assert.deepEqual([r.lat, r.long, r.address, r.zipcode], [47.3953, 0.6862, 'Près du 12 Rue Nationale 37000 Montclair-sur-Loire', '37000']);
    assert.equal(r.address_id, null, 'a nearby address is not the place itself: no national address id');
    const asked = ban.requests.at(-1)!;
    assert.deepEqual([asked.pathname, asked.searchParams.get('lat'), asked.searchParams.get('lon')], ['/reverse/', '47.3953', '0.6862']);
  });

  test('the same in English for a town whose language is English, and in the XML answer too', async () => {
    const t = await geocoded();
    await t.engine.run("UPDATE jurisdictions SET default_locale = 'en' WHERE id = 'ville.example'");
    const id = await file(t, pinOnly(t, '47.3953', '0.6862'));
    assert.equal((await located(t, id)).address, 'Near 12 Rue Nationale 37000 Montclair-sur-Loire');
    assert.match(await (await t.get(`requests/${id}.xml`)).text(), /<address>Near 12 Rue Nationale 37000 Montclair-sur-Loire<\/address>/);
  });

  test('a street found (no number) reads "Près de"', async () => {
    const t = await geocoded();
    // Quai du Port's point is 47.3975, 0.679; no numbered address is closer.
    const r = await located(t, await file(t, pinOnly(t, '47.3976', '0.6791')));
    assert.equal(r.address, 'Près de Quai du Port 37000 Montclair-sur-Loire');
  });

  test('a pin far from every known address keeps no address; on the town’s centre, the nearest door is named, not the town', async () => {
    const t = await geocoded();
    const far = await located(t, await file(t, pinOnly(t, '47.41', '0.72')));
    assert.deepEqual([far.lat, far.address], [47.41, null]);
    // The demo town's own record sits on its centre: a town's name says nothing an agent can use.
    const centre = await located(t, await file(t, pinOnly(t, '47.3941', '0.6848')));
    assert.equal(centre.address, 'Près du 12 Rue Nationale 37000 Montclair-sur-Loire');
  });

  test('an app that sends only a photo taken in town gets the place named from the photo’s GPS position', async () => {
    const t = await geocoded();
    const body = new FormData();
    body.set('api_key', t.key);
    body.set('service_code', 'tag-graffiti');
    body.set('description', 'Tag sur le mur');
    // Taken at 47.3941, 0.6848: the demo town's own record is there; 12 Rue Nationale is about 155 m away.
    body.set('media', new Blob([readFileSync(new URL('../fixtures/photos/gps-tours.jpg', import.meta.url))], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await t.app.request(`${BASE}requests.json`, { method: 'POST', body });
    assert.equal(res.status, 200, await res.clone().text());
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const r = await located(t, id);
    assert.deepEqual([r.lat, r.long, r.address], [47.3941, 0.6848, 'Près du 12 Rue Nationale 37000 Montclair-sur-Loire']);
  });

  test('an address given by the client is kept as it is: the geocoder is not asked', async () => {
    const t = await geocoded();
    const asked = ban.requests.length;
    const r = await located(t, await file(t, pothole(t, { lat: '47.3953', long: '0.6862', address_string: 'Devant la boulangerie' })));
    assert.equal(r.address, 'Devant la boulangerie');
    assert.equal(ban.requests.length, asked);
  });

  test('a geocoder that is down or hangs never loses the filing: it is kept with its pin and no address', async () => {
    const down = await startBanStandIn();
    const url = down.url;
    await down.close();
    const t = await geocoded({ baseUrl: url, timeoutMs: 500 });
    const r = await located(t, await file(t, pinOnly(t, '47.3953', '0.6862')));
    assert.deepEqual([r.lat, r.long, r.address], [47.3953, 0.6862, null]);

    const hung = await startBanStandIn(undefined, { delayMs: 60_000 });
    try {
      const slow = await geocoded({ baseUrl: hung.url, timeoutMs: 300 });
      const s = await located(slow, await file(slow, pinOnly(slow, '47.3953', '0.6862')));
      assert.deepEqual([s.lat, s.address], [47.3953, null]);
      assert.equal(hung.requests.at(-1)?.pathname, '/reverse/', 'the geocoder was asked, and given up on');
    } finally {
      await hung.close();
    }
  });
});
