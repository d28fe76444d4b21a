import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBanGeocoder } from '../../server/geocode/index.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
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
    const t = createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const r = await located(t, await file(t, addressOnly(t, '12 rue nationale')));
    assert.deepEqual([r.lat, r.long, r.zipcode, r.address_id, r.address], [47.3952, 0.6861, '37000', '37999_0420_00012', '12 rue nationale']);
  });

  test('coordinates sent by the client are kept, the geocoder is not asked', async () => {
    const t = createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const asked = ban.requests.length;
    const r = await located(t, await file(t, pothole(t, { address_string: '12 rue nationale', lat: '47.1', long: '0.1' })));
    assert.deepEqual([r.lat, r.long], [47.1, 0.1]);
    assert.equal(ban.requests.length, asked);
  });

  test('an address the geocoder does not know is stored as given, without coordinates', async () => {
    const t = createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });
    const r = await located(t, await file(t, addressOnly(t, 'derrière la grange du père Mathieu')));
    assert.deepEqual([r.lat, r.long, r.address], [null, null, 'derrière la grange du père Mathieu']);
  });

  test('a geocoder that is down never loses the request', async () => {
    const down = await startBanStandIn();
    const url = down.url;
    await down.close();
    const t = createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: url, timeoutMs: 500 }) });
    const r = await located(t, await file(t, addressOnly(t, '12 rue nationale')));
    assert.deepEqual([r.lat, r.address], [null, '12 rue nationale']);
  });
});
