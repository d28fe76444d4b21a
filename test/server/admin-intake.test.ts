import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBanGeocoder } from '../../server/geocode/index.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { loopbackFetch } from '../helpers/outbound.ts';

const J = 'j/ville.example';
const call = { channel: 'phone', service_code: 'nid-de-poule', description: 'Signalé par téléphone', attribute: { taille: 'grand' }, last_name: 'Dupont' };
/** The public map's view of a box around the town: which requests it shows, and where. */
const onPublicMap = async (t: TestApp) =>
  (await (await t.get('requests.json?bbox=0.6,47.3,0.8,47.5&status=open')).json()) as { service_request_id: string; lat: number; long: number; address: string | null }[];

describe('intake with a place', () => {
  let ban: BanStandIn;
  before(async () => {
    ban = await startBanStandIn();
  });
  after(() => ban.close());
  const geocoded = async () => await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: ban.url }) });

  test('a request taken by phone and placed on the map is on the public map, named by the address the server finds near the pin', async () => {
    const t = await geocoded();
    const s = await staffWith(t, 'agent');
    const filed = await admin(t, s, 'POST', `${J}/intake`, { ...call, lat: '47.3953', long: '0.6862' });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const shown = (await onPublicMap(t)).find((r) => r.service_request_id === filed.body.service_request_id);
    assert.deepEqual([shown?.lat, shown?.long, shown?.address], [47.3953, 0.6862, 'Près du 12 Rue Nationale 37000 Montclair-sur-Loire']);
    assert.doesNotMatch(JSON.stringify(shown), /Dupont/, 'the caller stays private');
  });

  test('one given by its address alone is placed by the geocoder; the agent’s own wording of a pinned place is kept', async () => {
    const t = await geocoded();
    const s = await staffWith(t, 'agent');
    const byAddress = (await admin(t, s, 'POST', `${J}/intake`, { ...call, address_string: '40 rue nationale' })).body;
    assert.deepEqual([byAddress.lat, byAddress.long, byAddress.address, byAddress.address_id], [47.3985, 0.6869, '40 rue nationale', '37999_0420_00040']);
    const worded = (await admin(t, s, 'POST', `${J}/intake`, { ...call, lat: '47.3953', long: '0.6862', address_string: 'Devant la boulangerie' })).body;
    assert.deepEqual([worded.lat, worded.address], [47.3953, 'Devant la boulangerie']);
    assert.equal((await admin(t, s, 'POST', `${J}/intake`, call)).status, 400, 'no place at all: refused, as a resident’s filing is');
  });

  test('the intake form is told where the town is and that addresses can be looked up; it gets suggestions and the place near a pin', async () => {
    const t = await geocoded();
    const s = await staffWith(t, 'agent');
    const setup = (await admin(t, s, 'GET', `${J}/intake`)).body;
    assert.equal(setup.geocoder, true);
    const { south, west, north, east } = setup.extent;
    assert.ok(south < 47.3941 && north > 47.3941 && west < 0.6848 && east > 0.6848, `the demo town is in the box: ${JSON.stringify(setup.extent)}`);

    const found = (await admin(t, s, 'GET', `${J}/places?q=${encodeURIComponent('12 rue nationale')}`)).body;
    assert.equal(found.geocoder, 'ok');
    assert.deepEqual(found.places[0], { label: '12 Rue Nationale 37000 Montclair-sur-Loire', lat: 47.3952, long: 0.6861, postcode: '37000', address_id: '37999_0420_00012', kind: 'housenumber' });
    const asked = ban.requests.at(-1)!;
    assert.ok(asked.searchParams.get('lat') && asked.searchParams.get('lon'), 'suggestions near the town first');
    const town = (await admin(t, s, 'GET', `${J}/places?q=montclair`)).body;
    assert.ok(town.places.every((p: { kind: string }) => p.kind !== 'municipality'), 'a town’s centre point places nothing');

    const near = (await admin(t, s, 'GET', `${J}/places?lat=47.3953&long=0.6862`)).body;
    assert.deepEqual(near.places.map((p: { label: string }) => p.label), ['Près du 12 Rue Nationale 37000 Montclair-sur-Loire']);
    assert.deepEqual((await admin(t, s, 'GET', `${J}/places?lat=47.41&long=0.72`)).body.places, [], 'nothing near a pin in the fields');
  });

  test('without a geocoder, or when it does not answer, the form is told so and the filing still goes through', async () => {
    const none = await createTestApp();
    const s = await staffWith(none, 'agent');
    assert.equal((await admin(none, s, 'GET', `${J}/intake`)).body.geocoder, false);
    assert.deepEqual((await admin(none, s, 'GET', `${J}/places?q=rue+nationale`)).body, { geocoder: 'none', places: [] });

    const down = await startBanStandIn();
    const url = down.url;
    await down.close();
    const t = await createTestApp({ geocoder: createBanGeocoder({ fetch: loopbackFetch, baseUrl: url, timeoutMs: 500 }) });
    const agent = await staffWith(t, 'agent');
    assert.deepEqual((await admin(t, agent, 'GET', `${J}/places?q=rue+nationale`)).body, { geocoder: 'unavailable', places: [] });
    const filed = await admin(t, agent, 'POST', `${J}/intake`, { ...call, lat: '47.3953', long: '0.6862' });
    assert.deepEqual([filed.status, filed.body.lat, filed.body.address], [201, 47.3953, null]);
  });

  test('a place asked badly is refused with the reason', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    for (const query of ['', 'q=ab', `q=${'x'.repeat(201)}`, 'lat=47.39', 'lat=91&long=0', 'lat=47&long=abc', 'lat=1e2&long=0']) {
      const res = await admin(t, s, 'GET', `${J}/places?${query}`);
      assert.equal(res.status, 400, query);
      assert.ok(res.body.error.message, query);
    }
  });
});
