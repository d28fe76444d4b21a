import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../server/db/engine.ts';
import { EXACT_COUNT_LIMIT } from '../../server/requests/count.ts';
import { planBox, type Box } from '../../server/requests/grid.ts';
import { createMapStore } from '../../server/requests/map.store.ts';
import type { RequestQuery } from '../../server/requests/requests.query.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest, type NewRequest } from '../../server/requests/requests.types.ts';
import { enginesUnderTest } from '../helpers/engines.ts';
import { random } from '../helpers/random.ts';

/**
 * The requests and map stores on both engines: the same few hundred random requests written through the
 * store on each, then every read (pages of every plan, counts, text search with accents, filters, the map
 * at every zoom, extras, tokens, the batch step, group commit and twins) answers the same on PostgreSQL
 * as on SQLite, which is the reference.
 */
const DAY = 86_400;
const NOW = Date.UTC(2026, 5, 1, 12) / 1000;
const CENTRE = { lat: 47.3941, long: 0.6848 };
const PER_M = { lat: 1 / 111_195, long: 1 / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180)) };
const TITLES = ['Éclairage public en panne', 'Nid-de-poule profond', 'Dépôt sauvage', 'Arbre tombé', 'Tag sur le mur', null];
const DESCRIPTIONS = [
  "Devant l'église Saint-Éloi, côté rue", 'Lampadaire ÉTEINT depuis lundi', 'trou dans la chaussée', 'Déchets verts et électroménager',
  'Crème brûlée renversée sur le trottoir', 'Graffiti à effacer', null,
];
const ADDRESSES = ['12 rue de la Paix', "3 place de l'Hôtel de Ville", '8 boulevard Béranger', 'Quai Paul-Bert', null];
const AGENCIES = ['Voirie', 'VOIRIE', 'Espaces verts', 'Propreté urbaine', null];

interface Fixture {
  db: Engine;
  services: number[];
  ids: number[];
}

/** A town, three services, and 400 requests drawn from `seed`, written through the store. */
async function fill(db: Engine, seed = 16): Promise<Fixture> {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['ville.example', 'Ville', 1]);
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['autre.example', 'Autre', 1]);
  const services: number[] = [];
  for (const code of ['nid-de-poule', 'lampadaire', 'depot']) {
    const { lastId } = await db.run(
      `INSERT INTO services (jurisdiction_id, code, name, i18n, updated_at) VALUES (?, ?, ?, ?, 1) RETURNING id`,
      ['ville.example', code, `Service ${code}`, JSON.stringify({ en: { name: `Service ${code} (en)` } })],
    );
    services.push(lastId!);
  }
  const requests = createRequestsStore(db);
  const ids: number[] = [];
  for (let i = 0; i < 400; i++) {
    // A quarter within 60 m (the R*Tree's boxes), half within 2 km (grid cells), the rest over the region; a few without a place.
    const spread = i % 4 === 0 ? 60 : i % 4 === 3 ? 40_000 : 2000;
    const placed = i % 23 !== 0;
    const input: NewRequest = draftRequest({
      jurisdictionId: 'ville.example',
      serviceId: pick(services),
      lat: placed ? CENTRE.lat + (rand() * 2 - 1) * spread * PER_M.lat : null,
      long: placed ? CENTRE.long + (rand() * 2 - 1) * spread * PER_M.long : null,
      title: pick(TITLES),
      description: pick(DESCRIPTIONS),
      address: pick(ADDRESSES),
      agencyResponsible: pick(AGENCIES),
      visibility: i % 17 === 0 ? 'pending' : 'published',
      token: i % 29 === 0 ? `token-${i}` : null,
      media: i % 5 === 0 ? [{ url: `https://img.example/${i}.jpg`, hidden: i % 10 === 0 }] : [],
      // Times with ties (whole hours), so that the id decides the order between equal times.
      now: NOW - 85 * DAY + Math.floor(rand() * 90 * 24) * 3600,
    });
    ids.push(await requests.create(input));
  }
  await db.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id % 3 = 0");
  await db.run("INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) SELECT id, 'status', 'fixed', 'Réparé', 1, 'staff:1', requested_at + 60 FROM requests WHERE id % 3 = 0 ORDER BY id");
  await db.run('UPDATE requests SET updated_at = requested_at + 60 WHERE id % 3 = 0');
  return { db, services, ids };
}

/** A square box of `half` metres each way around a point `dy`, `dx` metres from the centre. */
const square = (half: number, dy = 0, dx = 0): Box => ({
  minLat: CENTRE.lat + (dy - half) * PER_M.lat, maxLat: CENTRE.lat + (dy + half) * PER_M.lat,
  minLong: CENTRE.long + (dx - half) * PER_M.long, maxLong: CENTRE.long + (dx + half) * PER_M.long,
});

const BASE: RequestQuery = {
  jurisdictionId: 'ville.example', from: NOW - 90 * DAY, to: NOW, serviceIds: null, statuses: null, updatedAfter: null,
  updatedBefore: null, bbox: null, near: null, words: null, agency: null, limit: 1000, offset: 0,
};

/** Every query shape the public reads take: each plan, each filter, text search with and without accents. */
function queries(f: Fixture): [string, RequestQuery][] {
  const boxes: [string, Box, string][] = [
    ['street corner', square(20), 'rtree'],
    ['neighbourhood', square(250, 100, 50), 'cells'],
    ['district', square(1500), 'cells'],
    ['region', square(30_000), 'date'],
  ];
  const list: [string, RequestQuery][] = [['everything', BASE]];
  for (const [name, bbox, plan] of boxes) {
    assert.equal(planBox(bbox).kind, plan, `${name} exercises the ${plan} plan`);
    list.push([name, { ...BASE, bbox }]);
    for (const page of [0, 1, 4]) list.push([`${name}, page ${page + 1}`, { ...BASE, bbox, limit: 20, offset: page * 20 }]);
    list.push([`${name}, open`, { ...BASE, bbox, statuses: ['open'] }]);
    list.push([`${name}, one service, closed`, { ...BASE, bbox, serviceIds: [f.services[0]!], statuses: ['closed'] }]);
    list.push([`${name}, two services`, { ...BASE, bbox, serviceIds: f.services.slice(1), limit: 30 }]);
    list.push([`${name}, a month`, { ...BASE, bbox, from: NOW - 40 * DAY, to: NOW - 10 * DAY }]);
  }
  for (const radius of [30, 250, 1200, 50_000]) list.push([`radius ${radius}`, { ...BASE, near: { lat: CENTRE.lat + 80 * PER_M.lat, long: CENTRE.long, radius } }]);
  const words = [['eglise'], ['ÉGLISE'], ['eclair'], ['Éteint'], ['depot', 'sauvage'], ['creme', 'brulee'], ['l'], ['rue'], ['hotel', 'ville'], ['nothing']];
  for (const w of words) {
    list.push([`search ${w.join(' ')}`, { ...BASE, words: w }]);
    list.push([`search ${w.join(' ')} in a district`, { ...BASE, words: w, bbox: square(1500) }]);
  }
  list.push(['agency voirie (any case)', { ...BASE, agency: 'voirie' }]);
  list.push(['agency Espaces verts in a box', { ...BASE, agency: 'ESPACES VERTS', bbox: square(1500) }]);
  list.push(['no service known', { ...BASE, serviceIds: [], bbox: square(250) }]);
  list.push(['updated after', { ...BASE, updatedAfter: NOW - 30 * DAY }]);
  list.push(['updated before', { ...BASE, updatedBefore: NOW - 30 * DAY, statuses: ['closed', 'open'] }]);
  list.push(['another town', { ...BASE, jurisdictionId: 'autre.example' }]);
  return list;
}

/** Everything the stores answer over a fixture, as plain data (cluster positions rounded: sums differ in the last bits). */
async function answers(f: Fixture): Promise<Record<string, unknown>> {
  const requests = createRequestsStore(f.db);
  const map = createMapStore(f.db, requests);
  const out: Record<string, unknown> = {};
  for (const [name, q] of queries(f)) {
    out[`search: ${name}`] = await requests.search(q, 'en');
    out[`count: ${name}`] = await requests.count(q, NOW);
    out[`recently updated: ${name}`] = (await requests.recentlyUpdated({ ...q, limit: 25 })).map((r) => r.id);
  }
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const city: RequestQuery = { ...BASE, bbox: square(3000) };
  for (let zoom = 0; zoom <= 18; zoom++) {
    const views: [string, RequestQuery][] = [['city', city], ['open', { ...city, statuses: ['open'] }], ['region', { ...BASE, bbox: square(40_000) }]];
    for (const [name, q] of views) {
      const view = await map.view(q, zoom, NOW);
      out[`map ${name} at zoom ${zoom}`] = view.kind === 'clusters'
        ? { ...view, clusters: view.clusters.map((c) => ({ ...c, lat: round(c.lat), long: round(c.long) })) }
        : view;
    }
  }
  out['by ids'] = await requests.byIds('ville.example', [...f.ids.slice(0, 40), 999_999], 'en');
  out['by ids, other town'] = await requests.byIds('autre.example', f.ids.slice(0, 40));
  out['by id'] = await Promise.all(f.ids.slice(0, 40).map((id) => requests.byId('ville.example', id)));
  out['public jurisdiction'] = await Promise.all(f.ids.slice(0, 40).map((id) => requests.publicJurisdiction(id)));
  out.extras = [...(await requests.extras(f.ids.slice(0, 60))).entries()];
  out['by token'] = await Promise.all([0, 29, 58, 1].map((i) => requests.byToken('ville.example', `token-${i}`)));
  out['media bytes'] = await requests.storedMediaBytes();
  return out;
}

describe('the requests and map stores answer the same on PostgreSQL as on SQLite', () => {
  const [sqlite, postgres] = enginesUnderTest();
  let reference: Record<string, unknown>;
  let fixtures: Fixture[];
  before(async () => {
    fixtures = [await fill(await sqlite!.open()), await fill(await postgres!.open())];
    reference = await answers(fixtures[0]!);
  });

  test('the reference is not vacuous: every plan, search and zoom finds something', () => {
    const count = (key: string) => (reference[key] as unknown[]).length;
    for (const key of ['street corner', 'neighbourhood', 'district', 'region', 'radius 250', 'search eglise', 'search ÉGLISE', 'search eclair', 'search creme brulee', 'agency voirie (any case)']) {
      assert.ok(count(`search: ${key}`) > 0, `${key} finds requests`);
    }
    assert.deepEqual(reference['search: search eglise'], reference['search: search ÉGLISE'], 'accents and case are folded');
    assert.ok(count('search: search l') > 0, "a one-letter prefix (l') matches");
    assert.equal(count('search: search nothing'), 0);
    assert.equal((reference['count: region'] as { exact: boolean }).exact, false, `over ${EXACT_COUNT_LIMIT} the count is an estimate`);
    const kinds = new Set(Object.entries(reference).filter(([k]) => k.startsWith('map ')).map(([, v]) => (v as { kind: string }).kind));
    assert.deepEqual(kinds, new Set(['clusters', 'markers']));
  });

  test('every public read, count and map view is equal', async () => {
    const got = await answers(fixtures[1]!);
    for (const key of Object.keys(reference)) assert.deepEqual(got[key], reference[key], key);
  });

  test('the batch step accepts the same queued requests, which then are public', async () => {
    const accepted = [];
    for (const f of fixtures) {
      const requests = createRequestsStore(f.db);
      accepted.push([await requests.acceptQueued(NOW), await requests.byToken('ville.example', 'token-29'), await requests.acceptQueued(NOW)]);
    }
    assert.ok((accepted[0]![0] as number[]).length > 0);
    assert.deepEqual(accepted[1], accepted[0]);
  });

  test('group commit: twins found within a batch, a failing filing undone alone, the rest committed', async () => {
    const results = [];
    for (const f of fixtures) {
      const requests = createRequestsStore(f.db);
      const filing = (over: Partial<NewRequest>) => draftRequest({
        jurisdictionId: 'ville.example', serviceId: f.services[1]!, lat: CENTRE.lat, long: CENTRE.long, now: NOW,
        reporter: { email: null, firstName: null, lastName: null, phone: null, deviceId: 'device-1', accountId: null, organisation: null },
        twinSince: NOW - 60, trackingHash: null, ...over,
      });
      const settled = await Promise.allSettled([
        requests.fileSoon(filing({})),
        requests.fileSoon(filing({ lat: CENTRE.lat + 10 * PER_M.lat })), // 10 m away: the twin of the first
        requests.fileSoon(filing({ serviceId: 999_999 })), // no such service: refused by the foreign key
        requests.fileSoon(filing({ lat: CENTRE.lat + 100 * PER_M.lat })), // 100 m away: a new request
        requests.fileSoon(filing({ lat: null, long: null, address: '1 rue Neuve' })),
        requests.fileSoon(filing({ lat: null, long: null, address: '1 rue Neuve' })), // same address, no place: a twin
      ]);
      // Ids as the filing that made each request (a sequence does not give back the refused filing's id, SQLite does).
      const ids = settled.map((s) => (s.status === 'fulfilled' ? s.value.id : undefined));
      const shape = settled.map((s) => (s.status === 'fulfilled' ? { twin: s.value.twin, filing: ids.indexOf(s.value.id) } : 'refused'));
      const stored = await f.db.one<{ n: number }>('SELECT count(*) AS n FROM requests WHERE requested_at = ?', [NOW]);
      results.push({ shape, stored: stored!.n });
    }
    const [reference, got] = results;
    assert.equal(reference!.stored, 3, 'three new requests committed');
    assert.deepEqual(reference!.shape.map((s) => (s === 'refused' ? s : s.twin)), [false, true, 'refused', false, false, true]);
    assert.deepEqual(got, reference);
  });
});
