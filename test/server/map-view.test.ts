import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBoth, getBoth } from '../helpers/georeport.ts';
import { random } from '../helpers/random.ts';

interface MapAnswer {
  total: number;
  total_estimated?: boolean;
  truncated?: boolean;
  clusters?: { lat: number; long: number; count: number; open: number }[];
  markers?: { service_request_id: string; lat: number; long: number; status: string; service_code: string }[];
}

const CITY = 'bbox=0.60,47.35,0.77,47.44';

/** `n` requests of a service over the demo city, a third closed, within the last 30 days. */
async function fill(t: TestApp, n: number, code = 'nid-de-poule') {
  const rand = random(7);
  const service = (await createCatalogueStore(t.engine).service('ville.example', code))!;
  const now = Math.floor(t.clock.ms / 1000);
  await t.engine.transaction(async (tx) => {
    const requests = createRequestsStore(tx);
    for (let i = 0; i < n; i++) {
      const id = await requests.create(draftRequest({
        jurisdictionId: 'ville.example', serviceId: service.id, lat: 47.37 + rand() * 0.05, long: 0.64 + rand() * 0.08, now: now - Math.floor(rand() * 30 * 86_400),
      }));
      if (i % 3 === 0) await tx.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id = ?", [id]);
    }
  });
}

const view = async (t: TestApp, query: string) => {
  const res = await t.get(`map.json?${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return { res, body: (await res.json()) as MapAnswer };
};

describe('the map view', () => {
  test('a city view with many requests answers clusters whose counts add up to every request in view', async () => {
    const t = await createTestApp();
    await fill(t, 3000);
    const inView = (await t.engine.one<{ n: number; open: number }>(
      "SELECT count(*) AS n, sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open FROM requests WHERE lat BETWEEN 47.35 AND 47.44 AND long BETWEEN 0.60 AND 0.77 AND visibility = 'published'",
    ))!;
    const { body } = await view(t, `${CITY}&zoom=13`);
    assert.ok(body.clusters && !body.markers);
    assert.equal(body.total, inView.n);
    assert.equal(body.clusters.reduce((s, c) => s + c.count, 0), inView.n);
    assert.equal(body.clusters.reduce((s, c) => s + c.open, 0), inView.open);
    const finer = (await view(t, `${CITY}&zoom=15`)).body;
    assert.ok(finer.clusters!.length > body.clusters.length, 'zooming in splits clusters');
    for (const c of body.clusters) assert.ok(c.lat >= 47.35 && c.lat <= 47.44 && c.long >= 0.6 && c.long <= 0.77, 'a cluster sits among its requests');
  });

  test('at street zoom, or with few requests in view, each request comes as a marker', async () => {
    const t = await createTestApp();
    await fill(t, 3000);
    const street = (await view(t, 'bbox=0.680,47.390,0.690,47.395&zoom=17')).body;
    assert.ok(street.markers && street.markers.length > 0 && !street.clusters);
    assert.equal(street.total, street.markers.length);
    assert.equal(street.truncated, false);
    const m = street.markers[0]!;
    assert.deepEqual(Object.keys(m), ['service_request_id', 'lat', 'long', 'status', 'detailed_status', 'service_code']);
    const few = await createTestApp();
    const { body } = await view(few, `${CITY}&zoom=12`);
    assert.ok(body.markers, 'the demo city has few requests: markers even zoomed out');
  });

  test('filters by status, category and date narrow the view', async () => {
    const t = await createTestApp();
    await fill(t, 400, 'nid-de-poule');
    await fill(t, 200, 'tag-graffiti');
    const all = (await view(t, `${CITY}&zoom=17`)).body;
    const open = (await view(t, `${CITY}&zoom=17&status=open`)).body;
    assert.ok(open.markers!.every((m) => m.status === 'open') && open.total < all.total);
    const tags = (await view(t, `${CITY}&zoom=17&service_code=tag-graffiti`)).body;
    assert.ok(tags.markers!.every((m) => m.service_code === 'tag-graffiti') && tags.markers!.length >= 190);
    const since = new Date(t.clock.ms - 7 * 86_400_000).toISOString().replace('.000', '');
    const week = (await view(t, `${CITY}&zoom=17&start_date=${since}`)).body;
    assert.ok(week.total > 0 && week.total < all.total / 2);
  });

  test('answers carry an ETag that holds until a request changes', async () => {
    const t = await createTestApp();
    const first = await view(t, `${CITY}&zoom=14`);
    const etag = first.res.headers.get('etag')!;
    assert.match(first.res.headers.get('cache-control')!, /max-age/);
    const again = await t.get(`map.json?${CITY}&zoom=14`, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    await fill(t, 1);
    const changed = await t.get(`map.json?${CITY}&zoom=14`, { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.equal(((await changed.json()) as MapAnswer).total, first.body.total + 1);
  });

  test('large answers go gzipped to clients that accept it, small ones and the others as they are', async () => {
    const t = await createTestApp();
    await fill(t, 500);
    const plain = await t.get(`map.json?${CITY}&zoom=17`);
    const zipped = await t.get(`map.json?${CITY}&zoom=17`, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.match(zipped.headers.get('vary')!, /Accept-Encoding/);
    const bytes = Buffer.from(await zipped.arrayBuffer());
    const text = await plain.text();
    assert.ok(bytes.length < text.length / 4, `${bytes.length} bytes gzipped for ${text.length}`);
    assert.equal(gunzipSync(bytes).toString('utf8'), text);
    const small = await t.get('services/lampadaire.json', { 'Accept-Encoding': 'gzip' });
    assert.equal(small.headers.get('content-encoding'), null);
  });

  test('both formats; a view needs a box and a zoom', async () => {
    const t = await createTestApp();
    const { json, xml } = await getBoth(t, 'map', `?${CITY}&zoom=14`);
    assert.equal(xml.name, 'map');
    assert.ok(Array.isArray((json as MapAnswer).markers));
    await assertErrorBoth(t, 'map', '?zoom=10', 400, /bbox/);
    await assertErrorBoth(t, 'map', `?${CITY}`, 400, /zoom/);
    await assertErrorBoth(t, 'map', `?${CITY}&zoom=30`, 400, /zoom/);
    await assertErrorBoth(t, 'map', `?${CITY}&zoom=12&status=maybe`, 400, /status/);
  });
});
