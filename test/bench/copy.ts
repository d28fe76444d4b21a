/**
 * Times `georeport copy` over the bench's 100,000-request store, both ways, as an operator runs it:
 * the SQLite file into a new PostgreSQL database, then that database into a new SQLite file, each
 * under `/usr/bin/time -v` for its wall time and peak memory. The file that comes back must hold every
 * row of the first (a hash of each table read in key order). Not part of `npm test`:
 * `node --import tsx test/bench/copy.ts [requests]`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { startPostgres } from '../helpers/postgres.ts';
import { fillStore } from './fill-store.ts';

const run = promisify(execFile);
const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const count = Number(process.argv[2] ?? 100_000);

/** Runs the CLI's copy under GNU time: seconds and peak resident memory in MiB. */
async function timedCopy(from: string, to: string): Promise<{ seconds: number; peakMiB: number; summary: string }> {
  const { stdout, stderr } = await run('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', MAIN, 'copy', '--from', from, '--to', to], { maxBuffer: 1 << 24 });
  const field = (name: string) => /: (.*)$/.exec(stderr.split('\n').find((l) => l.includes(name)) ?? '')?.[1] ?? '';
  const [m, s] = field('Elapsed (wall clock)').split(':').map(Number) as [number, number];
  return { seconds: m * 60 + s, peakMiB: Number(field('Maximum resident set size')) / 1024, summary: stdout.trim().split('\n').at(-2) ?? '' };
}

/** A hash of every table's rows in key order, read without holding a table in memory. */
function fingerprint(file: string): Map<string, string> {
  const db = new Database(file, { readonly: true });
  const tables = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
  const prints = new Map<string, string>();
  for (const table of tables) {
    const key = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(table) as string[]).join(', ') || 'rowid';
    const hash = createHash('sha256');
    let n = 0;
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).iterate()) (hash.update(JSON.stringify(row)), n++);
    prints.set(table, `${n} ${hash.digest('hex').slice(0, 16)}`);
  }
  db.close();
  return prints;
}

const work = mkdtempSync(join(tmpdir(), 'georeport-copy-bench-'));
const cluster = await startPostgres();
try {
  const source = join(work, 'source.db');
  const filled = await fillStore(source, count, Date.now(), { writer: 'batch' });
  console.log(`filled ${filled.requests} requests in ${(filled.fillMs / 1000).toFixed(1)} s`);
  const url = await cluster.createDatabase({ migrated: true });
  const there = await timedCopy(source, url);
  console.log(`SQLite → PostgreSQL: ${there.seconds.toFixed(1)} s, peak ${there.peakMiB.toFixed(0)} MiB (${there.summary})`);
  const back = join(work, 'back.db');
  const home = await timedCopy(url, back);
  console.log(`PostgreSQL → SQLite: ${home.seconds.toFixed(1)} s, peak ${home.peakMiB.toFixed(0)} MiB (${home.summary})`);
  const [a, b] = [fingerprint(source), fingerprint(back)];
  const differ = [...a].filter(([table, print]) => b.get(table) !== print).map(([table]) => table);
  console.log(differ.length ? `tables that differ: ${differ.join(', ')}` : `every table the same (${a.size} tables, requests: ${a.get('requests')})`);
  process.exitCode = differ.length ? 1 : 0;
} finally {
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
