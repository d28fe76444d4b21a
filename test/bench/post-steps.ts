/**
 * One filing (`POST requests.json`, urlencoded, the demo key, as the bench's post.lua sends it) split into
 * its steps, on each engine of BENCH_ENGINES: the real app (`createApp`) on a fresh store of the demo city
 * (a SQLite file in WAL mode; a database of a private, durable PostgreSQL cluster set as the bench's),
 * called in-process with `app.request()`, every statement timed and counted through the Queryable
 * (measured-engine.ts).
 *
 * 1. Filings one at a time (a group-commit batch of one): the mean time of each step over
 *    POST_STEPS_FILINGS filings (the slowest 5% left out: the machine may be shared), and the calls each
 *    makes (statements, BEGIN, SAVEPOINT, COMMIT: round trips on PostgreSQL). Steps outside the store
 *    (HTTP in Hono, body parse, validation, locate with no geocoder, answer) are the rest of the
 *    filing's time; three of them are also timed alone, on the same body.
 * 2. Triggers: the store's inserts for a filing timed in a transaction rolled back, with the triggers of
 *    `requests`, `reporters` and `request_events` and without them (dropped inside that transaction;
 *    PostgreSQL's deferred ones run at each statement's end, `SET CONSTRAINTS ALL IMMEDIATE`). Indexes
 *    and PostgreSQL's generated columns (`geom`, `search`) are the inserts' own work, not triggers.
 * 3. Filings POST_STEPS_CONCURRENCY at a time (group commit shares commits): filings per second, calls
 *    and commits per filing.
 * And a bare Hono route called the same way, for an in-process "x bare".
 *
 * `node --import tsx test/bench/post-steps.ts` (POST_STEPS_FILINGS 2000, POST_STEPS_CONCURRENCY 32,
 * BENCH_ENGINES sqlite,postgres). Prints a table; `postSteps()` returns the figures for run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { parseForm } from '../../server/georeport/fields.ts';
import { locate } from '../../server/georeport/locate.ts';
import { validateRequest } from '../../server/georeport/validate-request.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { createLogger } from '../../server/logger.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { measureEngine, type Call } from './measured-engine.ts';
import { benchEngines, SHARED_BUFFERS, type EngineName } from './postgres-store.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const FILINGS = env('POST_STEPS_FILINGS', 2000);
const CONCURRENCY = env('POST_STEPS_CONCURRENCY', 32);
const URL_POST = 'http://localhost/open311/v2/requests.json';
const SERVICE = 'corbeille-pleine';

/** The body post.lua sends, the n-th time. */
const body = (n: number) =>
  `api_key=${DEMO_API_KEY}&service_code=${SERVICE}&lat=${(47.374 + Math.random() * 0.04).toFixed(5)}&long=${(0.655 + Math.random() * 0.06).toFixed(5)}` +
  `&description=Corbeille+pleine+devant+le+n%C2%B0${n}%2C+rue+Nationale`;

/** The step a statement outside a transaction belongs to, by the table it reads. */
function stepOf(sql: string): string {
  if (sql.includes('rate_limit_hits')) return 'rate limits';
  if (/cache_versions|FROM api_clients/.test(sql)) return 'key and cache versions';
  if (/routing_rules|FROM jurisdictions/.test(sql)) return 'routing';
  if (/FROM services|service_attributes/.test(sql)) return 'catalogue';
  return 'other statements';
}
const INSIDE = 'insert statements (savepoint, inserts, their triggers)';
const STEPS = ['rate limits', 'key and cache versions', 'catalogue', 'routing', 'other statements', 'begin', INSIDE, 'commit'];

export interface StepFigure {
  step: string;
  /** Mean microseconds a filing, and calls a filing. */
  us: number;
  calls: number;
}

export interface EngineSteps {
  engine: EngineName;
  steps: StepFigure[];
  /** Microseconds: a filing, a bare route, each one at a time (means). */
  filingUs: number;
  bareUs: number;
  /** Alone, on the same body (means, µs). */
  units: { parse: number; validate: number; locate: number };
  /** The inserts of one filing with and without the triggers (medians of rounds, µs). */
  inserts: { withTriggers: number; withoutTriggers: number };
  concurrent: { filingsPerSecond: number; callsPerFiling: number; commitsPerFiling: number };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Mean µs of `fn` over `n` calls. */
async function perCall(n: number, fn: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - start) * 1000) / n;
}

async function openStore(name: EngineName, dir: string, cluster: () => Promise<string>): Promise<Engine> {
  return name === 'sqlite' ? openEngine({ dbFile: join(dir, 'post-steps.db') }) : openEngine({ databaseUrl: await cluster(), dbFile: '' });
}

/** The filings one at a time: each step's mean time and calls. */
async function oneAtATime(post: (n: number) => Response | Promise<Response>, engine: ReturnType<typeof measureEngine>) {
  for (let i = 0; i < 200; i++) await post(i);
  engine.take();
  const filings: { total: number; calls: Call[] }[] = [];
  for (let i = 0; i < FILINGS; i++) {
    const start = performance.now();
    const res = await post(i);
    const total = performance.now() - start;
    if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    filings.push({ total, calls: engine.take() });
  }
  const cut = filings.map((f) => f.total).sort((a, b) => a - b)[Math.floor(filings.length * 0.95)]!;
  const kept = filings.filter((f) => f.total <= cut);
  const steps = STEPS.map((step) => ({
    step,
    us: mean(kept.map((f) => f.calls.filter((c) => c.step === step).reduce((a, c) => a + c.ms, 0))) * 1000,
    calls: mean(kept.map((f) => f.calls.filter((c) => c.call && c.step === step).length)),
  }));
  return { steps, filingUs: mean(kept.map((f) => f.total)) * 1000 };
}

/** The inserts of a filing in a transaction rolled back, triggers kept or dropped: µs a filing. */
async function insertsUs(engine: Engine, input: Parameters<ReturnType<typeof createRequestsStore>['create']>[0], dropTriggers: boolean): Promise<number> {
  const ROUNDS = 200;
  const undone = new Error('rolled back on purpose');
  let us = 0;
  try {
    await engine.transaction(async (tx) => {
      if (tx.kind === 'postgres') await tx.run('SET CONSTRAINTS ALL IMMEDIATE');
      if (dropTriggers) for (const drop of await dropStatements(tx)) await tx.run(drop);
      const store = createRequestsStore(tx);
      us = await perCall(ROUNDS, () => store.create(input));
      throw undone;
    });
  } catch (error) {
    if (error !== undone) throw error;
  }
  return us;
}

/** DROP TRIGGER for every trigger of ours on the tables a filing writes (foreign keys' own stay). */
async function dropStatements(tx: Queryable): Promise<string[]> {
  const tables = ['requests', 'reporters', 'request_events'];
  if (tx.kind === 'sqlite') {
    const rows = await tx.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('${tables.join("', '")}')`);
    return rows.map((r) => `DROP TRIGGER ${r.name}`);
  }
  const rows = await tx.query<{ name: string; tbl: string }>(
    `SELECT t.tgname AS name, c.relname AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE NOT t.tgisinternal AND c.relname IN ('${tables.join("', '")}')`,
  );
  return rows.map((r) => `DROP TRIGGER ${r.name} ON ${r.tbl}`);
}

/** POST_STEPS_CONCURRENCY filings in flight at once until FILINGS are answered. */
async function concurrently(post: (n: number) => Response | Promise<Response>, engine: ReturnType<typeof measureEngine>) {
  engine.take();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < FILINGS) {
        const res = await post(next++);
        if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const calls = engine.take();
  return { filingsPerSecond: FILINGS / seconds, callsPerFiling: calls.filter((c) => c.call).length / FILINGS, commitsPerFiling: calls.filter((c) => c.step === 'commit').length / FILINGS };
}

async function measureOn(name: EngineName, store: Engine, mediaDir: string): Promise<EngineSteps> {
  const now = Date.now();
  await seedDemo(store, now);
  const engine = measureEngine(store, stepOf, INSIDE);
  // As the bench's server runs: a demo (its key works), limits out of the way of the load.
  const config = { ...loadConfig({}, {}), demo: true, logLevel: 'silent' as const, publicUrl: 'http://localhost/', mediaDir, rateLimitIpPerMinute: 1e9, rateLimitKeyPerMinute: 1e9 };
  const app = createApp({ config, engine, logger: createLogger('silent') });
  const post = (n: number) =>
    app.request(URL_POST, { method: 'POST', body: body(n), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  const { steps, filingUs } = await oneAtATime(post, engine);
  // After the filings, so that both are timed in a warm process.
  const bare = new Hono().get('/', (c) => c.json({ ok: true }));
  for (let i = 0; i < 1000; i++) await bare.request('http://localhost/');
  const bareUs = await perCall(FILINGS, () => bare.request('http://localhost/'));

  const catalogue = createCatalogueStore(store);
  const jurisdiction = (await catalogue.jurisdictions())[0]!;
  const service = (await catalogue.service(jurisdiction.id, SERVICE))!;
  const attributes = await catalogue.attributes(service);
  const fields = parseForm(body(1));
  const input = validateRequest(fields, attributes);
  const units = {
    parse: await perCall(FILINGS, (i) => parseForm(body(i))),
    validate: await perCall(FILINGS, () => validateRequest(fields, attributes)),
    locate: await perCall(FILINGS, () => locate({ ...input, zipcode: null }, undefined, createLogger('silent'), 'fr')),
  };

  const filing = {
    ...input, zipcode: null, media: [], expectedAt: null, jurisdictionId: jurisdiction.id, serviceId: service.id, token: null,
    visibility: 'published' as const, assignedDepartment: null, busAppId: null, agencyResponsible: null, referral: null,
    serviceNotice: null, apiClientId: null, locale: 'fr', twinSince: null, trackingHash: null, now: Math.floor(now / 1000),
  };
  const rounds: { withTriggers: number; withoutTriggers: number }[] = [];
  for (let r = 0; r < 5; r++) rounds.push({ withTriggers: await insertsUs(store, filing, false), withoutTriggers: await insertsUs(store, filing, true) });
  const inserts = { withTriggers: median(rounds.map((r) => r.withTriggers)), withoutTriggers: median(rounds.map((r) => r.withoutTriggers)) };

  const concurrent = await concurrently(post, engine);
  return { engine: name, steps, filingUs, bareUs, units, inserts, concurrent };
}

/** Measures each engine in turn on a fresh store (PostgreSQL: a durable private cluster, stopped at the end). */
export async function postSteps(engines: EngineName[] = benchEngines()): Promise<EngineSteps[]> {
  const dir = mkdtempSync(join(tmpdir(), 'georeport-post-steps-'));
  const cluster = engines.includes('postgres') ? startPostgres({ durable: true, sharedBuffers: SHARED_BUFFERS }) : undefined;
  const results: EngineSteps[] = [];
  try {
    for (const name of engines) {
      const store = await openStore(name, dir, async () => (await cluster!).createDatabase({ migrated: true }));
      try {
        results.push(await measureOn(name, store, join(dir, 'media')));
      } finally {
        await store.close();
      }
    }
  } finally {
    await (await cluster)?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const us = (n: number) => `${n.toFixed(0)} µs`;
const calls = (n: number) => (n === 0 ? '' : n.toFixed(n % 1 === 0 ? 0 : 2));

/** The table of `postSteps()`, one pair of columns (time, calls) per engine. */
export function formatPostSteps(results: EngineSteps[]): string {
  const outside = (r: EngineSteps) => r.filingUs - r.steps.reduce((a, s) => a + s.us, 0);
  const rows: string[][] = [
    ['step (one filing at a time, means)', ...results.flatMap((r) => [r.engine, 'calls'])],
    ['outside the store: HTTP in Hono, parse, validation, locate, answer', ...results.flatMap((r) => [us(outside(r)), ''])],
    ['  of which body parse (parseForm, alone)', ...results.flatMap((r) => [us(r.units.parse), ''])],
    ['  of which validation (validateRequest, alone)', ...results.flatMap((r) => [us(r.units.validate), ''])],
    ['  of which locate (no geocoder, alone)', ...results.flatMap((r) => [us(r.units.locate), ''])],
    ...STEPS.map((step) => [step, ...results.flatMap((r) => { const s = r.steps.find((x) => x.step === step)!; return [us(s.us), calls(s.calls)]; })]),
    ['  inserts alone, with triggers (rolled back)', ...results.flatMap((r) => [us(r.inserts.withTriggers), ''])],
    ['  inserts alone, without triggers (rolled back)', ...results.flatMap((r) => [us(r.inserts.withoutTriggers), ''])],
    ['a filing', ...results.flatMap((r) => [us(r.filingUs), calls(r.steps.reduce((a, s) => a + s.calls, 0))])],
    ['a bare Hono route, same way', ...results.flatMap((r) => [us(r.bareUs), ''])],
    ['a filing ÷ the bare route', ...results.flatMap((r) => [`${(r.filingUs / r.bareUs).toFixed(1)}x`, ''])],
    [`${CONCURRENCY} at a time: filings per second`, ...results.flatMap((r) => [r.concurrent.filingsPerSecond.toFixed(0), ''])],
    [`${CONCURRENCY} at a time: calls, commits per filing`, ...results.flatMap((r) => [r.concurrent.callsPerFiling.toFixed(2), r.concurrent.commitsPerFiling.toFixed(2)])],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await postSteps();
  process.stdout.write(`${formatPostSteps(results)}\n\n${FILINGS} filings a run, in-process (app.request), on a shared machine: compare ratios, not µs.\n`);
}
