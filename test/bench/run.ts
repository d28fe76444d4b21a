/**
 * `npm run bench`, in two phases, both with wrk on loopback against the real server process.
 *
 * 1. GeoReport reads and writes over a store of ≥ 100,000 requests, each against a bare Hono route
 *    measured in the same run with the same wrk settings. Aims (issue 18): GET one request within 2.5x of
 *    the bare route, a page of 50 within 5x, POST within 10x; the default query (90 days, up to 1,000
 *    items) a p99 within 500 ms at 32 connections.
 * 2. Map queries over a store of 1,000,000 generated requests (denser towards the city centre): a
 *    neighbourhood box, a 250 m radius and the whole city's box, each a page of 50, against GET one request
 *    of the same phase and temperature. Aim: within 5x of GET one.
 *
 * Cold and warm: every read case is measured both ways, in rows of their own, each with its ratio and aim.
 * Warm: the same URL on every call, what a cache (the server's, a CDN's) serves. Cold: each call an
 * answer no cache can have seen. GET one walks the store's ids (walk.ts: none comes back before every
 * other has been asked; "repeats" says what share of the calls did, for 100,000 ids once a run makes more
 * than 100,000 calls); a page moves its window back by up to 60 days and the default query its `end_date`
 * (the same walk over seconds: every call a different window); map queries are drawn in a different place
 * per call (lua/area.lua, among millions of places: "repeats" gives a bound). No call sends
 * If-None-Match but one row for information: GET one revalidated (If-None-Match → 304), skipped when the
 * server sends no ETag. Every call sends `Accept-Encoding: gzip`, as a browser does (wrk.ts): bytes/answer
 * counts what the server sent, compressed where it compressed. Warm cases and the bare route warm up for
 * at most 1 s (their code ran just before; a cache fills at the first call), cold ones BENCH_WARMUP_SECONDS.
 *
 * Phases 1 and 2 run on each engine of BENCH_ENGINES in turn, PostgreSQL right after SQLite, with the same
 * cases and wrk settings: the filled SQLite store is copied into a durable private PostgreSQL cluster
 * (postgres-store.ts, through copyStore as `georeport copy` does) and the server started on it with
 * GEOREPORT_DATABASE_URL. Each ratio is against a baseline of the same engine in the same run.
 *
 * Prints a table per phase (an engine column in phases 1 and 2) and writes .tmp/bench-results.json.
 *
 * 3. The public map in Chromium over 100,000 requests: time to the first markers or clusters at city
 *    and street zoom, and the bytes of the map answers, against an empty map of the same run.
 *
 * 4. The bus: a backlog of 100,000 messages drained by the reference consumer, in messages per second,
 *    against requests filed per second on the same server. Aim: at least as fast.
 *
 * 5. The agent's inbox: a page of 500 of the back office's list over 100,000 requests, in four views
 *    (default, sorted, filtered as the queues are), against GET one request (cold) of the same run.
 *
 * 1b. Right after phase 1 on PostgreSQL (nodes.ts): one node against three behind HAProxy (the cold reads
 *    and POST), with the CPU time of each part, and a capacity estimate for a three-node deployment from it
 *    (capacity.ts).
 *
 * Settings (environment): BENCH_REQUESTS (100000), BENCH_LARGE_REQUESTS (1000000; 0 skips phase 2),
 * BENCH_MAP_REQUESTS (100000; 0 skips phase 3), BENCH_BUS_MESSAGES (100000; 0 skips phase 4),
 * BENCH_INBOX_REQUESTS (100000; 0 skips phase 5), BENCH_NODES (1; 0 skips phase 1b),
 * BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (32), BENCH_THREADS (1),
 * BENCH_ENGINES (sqlite,postgres; `sqlite` alone skips PostgreSQL), BENCH_PG_SHARED_BUFFERS (256MB).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseDatetime } from '../../server/georeport/datetime.ts';
import { call, callOk, checkAnswers, quantile, range, type Checked } from './answers.ts';
import { CENTER, CITY_HALF, fillStore, type FilledStore } from './fill-store.ts';
import { profileQuery, type QueryProfile } from './profile-query.ts';
import { freePort, startGeoreport, startServer, stopServer, type Server } from './processes.ts';
import { mapPhase } from './map-browser.ts';
import type { Transfer } from '../helpers/transfers.ts';
import { busPhase } from './bus-drain.ts';
import { inboxPhase } from './inbox.ts';
import { ensureWrk, type WrkResult } from './wrk.ts';
import { env, judge, measure, MEASURE, ms, repeatsText, SHORT_WARMUP, table, walkJson, WARMUP, type Aim, type Case, type Temperature } from './cases.ts';
import { idWalk, Walk } from './walk.ts';
import { benchEngines, createBenchPostgres, type CopiedStore, type EngineName } from './postgres-store.ts';
import { nodesPhase } from './nodes.ts';
import { describeNodes } from './capacity.ts';

const STORE_SIZE = env('BENCH_REQUESTS', 100_000);
const LARGE_STORE_SIZE = env('BENCH_LARGE_REQUESTS', 1_000_000);
const MAP_STORE_SIZE = env('BENCH_MAP_REQUESTS', 100_000);
const BUS_MESSAGES = env('BENCH_BUS_MESSAGES', 100_000);
const INBOX_STORE_SIZE = env('BENCH_INBOX_REQUESTS', 100_000);
const NODES_PHASE = env('BENCH_NODES', 1) !== 0;
const ENGINES_RUN = benchEngines();
/** Phases 1 and 2's PostgreSQL cluster, started when first needed and stopped at the end (or on failure). */
const postgres = createBenchPostgres();
const API = '/open311/v2';
const PAGE_SIZE = 50;
const DAY = 86_400;
/** Phase 2: each map query within this many times GET one request's time (req/s ratio), at the same temperature. */
const AREA_AIM = 5;
/** How far back a cold page or default query moves its window, in seconds, one per call. */
const WINDOW_SHIFT = 60 * DAY;

/** Copies a filled store into PostgreSQL (postgres-store.ts) and says what it cost. */
async function copyIntoPostgres(file: string, requests: number): Promise<CopiedStore> {
  process.stdout.write(`copying it into PostgreSQL (copyStore; a durable cluster, shared_buffers ${postgres.sharedBuffers})… `);
  const c = await postgres.copy(file);
  process.stdout.write(`${c.rows} rows (${c.requests} requests) in ${c.copySeconds.toFixed(1)} s: ${Math.round(c.rows / c.copySeconds)} rows/s, ` +
    `${Math.round(c.requests / c.copySeconds)} requests/s; VACUUM (ANALYZE) + CHECKPOINT ${c.settleSeconds.toFixed(1)} s; ` +
    `${c.databaseMiB.toFixed(0)} MiB (${requests} published requests filled)\n`);
  return c;
}

/** The georeport server on one engine's copy of a filled store. */
const startOn = (engine: EngineName, file: string, copied: CopiedStore | null) =>
  freePort().then((port) => startGeoreport(file, port, engine === 'postgres' ? copied!.url : undefined));

/** Stops one server and forgets it. */
async function stopOne(servers: Server[], server: Server) {
  servers.splice(servers.indexOf(server), 1);
  await stopServer(server);
}

/** GET one request over every id of a store, cold (a walk) or warm (the newest, every call). */
const getOneCase = (store: FilledStore, temperature: Temperature, aim?: Aim): Case => ({
  name: 'GET one request', kind: 'read', temperature, aim, path: `${API}/requests/${store.lastId}.json`,
  walk: temperature === 'cold' ? idWalk(store.firstId, store.lastId) : undefined,
});

/**
 * Phase 1's cases in groups, each group measured right after one run of the bare route (new walks on
 * each call: each server is asked its own). `now`: the time the store was filled to, in seconds.
 */
function phaseOneCases(store: FilledStore, now: number): Case[][] {
  const q = store.page;
  const end = parseDatetime(q.end)!;
  const service = `${API}/requests.json?service_code=${q.serviceCode}`;
  // Windows of the narrow page's span (≈ 50 requests of one service) moved back by up to 60 days; value 0 is the warm page.
  const pageWalk = new Walk({ template: `${service}&start_date={start}&end_date={end}`, count: WINDOW_SHIFT, base: end, span: end - parseDatetime(q.start)! });
  // 90 days up to an end_date moved back by up to 60 days: always the cap of 1,000 items.
  const defaultWalk = new Walk({ template: `${API}/requests.json?end_date={end}`, count: WINDOW_SHIFT, base: now });
  const pageName = 'GET a page (1 service, narrow dates)';
  const defaultName = 'GET default query (90 days, cap 1000)';
  const p99: Aim = { p99Ms: 500 };
  return [
    [
      getOneCase(store, 'cold', { vsBare: 2.5 }),
      getOneCase(store, 'warm', { vsBare: 2.5 }),
      { ...getOneCase(store, 'warm'), name: 'GET one request, revalidated (If-None-Match → 304)', kind: 'info', revalidate: true },
    ],
    [
      { name: pageName, kind: 'read', temperature: 'cold', aim: { vsBare: 5 }, path: pageWalk.path(0), walk: pageWalk },
      { name: pageName, kind: 'read', temperature: 'warm', aim: { vsBare: 5 }, path: `${service}&start_date=${q.start}&end_date=${q.end}` },
    ],
    [
      { name: defaultName, kind: 'read', temperature: 'cold', aim: p99, path: defaultWalk.path(0), walk: defaultWalk, drain: true },
      { name: defaultName, kind: 'read', temperature: 'warm', aim: p99, path: `${API}/requests.json`, drain: true },
    ],
    [{
      name: 'POST a request', kind: 'write', aim: { vsBare: 10 }, path: `${API}/requests.json`, script: 'post', check: {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'api_key=demo-public-key&service_code=corbeille-pleine&lat=47.39&long=0.68&description=check',
      },
    }],
  ];
}

/**
 * Calls a case before it is timed: a walk at five values over its range, else its path once. A
 * revalidation reads the ETag and checks the server answers 304 to it; null when it sends no ETag.
 */
async function prepare(app: Server, c: Case): Promise<{ c: Case; checked: Checked } | null> {
  if (!c.revalidate) return { c, checked: await checkAnswers(app.url, c.walk ? c.walk.samples() : [c.path], c.check) };
  const etag = (await callOk(app.url + c.path)).headers.etag;
  if (typeof etag !== 'string') return null;
  const again = await call(app.url + c.path, { headers: { 'If-None-Match': etag } });
  if (again.status !== 304) throw new Error(`GET ${c.path} with If-None-Match ${etag} answered ${again.status}, not 304`);
  return { c: { ...c, headers: { 'If-None-Match': etag } }, checked: { items: [0, 0], matches: [0, 0], serialMs: [], bytes: again.bytes } };
}

/**
 * Phase 1: reads and writes over the ≥ 100,000-request store, each against the bare route; on each engine
 * in turn (the same filled store, copied into PostgreSQL before the SQLite server starts, so neither sees
 * the other's writes).
 */
async function phaseOne(work: string, servers: Server[]) {
  process.stdout.write(`\nPhase 1: filling a store with ${STORE_SIZE} requests… `);
  const filledAt = Date.now();
  const store = await fillStore(join(work, 'bench.db'), STORE_SIZE, filledAt);
  process.stdout.write(`${store.requests} published requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const copied = ENGINES_RUN.includes('postgres') ? await copyIntoPostgres(store.file, store.requests) : null;
  const now = Math.floor(filledAt / 1000);

  const barePort = await freePort();
  const bare = await startServer('bare Hono', barePort, ['test/bench/bare-server.ts', String(barePort)], '/');
  servers.push(bare);

  process.stdout.write(`wrk ${MEASURE.threads} thread(s), ${MEASURE.connections} connections, ${WARMUP.seconds} s warm-up (warm cases ` +
    `${SHORT_WARMUP.seconds} s) + ${MEASURE.seconds} s per run; the bare route is measured right before each group of cases, and each ratio` +
    ' uses that pair (the machine may be shared)\n');
  const bareCase: Case = { name: 'bare Hono route', kind: 'info', path: '/' };
  const results: { engine: EngineName; c: Case; checked: Checked | null; bare: WrkResult; r: WrkResult | null }[] = [];
  for (const engine of ENGINES_RUN) {
    process.stdout.write(`${engine}:\n`);
    const app = await startOn(engine, store.file, copied);
    servers.push(app);
    const groups = [];
    for (const group of phaseOneCases(store, now)) {
      const ready = [];
      for (const c of group) ready.push({ c, prepared: await prepare(app, c) });
      groups.push(ready);
    }
    for (const group of groups) {
      const b = await measure(bare, bareCase, work, SHORT_WARMUP);
      for (const { c, prepared } of group) {
        if (!prepared) process.stdout.write(`  ${c.name}: no ETag sent, not measured\n`);
        results.push({ engine, c: prepared?.c ?? c, checked: prepared?.checked ?? null, bare: b, r: prepared ? await measure(app, prepared.c, work) : null });
      }
    }
    await stopOne(servers, app);
  }
  await Promise.all(servers.splice(0).map(stopServer));

  const rows = [['engine', 'case', 'calls', 'req/s', 'p50', 'p99', 'bare req/s', 'vs bare', 'aim', 'items', 'bytes/answer', 'repeats']];
  const json = [];
  let missed = 0;
  for (const { engine, c, checked, bare: b, r } of results) {
    const common = { engine, case: c.name, kind: c.kind, temperature: c.temperature ?? null, path: c.path, walk: walkJson(c) };
    if (!r || !checked) {
      rows.push([engine, c.name, c.temperature ?? '-', '-', '-', '-', String(Math.round(b.rps)), '-', '(no ETag sent)', '-', '-', '-']);
      json.push({ ...common, skipped: 'no ETag sent' });
      continue;
    }
    const ratio = b.rps / r.rps;
    const { met, text } = judge(c.aim, ratio, r);
    if (met === false) missed++;
    rows.push([engine, c.name + (r.errors ? ` [${r.errors} errors]` : ''), c.temperature ?? '-', String(Math.round(r.rps)), ms(r.latencyMs.p50),
      ms(r.latencyMs.p99), String(Math.round(b.rps)), `${ratio.toFixed(2)}x`, text, range(checked.items), String(Math.round(r.bytesPerResponse)),
      repeatsText(c, r)]);
    json.push({ ...common, items: checked.items, rps: r.rps, latencyMs: r.latencyMs, requests: r.requests, errors: r.errors,
      bytesPerResponse: r.bytesPerResponse, repeats: r.repeats ?? null, bare: { rps: b.rps, latencyMs: b.latencyMs }, slowerThanBare: ratio,
      aim: c.aim ?? null, met });
  }
  process.stdout.write(`\n${table(rows, [1, 2, 8])}\n\n"vs bare" = bare req/s ÷ case req/s (how many times slower); "calls": cold = each call a` +
    ` different answer, warm = the same URL every call; "items": of the answers checked (a cold case at five points of its range);` +
    ` "repeats" = share of the measured calls asking what an earlier call of the case had asked of this server (a walk: each only after` +
    ` every other, ${store.lastId - store.firstId + 1} ids or ${WINDOW_SHIFT} windows). ${missed ? `${missed} aim(s) missed.` : 'Every aim met.'}\n`);
  const nodes = copied && NODES_PHASE ? await phaseNodes(work, store.file, copied, nodeCases(store, now), servers) : null;
  return { engines: ENGINES_RUN, store: { requests: store.requests, fillSeconds: store.fillMs / 1000, page: store.page, postgres: copied }, cases: json, nodes };
}

/** Phase 1b's cases: GET one and the page cold (what a cache in front lets through), and POST; walks of their own. */
function nodeCases(store: FilledStore, now: number): Case[] {
  const [[one], [page], , [post]] = phaseOneCases(store, now);
  return [one!, page!, post!].map((c) => ({ ...c, name: c.temperature ? `${c.name}, ${c.temperature}` : c.name }));
}

/** Phase 1b (nodes.ts): one node against three behind HAProxy on phase 1's PostgreSQL copy, and the capacity estimate. */
async function phaseNodes(work: string, file: string, copied: CopiedStore, cases: Case[], servers: Server[]) {
  process.stdout.write(`\nPhase 1b: one node against three behind HAProxy, on PostgreSQL (phase 1's store and wrk settings; CPU time from /proc)\n`);
  const result = await nodesPhase({ work, file, databaseUrl: copied.url, cases, warmup: WARMUP, measure: MEASURE, servers });
  process.stdout.write(`\n${describeNodes(result, table)}\n`);
  return result;
}

/** A map query whose place changes on every call (lua/area.lua); `at` gives the same query for one place. */
interface Area {
  kind: 'bbox' | 'near';
  /** The centre of the places drawn, and how far from it (degrees) they may be. */
  lat: number;
  long: number;
  jitter: { lat: number; long: number };
  /** `bbox`: half the box's sides, in degrees. */
  half: { lat: number; long: number };
  /** `near`: metres. */
  radius: number;
}

const areaArgs = (a: Area) =>
  [a.kind, a.lat, a.long, a.jitter.lat, a.jitter.long, a.half.lat, a.half.long, a.radius, PAGE_SIZE].map(String);

/** The query lua/area.lua sends for the place (lat, long), formatted the same way. */
function areaPath(a: Area, lat: number, long: number): string {
  const f = (n: number) => n.toFixed(6);
  const query = a.kind === 'near'
    ? `lat=${f(lat)}&long=${f(long)}&radius=${a.radius}`
    : `bbox=${f(long - a.half.long)},${f(lat - a.half.lat)},${f(long + a.half.long)},${f(lat + a.half.lat)}`;
  return `${API}/requests.json?${query}&page_size=${PAGE_SIZE}`;
}

/** The extremes of the places an area's calls are drawn from (its centre, then its four corners). */
const areaSamples = (a: Area) =>
  [[0, 0], [-1, -1], [-1, 1], [1, -1], [1, 1]].map(([y, x]) => areaPath(a, a.lat + y! * a.jitter.lat, a.long + x! * a.jitter.long));

/** How many different places lua/area.lua draws among (millionths of a degree each way). */
const areaPlaces = (a: Area) => (2 * Math.round(a.jitter.lat * 1e6) + 1) * (2 * Math.round(a.jitter.long * 1e6) + 1);

/** A map query as a case: cold, a different place per call; warm, the centre's query every call. */
function areaCase(name: string, area: Area, temperature: Temperature): { c: Case; samples: string[] } {
  const path = areaPath(area, area.lat, area.long);
  const c: Case = { name, kind: 'read', temperature, path, drain: true };
  return temperature === 'cold'
    ? { c: { ...c, script: 'area', args: areaArgs(area), places: areaPlaces(area) }, samples: areaSamples(area) }
    : { c, samples: [path, path, path] };
}

/** What phase 2 measured on one engine at one temperature. */
interface AreaRun {
  engine: EngineName;
  temperature: Temperature;
  getOne: Case;
  base: WrkResult;
  oneChecked: Checked;
  results: { c: Case; checked: Checked; r: WrkResult; how: 'wrk' | 'one at a time' }[];
}

/** Phase 2 on one engine's server at one temperature: checks every answer, then GET one and each map query. */
async function measureAreas(app: Server, work: string, engine: EngineName, store: FilledStore, areas: { name: string; area: Area }[],
  temperature: Temperature): Promise<AreaRun> {
  process.stdout.write(`${engine}, ${temperature}: checking answers (${temperature === 'cold'
    ? 'GET one at five ids over the store, each map query at the centre and the four extremes of the places drawn'
    : 'each query three times'})…\n`);
  const getOne = getOneCase(store, temperature);
  const oneChecked = await checkAnswers(app.url, getOne.walk?.samples() ?? [getOne.path, getOne.path, getOne.path]);
  const cases = [];
  for (const { name, area } of areas) {
    const { c, samples } = areaCase(name, area, temperature);
    const checked = await checkAnswers(app.url, samples);
    process.stdout.write(`  ${name}: ${checked.items[0] === PAGE_SIZE ? 'full pages' : `ONLY ${checked.items[0]} ITEMS`} of ${PAGE_SIZE}, ` +
      `${range(checked.matches)} matches, ${checked.serialMs.map((t) => t.toFixed(0)).join(' / ')} ms one at a time` +
      `${c.places ? `; drawn among ${c.places.toExponential(1)} places` : ''}\n`);
    cases.push({ c, checked });
  }
  const base = await measure(app, getOne, work);
  const results: AreaRun['results'] = [];
  for (const { c, checked } of cases) {
    const serialP50 = quantile(checked.serialMs, 0.5);
    // With answers this slow, the measured run would see fewer answers than it has connections.
    if (serialP50 * MEASURE.connections <= MEASURE.seconds * 1000) {
      results.push({ c, checked, r: await measure(app, c, work), how: 'wrk' });
    } else {
      process.stdout.write(`  ${c.name}, ${temperature}… ${serialP50.toFixed(0)} ms an answer: timed one at a time\n`);
      const r: WrkResult = {
        requests: checked.serialMs.length, seconds: checked.serialMs.reduce((a, b) => a + b, 0) / 1000, rps: 1000 / serialP50,
        bytesPerResponse: checked.bytes, errors: 0,
        latencyMs: { p50: serialP50, p90: quantile(checked.serialMs, 0.9), p99: quantile(checked.serialMs, 0.99), max: Math.max(...checked.serialMs) },
      };
      results.push({ c, checked, r, how: 'one at a time' });
    }
  }
  return { engine, temperature, getOne, base, oneChecked, results };
}

/**
 * Phase 2: map queries over the large store, against GET one request of the same phase, engine and
 * temperature; the same filled store on each engine in turn (copied into PostgreSQL first), cold then warm.
 */
async function phaseTwo(work: string, servers: Server[]) {
  process.stdout.write(`\nPhase 2: filling a store with ${LARGE_STORE_SIZE} requests (denser in the centre)… `);
  const store: FilledStore = await fillStore(join(work, 'large.db'), LARGE_STORE_SIZE, Date.now(), { spread: 'city', writer: 'batch' });
  process.stdout.write(`${store.requests} published requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const copied = ENGINES_RUN.includes('postgres') ? await copyIntoPostgres(store.file, store.requests) : null;

  // Degrees per metre at the centre's latitude.
  const perMetre = { lat: 1 / 111_320, long: 1 / (111_320 * Math.cos((CENTER.lat * Math.PI) / 180)) };
  const around = (metres: number) => ({ lat: metres * perMetre.lat, long: metres * perMetre.long });
  // Neighbourhoods are drawn within 700 m of the centre (the dense part); the city box moves by up to 100 m.
  const hood: Area = { kind: 'bbox', ...CENTER, jitter: around(700), half: around(250), radius: 0 };
  const areas: { name: string; area: Area }[] = [
    { name: 'bbox 500 m × 500 m (neighbourhood)', area: hood },
    { name: 'radius 250 m', area: { ...hood, kind: 'near', half: { lat: 0, long: 0 }, radius: 250 } },
    { name: 'bbox whole city (4.4 km × 4.5 km)', area: { ...hood, jitter: around(100), half: CITY_HALF } },
  ];

  process.stdout.write(`wrk as in phase 1 (${MEASURE.threads} thread(s), ${MEASURE.connections} connections, ${WARMUP.seconds} s (warm` +
    ` ${SHORT_WARMUP.seconds} s) + ${MEASURE.seconds} s); a case whose answers take so long one at a time that the ${MEASURE.seconds} s run` +
    ` would see fewer answers than its ${MEASURE.connections} connections is timed one at a time instead\n`);
  const runs: AreaRun[] = [];
  for (const engine of ENGINES_RUN) {
    const app = await startOn(engine, store.file, copied);
    servers.push(app);
    for (const temperature of ['cold', 'warm'] as const) runs.push(await measureAreas(app, work, engine, store, areas, temperature));
    await stopOne(servers, app);
  }

  const rows = [['engine', 'case', 'calls', 'req/s', 'p50', 'p99', 'vs GET one', 'aim', 'items', 'matches', 'bytes/answer', 'repeats']];
  const json = [];
  const why: string[] = [];
  const profiled = new Set<string>();
  let missed = 0;
  let serial = false;
  for (const { engine, temperature, getOne, base, oneChecked, results } of runs) {
    rows.push([engine, getOne.name + (base.errors ? ` [${base.errors} errors]` : ''), temperature, String(Math.round(base.rps)), ms(base.latencyMs.p50),
      ms(base.latencyMs.p99), '1.00x', '(baseline)', '1', '1', String(Math.round(base.bytesPerResponse)), repeatsText(getOne, base)]);
    const cases = [];
    for (const { c, checked, r, how } of results) {
      const ratio = base.rps / r.rps;
      const met = ratio <= AREA_AIM && r.errors === 0 && checked.items[0] === PAGE_SIZE;
      let profile: QueryProfile | null = null;
      // The store's statements are the same whatever the temperature: each query is profiled once per engine.
      if (!met) missed++;
      if (!met && !profiled.has(`${engine} ${c.name}`)) {
        profiled.add(`${engine} ${c.name}`);
        profile = await profileQuery({ file: store.file, databaseUrl: engine === 'postgres' ? copied!.url : undefined }, c.path, how === 'wrk' ? 3 : 1);
        why.push(`  ${engine}, ${c.name}: the page (requests.search) ${ms(profile.searchMs)}, the count (X-Result-Count) ${ms(profile.countMs)}`,
          `    page plan:  ${profile.searchPlan.join(' | ')}`, `    count plan: ${profile.countPlan.join(' | ')}`);
      }
      serial ||= how !== 'wrk';
      const note = (r.errors ? ` [${r.errors} errors]` : '') + (how === 'wrk' ? '' : ' *');
      rows.push([engine, c.name + note, temperature, r.rps < 10 ? r.rps.toFixed(2) : String(Math.round(r.rps)), ms(r.latencyMs.p50), ms(r.latencyMs.p99),
        `${ratio.toFixed(2)}x`, `≤ ${AREA_AIM}x ${met ? 'met' : 'MISSED'}`, range(checked.items), range(checked.matches),
        String(Math.round(r.bytesPerResponse)), repeatsText(c, r)]);
      cases.push({ case: c.name, path: c.path, luaArgs: c.args ?? null, measuredBy: how, items: checked.items, matches: checked.matches, rps: r.rps,
        latencyMs: r.latencyMs, requests: r.requests, errors: r.errors, bytesPerResponse: r.bytesPerResponse, repeats: r.repeats ?? null,
        serialMs: checked.serialMs, slowerThanGetOne: ratio, aim: AREA_AIM, met, profile });
    }
    json.push({
      engine, temperature,
      getOne: { path: getOne.path, walk: walkJson(getOne), rps: base.rps, latencyMs: base.latencyMs, requests: base.requests, errors: base.errors,
        bytesPerResponse: base.bytesPerResponse, repeats: base.repeats ?? null, serialMs: oneChecked.serialMs },
      cases,
    });
  }
  const serialNote = serial ? '\n* timed one at a time (the answers checked, the first left out): req/s = 1000 ÷ p50; p99 is the slowest of them.' : '';
  process.stdout.write(`\n${table(rows, [1, 2, 7])}\n\n"vs GET one" = GET one req/s ÷ case req/s, on the same engine at the same temperature;` +
    ` "matches" = X-Result-Count of the answers checked; "repeats" as in phase 1 (for places drawn at random, a bound).` +
    `${serialNote}\n${missed ? `${missed} aim(s) missed.` : 'Every aim met.'}\n`);
  if (why.length) {
    process.stdout.write(`\nWhere the time goes in each missed case (its query at the centre, run in this process over the same store;` +
      ` plans of the statements keysQuery builds):\n${why.join('\n')}\n`);
  }
  return { engines: ENGINES_RUN, store: { requests: store.requests, fillSeconds: store.fillMs / 1000, spread: 'city', postgres: copied }, runs: json };
}

/** Phase 3: the public map in Chromium (map-browser.ts), against an empty map of the same run. */
async function phaseThree(work: string, servers: Server[]) {
  const result = await mapPhase(work, MAP_STORE_SIZE, servers);
  await Promise.all(servers.splice(0).map(stopServer));
  const rows = [['view', 'first drawing (median)', 'vs empty map', 'map answers', 'markers', 'clusters'],
    ...result.cases.map((c) => [c.name, ms(c.medianMs), `${c.ratioToEmpty.toFixed(2)}x`, `${(c.bytes / 1024).toFixed(1)} kB`,
      String(c.drawn.markers), String(c.drawn.clusters)])];
  process.stdout.write(`\n${table(rows, [])}\n\n"first drawing" = from navigation to the first markers or clusters on screen (an empty map: to its` +
    ` answer), median of ${result.runsPerView} warm runs in Chromium at 1280 × 800; "map answers" = bytes of the map.json bodies on the wire (gzipped).\n`);
  const { firstStep, withMap, all, firstStepMs, firstStepMedianMs } = result.widget;
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const sum = (files: Transfer[]) => files.reduce((n, f) => n + f.bytes!, 0);
  const when = (i: number) => (i < firstStep.length ? 'before the first step' : i < withMap.length ? 'with the map' : 'the rest of the widget');
  const code = all.filter((f) => f.path.startsWith('widget/'));
  const bytes = [['file', 'sent', 'encoding', 'when'],
    ...all.map((f, i) => [f.path.split('?')[0]!, kB(f.bytes!), f.encoding || 'none', when(i)]),
    ['total before the first step (aim: 35 kB)', kB(sum(firstStep)), '', `${firstStep.length} requests`],
    ['total with the map', kB(sum(withMap)), '', `${withMap.length} requests`],
    ['the widget\'s files, every part used (aim: 85 kB)', kB(sum(code)), '', `${code.length} requests`],
    ['everything, every part used', kB(sum(all)), '', `${all.length} requests`]];
  process.stdout.write(`\n${table(bytes, [2, 3])}\n\n"sent" = bytes Chromium received from the georeport server (headers and bodies as sent), a phone at 390 × 844` +
    ' with an empty cache, before the category step is usable, once the map tab is open, then once the form\'s next step and "my reports" are shown.\n' +
    `The category step on a slow phone network (Lighthouse's mobile throttling: 562.5 ms a request, 1.44 Mbit/s), from navigation, cold:` +
    ` ${firstStepMs.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (median ${(firstStepMedianMs / 1000).toFixed(2)} s).\n`);
  return result;
}

/** Phase 4: the bus drained by the reference consumer (bus-drain.ts), against request creation in the same run. */
async function phaseFour(work: string, servers: Server[]) {
  const result = await busPhase(work, BUS_MESSAGES, { warmup: WARMUP, measure: MEASURE }, servers);
  await Promise.all(servers.splice(0).map(stopServer));
  const d = result.drain;
  const rows = [['case', 'per second', 'vs POST', 'aim'],
    [`drain ${result.messages} messages (batches of ${d.max}, ${d.seconds.toFixed(1)} s)`, String(Math.round(d.perSecond)),
      `${result.ratio.toFixed(2)}x`, `≥ 1x ${result.met ? 'met' : 'MISSED'}`],
    ['POST a request (wrk)', String(Math.round(result.postRps)), '1.00x', '(baseline)']];
  process.stdout.write(`\n${table(rows, [3])}\n\n"vs POST" = messages drained per second ÷ requests filed per second on the same server.\n`);
  return result;
}

/** Phase 5: the inbox's list of 500 (inbox.ts), against GET one request of the same run. */
async function phaseFive(work: string, servers: Server[]) {
  const result = await inboxPhase(work, INBOX_STORE_SIZE, { warmup: WARMUP, measure: MEASURE }, servers);
  await Promise.all(servers.splice(0).map(stopServer));
  const g = result.getOne;
  const rows = [['case', 'req/s', 'p50', 'p99', 'vs GET one', 'items', 'matches', 'bytes/answer'],
    ['GET one request, cold', String(Math.round(g.rps)), ms(g.latencyMs.p50), ms(g.latencyMs.p99), '1.00x', '1', '1', String(Math.round(g.bytesPerResponse))],
    ...result.views.map((v) => [v.name + (v.r.errors ? ` [${v.r.errors} errors]` : ''), String(Math.round(v.r.rps)), ms(v.r.latencyMs.p50),
      ms(v.r.latencyMs.p99), `${v.ratio.toFixed(2)}x`, String(v.items), String(v.total), String(Math.round(v.r.bytesPerResponse))])];
  process.stdout.write(`\n${table(rows, [])}\n\n"vs GET one" = GET one req/s ÷ case req/s; "matches" = the list's total for that view.\n`);
  return {
    store: { requests: result.requests },
    getOne: { rps: g.rps, latencyMs: g.latencyMs, requests: g.requests, errors: g.errors, bytesPerResponse: g.bytesPerResponse },
    cases: result.views.map((v) => ({ case: v.name, path: v.path, items: v.items, matches: v.total, rps: v.r.rps, latencyMs: v.r.latencyMs,
      requests: v.r.requests, errors: v.r.errors, bytesPerResponse: v.r.bytesPerResponse, slowerThanGetOne: v.ratio })),
  };
}

async function main() {
  const wrkVersion = ensureWrk();
  const machine = () => ({ cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, wrk: wrkVersion, loadavg: loadavg().map((l) => +l.toFixed(2)) });
  const before = machine();
  process.stdout.write(`${before.cpus} × ${before.cpu}, ${before.memoryGiB} GiB, Node ${before.node}, ${before.wrk}; load average ${before.loadavg.join(' ')}\n`);
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'georeport-bench-'));
  const servers: Server[] = [];
  const cleanUp = async () => {
    await Promise.all(servers.splice(0).map(stopServer));
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
  const out = new URL('../../.tmp/bench-results.json', import.meta.url);
  const save = (results: object) => {
    const after = machine();
    writeFileSync(out, `${JSON.stringify({
      at: new Date().toISOString(), machine: { ...after, loadavgBefore: before.loadavg }, settings: { warmup: WARMUP, shortWarmup: SHORT_WARMUP, measure: MEASURE },
      ...results,
    }, null, 2)}\n`);
    return after;
  };
  try {
    const one = await phaseOne(work, servers);
    save(one);
    const two = LARGE_STORE_SIZE > 0 ? await phaseTwo(work, servers) : null;
    save({ ...one, large: two });
    const three = MAP_STORE_SIZE > 0 ? await phaseThree(work, servers) : null;
    save({ ...one, large: two, map: three });
    const four = BUS_MESSAGES > 0 ? await phaseFour(work, servers) : null;
    save({ ...one, large: two, map: three, bus: four });
    const five = INBOX_STORE_SIZE > 0 ? await phaseFive(work, servers) : null;
    const after = save({ ...one, large: two, map: three, bus: four, inbox: five });
    // wrk and the server under test keep about 2 CPUs busy themselves; much more means a shared machine.
    const shared = after.loadavg[0]! > after.cpus + 1 ? ' (other work shared the CPUs: compare ratios, not req/s)' : '';
    process.stdout.write(`\nload average at the end: ${after.loadavg.join(' ')}${shared}; ${((performance.now() - started) / 60_000).toFixed(1)} minutes in all\n`);
    process.stdout.write(`results written to .tmp/bench-results.json\n`);
  } finally {
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
