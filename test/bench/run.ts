/**
 * `npm run bench`, in two phases, both with wrk on loopback against the real server process.
 *
 * 1. GeoReport reads and writes over a store of ≥ 100,000 requests, each against a bare Hono route
 *    measured in the same run with the same wrk settings. Aim (DESIGN.md, "Speed"): reads within 3x of the
 *    bare route, writes within 10x.
 * 2. Map queries over a store of 1,000,000 generated requests (denser towards the city centre): a
 *    neighbourhood box, a 250 m radius and the whole city's box, each a page of 50 in a different place per
 *    call, against GET one request of the same phase. Aim: within 5x of GET one.
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
 *    (default, sorted, filtered as the queues are), against GET one request of the same run.
 *
 * 1b. Right after phase 1 on PostgreSQL (nodes.ts): one node against three behind HAProxy, with the CPU
 *    time of each part, and a capacity estimate for a three-node deployment from it (capacity.ts).
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
import { CENTER, CITY_HALF, fillStore, type FilledStore } from './fill-store.ts';
import { profileQuery, type QueryProfile } from './profile-query.ts';
import { freePort, startGeoreport, startServer, stopServer, type Server } from './processes.ts';
import { mapPhase } from './map-browser.ts';
import type { Transfer } from '../helpers/transfers.ts';
import { busPhase } from './bus-drain.ts';
import { inboxPhase } from './inbox.ts';
import { ensureWrk, runWrk, type WrkResult, type WrkSettings } from './wrk.ts';
import { benchEngines, createBenchPostgres, type CopiedStore, type EngineName } from './postgres-store.ts';
import { nodesPhase } from './nodes.ts';
import { describeNodes } from './capacity.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STORE_SIZE = env('BENCH_REQUESTS', 100_000);
const LARGE_STORE_SIZE = env('BENCH_LARGE_REQUESTS', 1_000_000);
const MAP_STORE_SIZE = env('BENCH_MAP_REQUESTS', 100_000);
const BUS_MESSAGES = env('BENCH_BUS_MESSAGES', 100_000);
const INBOX_STORE_SIZE = env('BENCH_INBOX_REQUESTS', 100_000);
const NODES_PHASE = env('BENCH_NODES', 1) !== 0;
const WARMUP: WrkSettings = { threads: env('BENCH_THREADS', 1), connections: env('BENCH_CONNECTIONS', 32), seconds: env('BENCH_WARMUP_SECONDS', 2) };
const MEASURE: WrkSettings = { ...WARMUP, seconds: env('BENCH_SECONDS', 5) };
const ENGINES_RUN = benchEngines();
/** Phases 1 and 2's PostgreSQL cluster, started when first needed and stopped at the end (or on failure). */
const postgres = createBenchPostgres();
const API = '/open311/v2';
const PAGE_SIZE = 50;

interface Case {
  name: string;
  kind: 'read' | 'write' | 'info';
  path: string;
  script?: string;
  args?: string[];
  /** How to call it once, to check it answers before timing it (default: a GET of `path`). */
  check?: RequestInit;
  /** Items one answer carries (counted by that check). */
  items?: number;
}

const AIM = { read: 3, write: 10 } as const;
/** Phase 2: each map query within this many times GET one request's time (req/s ratio). */
const AREA_AIM = 5;

async function countItems(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as unknown[]).length;
}

/**
 * Warm-up run, then measured run. `drain`: wait after each run until the server has answered what wrk left
 * queued (slow answers would otherwise run into the next run).
 */
async function measure(server: Server, c: Pick<Case, 'name' | 'path' | 'script' | 'args'>, work: string, drain = false): Promise<WrkResult> {
  process.stdout.write(`  ${c.name}… `);
  const idle = () => (drain ? fetch(server.url + '/health') : undefined);
  await runWrk(server.url + c.path, WARMUP, work, c.script, c.args);
  await idle();
  const r = await runWrk(server.url + c.path, MEASURE, work, c.script, c.args);
  await idle();
  process.stdout.write(`${Math.round(r.rps)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}\n`);
  return r;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** A plain-text table; every column but the first and those in `left` is right-aligned. */
function table(rows: string[][], left: number[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!, i > 0 && !left.includes(i))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const ms = (n: number) => `${n.toFixed(2)} ms`;


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

/**
 * Phase 1: reads and writes over the ≥ 100,000-request store, each against the bare route; on each engine
 * in turn (the same filled store, copied into PostgreSQL before the SQLite server starts, so neither sees
 * the other's writes).
 */
async function phaseOne(work: string, servers: Server[]) {
  process.stdout.write(`\nPhase 1: filling a store with ${STORE_SIZE} requests… `);
  const store = await fillStore(join(work, 'bench.db'), STORE_SIZE, Date.now());
  process.stdout.write(`${store.requests} published requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const copied = ENGINES_RUN.includes('postgres') ? await copyIntoPostgres(store.file, store.requests) : null;

  const barePort = await freePort();
  const bare = await startServer('bare Hono', barePort, ['test/bench/bare-server.ts', String(barePort)], '/');
  servers.push(bare);

  const q = store.page;
  const pageQuery = `service_code=${q.serviceCode}&start_date=${q.start}&end_date=${q.end}`;
  const cases: Case[] = [
    { name: 'GET one request', kind: 'read', path: `${API}/requests/${store.lastId}.json`, script: 'get-one', args: [String(store.firstId), String(store.lastId)] },
    { name: 'GET a page (1 service, narrow dates)', kind: 'read', path: `${API}/requests.json?${pageQuery}` },
    { name: 'GET default query (90 days, cap 1000)', kind: 'info', path: `${API}/requests.json` },
    {
      name: 'POST a request', kind: 'write', path: `${API}/requests.json`, script: 'post', check: {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'api_key=demo-public-key&service_code=corbeille-pleine&lat=47.39&long=0.68&description=check',
      },
    },
  ];

  process.stdout.write(`wrk ${MEASURE.threads} thread(s), ${MEASURE.connections} connections, ${WARMUP.seconds} s warm-up + ${MEASURE.seconds} s per run;` +
    ' the bare route is measured right before each case, and each ratio uses that pair (the machine may be shared)\n');
  const bareCase = { name: 'bare Hono route', path: '/' };
  const results: { engine: EngineName; c: Case; items: number; bare: WrkResult; r: WrkResult }[] = [];
  for (const engine of ENGINES_RUN) {
    process.stdout.write(`${engine}:\n`);
    const app = await startOn(engine, store.file, copied);
    servers.push(app);
    const items = [];
    for (const c of cases) items.push(await countItems(app.url + c.path, c.check));
    for (const [i, c] of cases.entries()) {
      results.push({ engine, c, items: items[i]!, bare: await measure(bare, bareCase, work), r: await measure(app, c, work) });
    }
    await stopOne(servers, app);
  }
  await Promise.all(servers.splice(0).map(stopServer));

  const rows = [['engine', 'case', 'req/s', 'p50', 'p99', 'bare req/s', 'vs bare', 'aim', 'items', 'bytes/answer']];
  const json = [];
  let missed = 0;
  for (const { engine, c, items, bare: b, r } of results) {
    const ratio = b.rps / r.rps;
    const aim = c.kind === 'info' ? undefined : AIM[c.kind];
    const met = aim === undefined ? undefined : ratio <= aim && r.errors === 0;
    if (met === false) missed++;
    const aimText = aim === undefined ? '(no aim)' : `≤ ${aim}x ${met ? 'met' : 'MISSED'}`;
    rows.push([engine, c.name + (r.errors ? ` [${r.errors} errors]` : ''), String(Math.round(r.rps)), ms(r.latencyMs.p50), ms(r.latencyMs.p99),
      String(Math.round(b.rps)), `${ratio.toFixed(2)}x`, aimText, String(items), String(Math.round(r.bytesPerResponse))]);
    json.push({ engine, case: c.name, kind: c.kind, path: c.path, items, rps: r.rps, latencyMs: r.latencyMs, requests: r.requests,
      errors: r.errors, bytesPerResponse: r.bytesPerResponse, bare: { rps: b.rps, latencyMs: b.latencyMs }, slowerThanBare: ratio,
      aim: aim ?? null, met: met ?? null });
  }
  process.stdout.write(`\n${table(rows, [1, 7])}\n\n"vs bare" = bare req/s ÷ case req/s (how many times slower). ${missed ? `${missed} aim(s) missed.` : 'Every aim met.'}\n`);
  const nodes = copied && NODES_PHASE ? await phaseNodes(work, store.file, copied, cases.filter((c) => c.kind !== 'info'), servers) : null;
  return { engines: ENGINES_RUN, store: { requests: store.requests, fillSeconds: store.fillMs / 1000, page: store.page, postgres: copied }, cases: json, nodes };
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

interface Checked {
  /** Fewest items among the answers checked. */
  items: number;
  /** Fewest and most matches (X-Result-Count) among them. */
  matches: [number, number];
  /** Time of each answer, one at a time (the first, which prepares statements, left out). */
  serialMs: number[];
  /** Bytes of an answer, headers included (as wrk counts them), averaged. */
  bytes: number;
}

/** Calls each path once, in turn: checks it answers, counts its items and matches, times it. */
async function checkAnswers(server: Server, paths: string[]): Promise<Checked> {
  const out: Checked = { items: Infinity, matches: [Infinity, 0], serialMs: [], bytes: 0 };
  for (const [i, path] of paths.entries()) {
    const started = performance.now();
    const res = await fetch(server.url + path);
    const body = await res.text();
    if (i > 0) out.serialMs.push(performance.now() - started);
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body}`);
    const items = (JSON.parse(body) as unknown[]).length;
    const matches = Number(res.headers.get('X-Result-Count') ?? items);
    out.items = Math.min(out.items, items);
    out.matches = [Math.min(out.matches[0], matches), Math.max(out.matches[1], matches)];
    let head = `HTTP/1.1 ${res.status} ${res.statusText}\r\n\r\n`.length;
    res.headers.forEach((v, k) => (head += `${k}: ${v}\r\n`.length));
    out.bytes += (head + Buffer.byteLength(body)) / paths.length;
  }
  return out;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** What phase 2 measured on one engine. */
interface AreaRun {
  engine: EngineName;
  base: WrkResult;
  oneChecked: Checked;
  results: { name: string; path: string; args?: string[]; c: Checked; r: WrkResult; how: 'wrk' | 'one at a time' }[];
}

/** Phase 2 on one engine's server: checks every answer, then GET one and each map query. */
async function measureAreas(app: Server, work: string, engine: EngineName, getOne: Case, areas: { name: string; area: Area }[], firstId: number): Promise<AreaRun> {
  process.stdout.write(`${engine}: checking answers (each map query at the centre and the four extremes of the places drawn)…\n`);
  const oneChecked = await checkAnswers(app, [getOne.path, getOne.path, `${API}/requests/${firstId}.json`]);
  const checked = [];
  for (const { name, area } of areas) {
    const c = await checkAnswers(app, areaSamples(area));
    process.stdout.write(`  ${name}: ${c.items === PAGE_SIZE ? 'full pages' : `ONLY ${c.items} ITEMS`} of ${PAGE_SIZE}, ` +
      `${c.matches[0]}–${c.matches[1]} matches, ${c.serialMs.map((t) => t.toFixed(0)).join(' / ')} ms one at a time\n`);
    checked.push(c);
  }
  const base = await measure(app, getOne, work);
  const results: AreaRun['results'] = [];
  for (const [i, { name, area }] of areas.entries()) {
    const c = checked[i]!;
    const serialP50 = quantile(c.serialMs, 0.5);
    const spec = { name, path: areaPath(area, area.lat, area.long), script: 'area', args: areaArgs(area) };
    // With answers this slow, the measured run would see fewer answers than it has connections.
    if (serialP50 * MEASURE.connections <= MEASURE.seconds * 1000) {
      results.push({ ...spec, c, r: await measure(app, spec, work, true), how: 'wrk' });
    } else {
      process.stdout.write(`  ${name}… ${serialP50.toFixed(0)} ms an answer: timed one at a time\n`);
      const r: WrkResult = {
        requests: c.serialMs.length, seconds: c.serialMs.reduce((a, b) => a + b, 0) / 1000, rps: 1000 / serialP50,
        bytesPerResponse: c.bytes, errors: 0,
        latencyMs: { p50: serialP50, p90: quantile(c.serialMs, 0.9), p99: quantile(c.serialMs, 0.99), max: Math.max(...c.serialMs) },
      };
      results.push({ ...spec, c, r, how: 'one at a time' });
    }
  }
  return { engine, base, oneChecked, results };
}

/**
 * Phase 2: map queries over the large store, against GET one request of the same phase and engine; the
 * same filled store on each engine in turn (copied into PostgreSQL first).
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
  const getOne: Case = { name: 'GET one request (random ids)', kind: 'read', path: `${API}/requests/${store.lastId}.json`, script: 'get-one', args: [String(store.firstId), String(store.lastId)] };

  process.stdout.write(`wrk as in phase 1 (${MEASURE.threads} thread(s), ${MEASURE.connections} connections, ${WARMUP.seconds} s + ${MEASURE.seconds} s);` +
    ` a case whose answers take so long one at a time that the ${MEASURE.seconds} s run would see fewer answers than its` +
    ` ${MEASURE.connections} connections is timed one at a time instead\n`);
  const runs: AreaRun[] = [];
  for (const engine of ENGINES_RUN) {
    const app = await startOn(engine, store.file, copied);
    servers.push(app);
    runs.push(await measureAreas(app, work, engine, getOne, areas, store.firstId));
    await stopOne(servers, app);
  }

  const rows = [['engine', 'case', 'req/s', 'p50', 'p99', 'vs GET one', 'aim', 'items', 'matches', 'bytes/answer']];
  const json = [];
  const why: string[] = [];
  let missed = 0;
  let serial = false;
  for (const { engine, base, oneChecked, results } of runs) {
    rows.push([engine, getOne.name + (base.errors ? ` [${base.errors} errors]` : ''), String(Math.round(base.rps)), ms(base.latencyMs.p50),
      ms(base.latencyMs.p99), '1.00x', '(baseline)', '1', '1', String(Math.round(base.bytesPerResponse))]);
    const cases = [];
    for (const { name, path, args, c, r, how } of results) {
      const ratio = base.rps / r.rps;
      const met = ratio <= AREA_AIM && r.errors === 0 && c.items === PAGE_SIZE;
      let profile: QueryProfile | null = null;
      if (!met) {
        missed++;
        profile = await profileQuery({ file: store.file, databaseUrl: engine === 'postgres' ? copied!.url : undefined }, path, how === 'wrk' ? 3 : 1);
        why.push(`  ${engine}, ${name}: the page (requests.search) ${ms(profile.searchMs)}, the count (X-Result-Count) ${ms(profile.countMs)}`,
          `    page plan:  ${profile.searchPlan.join(' | ')}`, `    count plan: ${profile.countPlan.join(' | ')}`);
      }
      serial ||= how !== 'wrk';
      const note = (r.errors ? ` [${r.errors} errors]` : '') + (how === 'wrk' ? '' : ' *');
      rows.push([engine, name + note, r.rps < 10 ? r.rps.toFixed(2) : String(Math.round(r.rps)), ms(r.latencyMs.p50), ms(r.latencyMs.p99),
        `${ratio.toFixed(2)}x`, `≤ ${AREA_AIM}x ${met ? 'met' : 'MISSED'}`, String(c.items),
        c.matches[0] === c.matches[1] ? String(c.matches[0]) : `${c.matches[0]}–${c.matches[1]}`, String(Math.round(r.bytesPerResponse))]);
      cases.push({ case: name, path, luaArgs: args, measuredBy: how, items: c.items, matches: c.matches, rps: r.rps, latencyMs: r.latencyMs,
        requests: r.requests, errors: r.errors, bytesPerResponse: r.bytesPerResponse, serialMs: c.serialMs, slowerThanGetOne: ratio,
        aim: AREA_AIM, met, profile });
    }
    json.push({
      engine,
      getOne: { path: getOne.path, rps: base.rps, latencyMs: base.latencyMs, requests: base.requests, errors: base.errors,
        bytesPerResponse: base.bytesPerResponse, serialMs: oneChecked.serialMs },
      cases,
    });
  }
  const serialNote = serial ? '\n* timed one at a time (the answers checked, the first left out): req/s = 1000 ÷ p50; p99 is the slowest of them.' : '';
  process.stdout.write(`\n${table(rows, [1, 6])}\n\n"vs GET one" = GET one req/s ÷ case req/s, on the same engine; "matches" = X-Result-Count of the answers checked.` +
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
    ['GET one request (random ids)', String(Math.round(g.rps)), ms(g.latencyMs.p50), ms(g.latencyMs.p99), '1.00x', '1', '1', String(Math.round(g.bytesPerResponse))],
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
      at: new Date().toISOString(), machine: { ...after, loadavgBefore: before.loadavg }, settings: { warmup: WARMUP, measure: MEASURE },
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
