import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { cellOf, GRIDS, planBox, type Box } from '../../server/requests/grid.ts';
import { EXACT_COUNT_LIMIT } from '../../server/requests/count.ts';
import { boxAround, distanceMetres } from '../../server/requests/requests.query.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { random } from '../helpers/random.ts';

const DAY = 86_400;
const CENTRE = { lat: 47.3941, long: 0.6848 };
/** Degrees per metre at the centre's latitude. */
const PER_M = { lat: 1 / 111_195, long: 1 / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180)) };

interface Row {
  id: number;
  lat: number;
  long: number;
  requested_at: number;
  code: string;
  status: string;
}

/** 4,000 requests over 80 days: half within 300 m of the centre, half over 4 km, some closed. */
async function fill(t: TestApp): Promise<Row[]> {
  const rand = random(Number(process.env.MAP_SEED ?? 5));
  const services = (await createCatalogueStore(t.engine).services('ville.example')).filter((s) => s.type === 'realtime');
  const now = Math.floor(t.clock.ms / 1000);
  await t.engine.transaction(async (tx) => {
    const requests = createRequestsStore(tx);
    for (let i = 0; i < 4000; i++) {
      const spread = i % 2 ? 300 : 2000;
      const service = services[Math.floor(rand() * services.length)]!;
      await requests.create(draftRequest({
        jurisdictionId: 'ville.example', serviceId: service.id,
        lat: CENTRE.lat + (rand() * 2 - 1) * spread * PER_M.lat, long: CENTRE.long + (rand() * 2 - 1) * spread * PER_M.long,
        now: now - 80 * DAY + Math.floor(rand() * 80 * DAY),
      }));
    }
    await tx.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id % 3 = 0");
  });
  return t.engine.query<Row>(
    `SELECT r.id, r.lat, r.long, r.requested_at, s.code, r.status FROM requests r JOIN services s ON s.id = r.service_id
     WHERE r.visibility = 'published' AND r.queued = 0 AND r.lat IS NOT NULL`,
  );
}

/** The point `metres` away from (lat, long) in direction `bearing` (degrees), on a sphere. */
function destination(lat: number, long: number, metres: number, bearing: number): [number, number] {
  const d = metres / 6_371_000;
  const [φ1, λ1, θ] = [(lat * Math.PI) / 180, (long * Math.PI) / 180, (bearing * Math.PI) / 180];
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [(φ2 * 180) / Math.PI, (λ2 * 180) / Math.PI];
}

const newestFirst = (a: Row, b: Row) => b.requested_at - a.requested_at || b.id - a.id;
const inBox = (b: Box) => (r: Row) => r.lat >= b.minLat && r.lat <= b.maxLat && r.long >= b.minLong && r.long <= b.maxLong;
const boxParam = (b: Box) => `bbox=${b.minLong},${b.minLat},${b.maxLong},${b.maxLat}`;
/** A square box of `half` metres each way around a point `dy`, `dx` metres from the centre. */
const square = (half: number, dy = 0, dx = 0): Box => ({
  minLat: CENTRE.lat + (dy - half) * PER_M.lat, maxLat: CENTRE.lat + (dy + half) * PER_M.lat,
  minLong: CENTRE.long + (dx - half) * PER_M.long, maxLong: CENTRE.long + (dx + half) * PER_M.long,
});

async function ids(t: TestApp, query: string): Promise<{ ids: number[]; res: Response }> {
  const res = await t.get(`requests.json?${query}`);
  assert.equal(res.status, 200, query);
  return { ids: ((await res.json()) as { service_request_id: string }[]).map((r) => Number(r.service_request_id)), res };
}

describe('map queries give the same answers whichever index serves them', () => {
  let t: TestApp;
  let rows: Row[];
  before(async () => {
    t = await createTestApp();
    rows = await fill(t);
  });

  const boxes: [string, Box, string][] = [
    ['a street corner', square(20, 40, -30), 'rtree'],
    ['a neighbourhood', square(250, 100, 50), 'cells'],
    ['a district', square(1500), 'cells'],
    ['the whole world', { minLat: -90, maxLat: 90, minLong: -180, maxLong: 180 }, 'date'],
  ];
  for (const [name, box, kind] of boxes) {
    test(`${name}: every page holds the newest matches in order, as a scan of all requests finds them`, async () => {
      assert.equal(planBox(box).kind, kind, 'the case exercises the plan it is meant to');
      const expected = rows.filter(inBox(box)).sort(newestFirst).map((r) => r.id);
      for (const page of [1, 2, 5]) {
        const got = await ids(t, `${boxParam(box)}&page_size=40&page=${page}`);
        assert.deepEqual(got.ids, expected.slice((page - 1) * 40, page * 40), `page ${page}`);
        assert.equal(got.res.headers.get('x-next-page-url') !== null, expected.length > page * 40, `next page after ${page}`);
      }
      const core = await ids(t, boxParam(box));
      assert.deepEqual(core.ids, expected.slice(0, 1000), 'without paging: the newest 1000');
    });
  }

  test('the coarse grid serves boxes too large for the fine one', () => {
    const plan = planBox(square(1500));
    assert.ok(plan.kind === 'cells' && plan.grid.name === 'coarse');
    const fine = planBox(square(250));
    assert.ok(fine.kind === 'cells' && fine.grid.name === 'fine');
  });

  test('filters by service and status apply inside the grid search', async () => {
    const box = square(250, -60, 20);
    const expected = rows.filter(inBox(box)).filter((r) => r.status === 'open' && ['nid-de-poule', 'lampadaire'].includes(r.code))
      .sort(newestFirst).map((r) => r.id);
    assert.ok(expected.length > 10);
    const got = await ids(t, `${boxParam(box)}&status=open&service_code=nid-de-poule,lampadaire&page_size=1000`);
    assert.deepEqual(got.ids, expected);
  });

  test('a date window narrows a grid search', async () => {
    const box = square(400);
    const now = Math.floor(t.clock.ms / 1000);
    const [from, to] = [now - 30 * DAY, now - 20 * DAY];
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000', '');
    const expected = rows.filter(inBox(box)).filter((r) => r.requested_at >= from && r.requested_at <= to).sort(newestFirst).map((r) => r.id);
    const got = await ids(t, `${boxParam(box)}&start_date=${iso(from)}&end_date=${iso(to)}&page_size=1000`);
    assert.deepEqual(got.ids, expected);
  });

  test('a radius finds exactly the requests within it, newest first', async () => {
    for (const radius of [30, 250, 1200]) {
      const lat = CENTRE.lat + 80 * PER_M.lat;
      const expected = rows.filter((r) => distanceMetres(lat, CENTRE.long, r.lat, r.long) <= radius).sort(newestFirst).map((r) => r.id);
      const got = await ids(t, `lat=${lat}&long=${CENTRE.long}&radius=${radius}&page_size=1000`);
      assert.deepEqual(got.ids, expected.slice(0, 1000), `radius ${radius}`);
    }
  });

  test('X-Result-Count is exact up to the limit, then an estimate flagged as one', async () => {
    const small = square(60, 200, 200);
    const expectedSmall = rows.filter(inBox(small)).length;
    assert.ok(expectedSmall > 0 && expectedSmall <= EXACT_COUNT_LIMIT, `${expectedSmall} requests in the small box`);
    const a = await ids(t, `${boxParam(small)}&page_size=5`);
    assert.equal(a.res.headers.get('x-result-count'), String(expectedSmall));
    assert.equal(a.res.headers.get('x-result-count-estimated'), null);
    assert.equal(a.res.headers.get('x-page-count'), String(Math.ceil(expectedSmall / 5)));

    const large = square(400);
    const expectedLarge = rows.filter(inBox(large)).length;
    assert.ok(expectedLarge > 4 * EXACT_COUNT_LIMIT);
    const b = await ids(t, `${boxParam(large)}&page_size=50`);
    assert.equal(b.res.headers.get('x-result-count-estimated'), 'true');
    const estimate = Number(b.res.headers.get('x-result-count'));
    assert.ok(Math.abs(estimate - expectedLarge) / expectedLarge < 0.25, `estimated ${estimate} for ${expectedLarge}`);
    assert.equal(b.res.headers.get('x-page-count'), String(Math.ceil(estimate / 50)));

    const lastPage = Math.ceil(expectedLarge / 50);
    const last = await ids(t, `${boxParam(large)}&page_size=50&page=${lastPage}`);
    assert.equal(last.res.headers.get('x-result-count'), String(expectedLarge), 'the last page knows the exact total');
    assert.equal(last.res.headers.get('x-result-count-estimated'), null);
  });
});

describe('the grids', () => {
  test("cells computed in JavaScript are the cells SQLite stores, from pole to pole and across the meridians", async () => {
    const t = await createTestApp();
    const rand = random(11);
    const requests = createRequestsStore(t.engine);
    const [serviceId] = (await createCatalogueStore(t.engine).services('ville.example')).map((s) => s.id);
    const points = [[-90, -180], [90, 180], [0, 0], [-0.0001, -0.0001], [47.3941, 0.6848], [48.85, 2.35], [-33.9, 151.2], [40.7, -74]];
    for (let i = 0; i < 300; i++) points.push([rand() * 180 - 90, rand() * 360 - 180]);
    for (const [lat, long] of points) await requests.create(draftRequest({ jurisdictionId: 'ville.example', serviceId: serviceId!, lat, long, now: 1 }));
    const stored = await t.engine.query<{ lat: number; long: number; cell_fine: number; cell_coarse: number }>(
      'SELECT lat, long, cell_fine, cell_coarse FROM requests WHERE lat IS NOT NULL',
    );
    assert.ok(stored.length >= points.length);
    for (const r of stored) {
      assert.equal(cellOf(GRIDS[0]!, r.lat, r.long), r.cell_fine, `fine cell of ${r.lat},${r.long}`);
      assert.equal(cellOf(GRIDS[1]!, r.lat, r.long), r.cell_coarse, `coarse cell of ${r.lat},${r.long}`);
    }
  });

  test('a radius box holds the whole circle, even at high latitude', () => {
    for (const lat of [0, 47, 70, 85]) {
      const box = boxAround(lat, 10, 5000);
      for (let deg = 0; deg < 360; deg += 5) {
        const [pLat, pLong] = destination(lat, 10, 4999, deg);
        assert.ok(pLat >= box.minLat && pLat <= box.maxLat && pLong >= box.minLong && pLong <= box.maxLong, `lat ${lat}, bearing ${deg}`);
      }
    }
  });

  test('a radius query finds the points just inside its circle and none just outside, up to 100 km', async () => {
    const t = await createTestApp();
    const requests = createRequestsStore(t.engine);
    const [serviceId] = (await createCatalogueStore(t.engine).services('ville.example')).map((s) => s.id);
    const now = Math.floor(t.clock.ms / 1000) - DAY;
    const centre = { lat: 60.1, long: 24.9 };
    // 250 m: fine cells, 2 km: coarse cells, both with the cells outside the circle left out; 100 km: by date.
    for (const radius of [250, 2000, 100_000]) {
      const inside: number[] = [];
      for (let deg = 0; deg < 360; deg += 3) {
        for (const factor of [0.998, 1.002]) {
          const [lat, long] = destination(centre.lat, centre.long, radius * factor, deg);
          const id = await requests.create(draftRequest({ jurisdictionId: 'ville.example', serviceId: serviceId!, lat, long, now }));
          if (factor < 1) inside.push(id);
        }
      }
      const got = await ids(t, `lat=${centre.lat}&long=${centre.long}&radius=${radius}&page_size=1000`);
      const found = new Set(got.ids);
      for (const id of inside) assert.ok(found.has(id), `request ${id}, 99.8% of ${radius} m away, is found`);
      const beyond: number[] = [];
      for (const id of got.ids) {
        const r = (await t.engine.one<{ lat: number; long: number }>('SELECT lat, long FROM requests WHERE id = ?', [id]))!;
        if (distanceMetres(centre.lat, centre.long, r.lat, r.long) > radius) beyond.push(id);
      }
      assert.deepEqual(beyond, [], `nothing beyond ${radius} m`);
    }
  });

  test("the daily counts behind estimates follow publishing, hiding and deleting", async () => {
    const t = await createTestApp();
    const day = async (id: string) => (await t.engine.one<{ n: number }>('SELECT coalesce(sum(n), 0) AS n FROM request_days WHERE jurisdiction_id = ?', [id]))!.n;
    const published = async () => (await t.engine.one<{ n: number }>("SELECT count(*) AS n FROM requests WHERE visibility = 'published' AND queued = 0"))!.n;
    const onDay5 = async () => (await t.engine.one<{ n: number }>('SELECT n FROM request_days WHERE day = 5'))?.n;
    assert.equal(await day('ville.example'), await published());
    const [serviceId] = (await createCatalogueStore(t.engine).services('ville.example')).map((s) => s.id);
    const requests = createRequestsStore(t.engine);
    const id = await requests.create(draftRequest({ jurisdictionId: 'ville.example', serviceId: serviceId!, now: 5 * DAY + 7 }));
    await requests.create(draftRequest({ jurisdictionId: 'ville.example', serviceId: serviceId!, now: 5 * DAY + 9, visibility: 'pending' }));
    assert.equal(await onDay5(), 1, 'a pending request is not counted');
    await t.engine.run("UPDATE requests SET visibility = 'hidden' WHERE id = ?", [id]);
    assert.equal(await day('ville.example'), await published());
    await t.engine.run("UPDATE requests SET visibility = 'published' WHERE requested_at = ?", [5 * DAY + 9]);
    await t.engine.run('DELETE FROM reporters WHERE request_id = ?', [id]);
    await t.engine.run('DELETE FROM request_events WHERE request_id = ?', [id]);
    await t.engine.run('DELETE FROM requests WHERE id = ?', [id]);
    assert.equal(await day('ville.example'), await published());
    assert.equal(await onDay5(), 1);
  });
});
