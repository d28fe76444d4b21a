/**
 * What the async database interface costs on SQLite, for the statement a GET of one request runs:
 * better-sqlite3 called directly (as the stores do today) against the same statement through the
 * Engine (`await engine.one(…)`), outside and inside a transaction (each against better-sqlite3 in the
 * same place: outside one, every statement opens its own read snapshot), over one store of requests.
 *
 * `node --import tsx test/bench/engine-overhead.ts` (BENCH_ROWS: 10000 requests, BENCH_CALLS: 200000
 * per run; the median of 5 runs is printed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/database.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const GET_ONE = 'SELECT id, status, detailed_status, title, description, lat, long, requested_at, updated_at FROM requests WHERE id = ? AND visibility = ?';

const dir = mkdtempSync(join(tmpdir(), 'georeport-bench-'));
const db = openDatabase(join(dir, 'bench.db'));
db.prepare("INSERT INTO jurisdictions (id, name, created_at) VALUES ('ville.example', 'Ville', 0)").run();
db.prepare("INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES ('ville.example', 'voirie', 'Voirie', 0)").run();
const insert = db.prepare("INSERT INTO requests (jurisdiction_id, service_id, title, description, lat, long, requested_at, updated_at) VALUES ('ville.example', 1, ?, ?, ?, ?, ?, ?)");
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) insert.run(`Nid de poule ${i}`, 'Devant le numéro 12', 47.2 + i / 1e5, -1.55, i, i);
})();
const engine = createSqliteEngine(db);
const direct = db.prepare(GET_ONE);
const id = (i: number) => (i * 7919) % ROWS + 1;

async function median(label: string, body: () => Promise<void> | void): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    await body();
    runs.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  const ns = runs.sort((a, b) => a - b)[2]!;
  console.log(`${label.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns per call`);
  return ns;
}

const base = await median('better-sqlite3 directly (stmt.get)', () => {
  for (let i = 0; i < CALLS; i++) direct.get(id(i), 'published');
});
const outside = await median('Engine: await engine.one(…)', async () => {
  for (let i = 0; i < CALLS; i++) await engine.one(GET_ONE, [id(i), 'published']);
});
const baseInside = await median('better-sqlite3 directly inside db.transaction', () =>
  db.transaction(() => {
    for (let i = 0; i < CALLS; i++) direct.get(id(i), 'published');
  })(),
);
const inside = await median('Engine: await tx.one(…) inside a transaction', () =>
  engine.transaction(async (tx) => {
    for (let i = 0; i < CALLS; i++) await tx.one(GET_ONE, [id(i), 'published']);
  }),
);
const overhead = (ns: number, than: number) => `${ns >= than ? '+' : ''}${(ns - than).toFixed(0)} ns (${(ns / than).toFixed(2)}x)`;
console.log(`overhead: ${overhead(outside, base)} outside a transaction, ${overhead(inside, baseInside)} inside one`);
await engine.close();
rmSync(dir, { recursive: true, force: true });
