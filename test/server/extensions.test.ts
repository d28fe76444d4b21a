import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { createTestApp, DEMO_OPEN_REQUESTS, type TestApp } from '../helpers/app.ts';
import { assertErrorBoth, file, getBoth, pothole } from '../helpers/georeport.ts';
import { schemaErrors } from '../helpers/schemas.ts';

type Item = Record<string, unknown> & { service_request_id: string };
const list = async (t: TestApp, query: string) => (await (await t.get(`requests.json${query}`)).json()) as Item[];
const ids = (items: Item[]) => items.map((r) => r.service_request_id).sort();
const CORE_KEYS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];

describe('extended_attributes', () => {
  test('only with extensions=true: title, detailed_status, media_urls, service object, public history', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, {
      title: 'Trou dangereux', service_object_id: 'EP-1234', service_object_type: 'candelabre',
      media_url: ['https://img.example/1.jpg', 'https://img.example/2.jpg'],
    }));
    await createUpdatesStore(t.engine).add({ jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: 'planned', note: 'Intervention prévue mardi', public: true, actor: 'staff:1', updateId: null, expectedAt: null, now: Math.floor(t.clock.ms / 1000) + 60 });
    await createUpdatesStore(t.engine).add({ jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: null, note: 'Appeler le riverain', public: false, actor: 'staff:1', updateId: null, expectedAt: null, now: Math.floor(t.clock.ms / 1000) + 120 });

    const plain = (await getBoth(t, `requests/${id}`)).json as Item[];
    assert.deepEqual(Object.keys(plain[0]!), CORE_KEYS, 'core responses stay exactly core');
    const { json, xml } = await getBoth(t, `requests/${id}`, '?extensions=true');
    assert.equal(schemaErrors('requests.json', json), '');
    const ext = (json as Item[])[0]!.extended_attributes;
    assert.deepEqual(ext, {
      title: 'Trou dangereux',
      detailed_status: 'planned',
      media_urls: ['https://img.example/1.jpg', 'https://img.example/2.jpg'],
      service_object_id: 'EP-1234',
      service_object_type: 'candelabre',
      duplicate_of: null,
      followers: 0,
      history: [
        { type: 'created', detailed_status: 'received', note: null, datetime: '2026-06-01T12:00:00Z' },
        { type: 'status', detailed_status: 'planned', note: 'Intervention prévue mardi', datetime: '2026-06-01T12:01:00Z' },
      ],
    }, 'internal notes stay out of the public history');
    assert.equal((json as Item[])[0]!.status_notes, 'Intervention prévue mardi', 'status_notes is the latest public note');
    const extXml = xml.children[0]!.children.find((c) => c.name === 'extended_attributes')!;
    assert.deepEqual(extXml.children.find((c) => c.name === 'media_urls')!.children.map((c) => c.name), ['media_url', 'media_url']);
    assert.ok((await list(t, '?extensions=true')).every((r) => 'extended_attributes' in r));
    await assertErrorBoth(t, 'requests', '?extensions=yes', 400, /extensions/);
  });

  test('service_object_id and service_object_type go together', async () => {
    const t = await createTestApp();
    const res = await t.post('requests.json', pothole(t, { service_object_id: 'EP-1' }));
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(await res.json()), /service_object_id and service_object_type must be given together/);
  });

  test('a service with an SLA gives new requests an expected_datetime', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t)); // nid-de-poule: 120 hours
    const [r] = await list(t, `?service_request_id=${id}`);
    assert.equal(r!.expected_datetime, '2026-06-06T12:00:00Z');
  });
});

describe('location, time and text queries', () => {
  test('lat+long+radius finds requests within the radius, each with its distance in metres', async () => {
    const t = await createTestApp();
    const here = await file(t, pothole(t, { lat: '47.4000', long: '0.7000' }));
    const near = await file(t, pothole(t, { lat: '47.4009', long: '0.7000' })); // ≈ 100 m north
    const far = await file(t, pothole(t, { lat: '47.4100', long: '0.7000' })); // ≈ 1.1 km
    const found = await list(t, '?lat=47.4&long=0.7&radius=150');
    assert.deepEqual(ids(found), [here, near].sort());
    const byId = Object.fromEntries(found.map((r) => [r.service_request_id, r.distance]));
    assert.equal(byId[here], 0);
    assert.ok(Math.abs((byId[near] as number) - 100) <= 1, `distance ${byId[near]}`);
    assert.ok(!ids(found).includes(far));
    assert.equal((await getBoth(t, 'requests', '?lat=47.4&long=0.7&radius=150')).status, 200);
  });

  test('lat, long and radius go together; a bad radius is a 400', async () => {
    const t = await createTestApp();
    for (const q of ['?radius=100', '?lat=47&long=1', '?lat=47&radius=10']) await assertErrorBoth(t, 'requests', q, 400, /lat, long and radius/);
    await assertErrorBoth(t, 'requests', '?lat=47&long=1&radius=-5', 400, /radius/);
    await assertErrorBoth(t, 'requests', '?lat=47&long=1&radius=abc', 400, /radius/);
  });

  test('bbox selects by rectangle, reversed corners tolerated; malformed is a 400', async () => {
    const t = await createTestApp();
    const inside = await file(t, pothole(t, { lat: '10.5', long: '20.5' }));
    await file(t, pothole(t, { lat: '11.5', long: '20.5' }));
    assert.deepEqual(ids(await list(t, '?bbox=20,10,21,11')), [inside]);
    assert.deepEqual(ids(await list(t, '?bbox=21,11,20,10')), [inside], 'reversed corners');
    for (const q of ['?bbox=1,2,3', '?bbox=a,b,c,d', '?bbox=0,95,1,96', '?bbox=1,2,3,4,5']) await assertErrorBoth(t, 'requests', q, 400, /bbox/);
  });

  test('updated_after and updated_before filter on updated_datetime', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await createUpdatesStore(t.engine).add({ jurisdictionId: 'ville.example', requestId: Number(id), detailedStatus: 'fixed', note: 'Rebouché', public: true, actor: 'staff:1', updateId: null, expectedAt: null, now: Date.UTC(2026, 5, 3) / 1000 });
    assert.deepEqual(ids(await list(t, '?updated_after=2026-06-02T00:00:00Z')), [id]);
    assert.ok(!ids(await list(t, '?updated_before=2026-06-02T00:00:00Z')).includes(id));
    await assertErrorBoth(t, 'requests', '?updated_after=hier', 400, /updated_after/);
  });

  test('search and q match words of the title, description or address, ignoring case and accents', async () => {
    const t = await createTestApp();
    const a = await file(t, pothole(t, { title: 'Bitume effondré', description: 'près du kiosque à journaux' }));
    const b = await file(t, pothole(t, { address_string: 'Rue de l’Église' }));
    assert.deepEqual(ids(await list(t, '?search=EFFONDRE')), [a]);
    assert.deepEqual(ids(await list(t, '?q=kiosq')), [a], 'prefix match');
    assert.deepEqual(ids(await list(t, '?search=eglise')), [b]);
    assert.deepEqual(await list(t, '?search=effondre%20eglise'), [], 'every word must match');
    assert.equal((await t.get('requests.json?search=%22%20OR%20*%20NEAR(')).status, 200, 'FTS syntax is not interpreted');
  });

  test('agency_responsible filters by agency, case-insensitively', async () => {
    const t = await createTestApp();
    const found = await list(t, '?agency_responsible=direction%20de%20la%20VOIRIE');
    assert.ok(found.length > 0 && found.every((r) => r.agency_responsible === 'Direction de la voirie'));
  });
});

describe('paging', () => {
  test('page and page_size page through results with X-Result-Count, X-Page-Count, X-Page-Size, X-Next-Page-URL', async () => {
    const t = await createTestApp();
    const res = await t.get('requests.json?page_size=8&status=open');
    assert.equal(res.headers.get('x-result-count'), String(DEMO_OPEN_REQUESTS));
    assert.equal(res.headers.get('x-page-count'), String(Math.ceil(DEMO_OPEN_REQUESTS / 8)));
    assert.equal(res.headers.get('x-page-size'), '8');
    assert.equal(res.headers.get('x-next-page-url'), 'http://localhost/open311/v2/requests.json?page_size=8&status=open&page=2');
    const pages = [(await res.json()) as Item[], await list(t, '?page_size=8&status=open&page=2'), await list(t, '?page_size=8&status=open&page=3')];
    assert.deepEqual(pages.map((p) => p.length), [8, 8, DEMO_OPEN_REQUESTS - 16]);
    assert.equal(new Set(pages.flat().map((r) => r.service_request_id)).size, DEMO_OPEN_REQUESTS, 'no item on two pages');
    const last = await t.get('requests.json?page_size=8&status=open&page=3');
    assert.equal(last.headers.get('x-next-page-url'), null);
    assert.equal((await t.get('requests.json')).headers.get('x-result-count'), null, 'no paging asked, core answer');
    for (const q of ['?page=0', '?page_size=1001', '?page=abc']) await assertErrorBoth(t, 'requests', q, 400, /page/);
  });
});

describe('languages', () => {
  test('locale or Accept-Language translate service names and descriptions, with a fallback to the default', async () => {
    const t = await createTestApp();
    const english = (await (await t.get('services.json?locale=en')).json()) as { service_code: string; service_name: string; group: string }[];
    assert.equal(english.find((s) => s.service_code === 'lampadaire')!.service_name, 'Streetlight out');
    assert.equal(english.find((s) => s.service_code === 'lampadaire')!.group, 'Street lighting');
    const viaHeader = await t.get('services.json', { 'Accept-Language': 'de-DE,en-GB;q=0.8,fr;q=0.5' });
    assert.equal(viaHeader.headers.get('content-language'), 'en', 'German is not offered; English is');
    assert.match(viaHeader.headers.get('vary')!, /Accept-Language/);
    const def = (await (await t.get('services/lampadaire.json?locale=en-GB')).json()) as { attributes: { code: string; description: string; values?: { name: string }[] }[] };
    assert.equal(def.attributes.find((a) => a.code === 'panne')!.description, 'What is wrong');
    assert.equal(def.attributes.find((a) => a.code === 'panne')!.values![0]!.name, 'Off');
    const [r] = await list(t, '?locale=en&service_code=lampadaire&page_size=1');
    assert.equal(r!.service_name, 'Streetlight out');
    const unknown = await t.get('services.json?locale=xx');
    assert.equal(unknown.headers.get('content-language'), 'fr', 'an unknown language falls back to the default');
    assert.equal(((await unknown.json()) as { service_name: string }[])[0]!.service_name, 'Nid-de-poule');
  });
});

describe('requests beyond problems', () => {
  test('a suggestion and a compliment are filed and shown like any request', async () => {
    const t = await createTestApp();
    const services = (await (await t.get('services.json?locale=en')).json()) as { service_code: string; group: string }[];
    assert.deepEqual(services.filter((s) => s.group === 'Ideas and thanks').map((s) => s.service_code), ['suggestion', 'compliment']);
    for (const code of ['suggestion', 'compliment']) {
      const id = await file(t, { api_key: t.key, service_code: code, address_string: 'Place Plumereau', description: `Un ${code}` });
      const [r] = await list(t, `?service_request_id=${id}`);
      assert.equal(r!.service_code, code);
      assert.equal(r!.description, `Un ${code}`);
    }
  });
});
