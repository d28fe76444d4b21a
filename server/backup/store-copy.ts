import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { migratePostgres } from '../db/pg-migrate.ts';
import { connectPostgres, createPostgresEngine } from '../db/postgres-engine.ts';
import { describeStore, storeVersion } from '../db/store-schema.ts';
import type { Queryable } from '../db/engine.ts';
import { BackupError } from './manifest.ts';
import { findPgTool, libpqEnv, runPgTool, serverMajor } from './pg-tools.ts';

/** What the manifest says of a store's copy. */
export interface CopiedStore {
  schemaVersion: number;
  requests: number;
}

/** better-sqlite3 copies 100 pages per step by default; all of them in one step is one read snapshot. */
const ALL_PAGES = 0x7fffffff;

const countRequests = async (db: Queryable) => (await db.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n;

/**
 * Copies the SQLite store `file` into `target` with SQLite's online backup while the server keeps
 * writing: in one step, so in one read transaction (WAL: writers go on; a backup made in many steps
 * would start again each time a write landed in between, and might never end under load). The copy is
 * checked (`quick_check`), set to a plain rollback journal (one self-contained file), and read for the
 * manifest.
 */
export async function backupSqlite(file: string, target: string): Promise<CopiedStore> {
  if (!existsSync(file)) throw new BackupError(`no SQLite store at ${file}`);
  const source = new Database(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(target, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy of ${file} does not pass SQLite's quick_check (${String(check)})`);
    copy.pragma('journal_mode = DELETE');
    return {
      schemaVersion: copy.pragma('user_version', { simple: true }) as number,
      requests: (copy.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n,
    };
  } finally {
    copy.close();
  }
}

/**
 * Dumps the PostgreSQL store with `pg_dump --format=custom` into `target`, from a snapshot this call
 * exports and reads the manifest's figures in, so they describe exactly what was dumped. The shared
 * rate-limit counters (unlogged tables) are left out, as a crash would.
 */
export async function dumpPostgres(url: string, target: string): Promise<CopiedStore> {
  const sql = connectPostgres(url, { max: 1 });
  const engine = createPostgresEngine(sql);
  try {
    const pgDump = await findPgTool('pg_dump', await serverMajor(engine));
    return await engine.transaction(async (tx) => {
      await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { snapshot } = (await tx.one<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot'))!;
      const figures = { schemaVersion: await storeVersion(tx), requests: await countRequests(tx) };
      await runPgTool(pgDump, ['--format=custom', '--no-unlogged-table-data', `--snapshot=${snapshot}`, `--file=${target}`], libpqEnv(sql.options));
      return figures;
    });
  } finally {
    await engine.close();
  }
}

/**
 * Puts a SQLite backup in place as the store `file`, which must be absent or empty (a server running
 * on it would hold a store there already), then migrates it. The copy lands under a temporary name
 * first: the store appears whole or not at all.
 * @returns the migrations applied to the restored store.
 */
export async function restoreSqlite(copy: string, file: string): Promise<number[]> {
  if (existsSync(file) && statSync(file).size > 0) {
    throw new BackupError(
      `${file} holds a store already: georeport restores into an absent or empty file only, and left it unchanged ` +
        '(stop the server, move that file away, then restore)',
    );
  }
  for (const leftover of [`${file}-wal`, `${file}-shm`]) {
    // SQLite would replay another store's write-ahead log into the restored one.
    if (existsSync(leftover)) throw new BackupError(`${leftover} is left from another store: remove it (with the server stopped), then restore`);
  }
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.restoring-${randomBytes(6).toString('hex')}`;
  try {
    await copyFile(copy, temp);
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
  const db = openDatabase(file, { migrate: false });
  try {
    return migrate(db);
  } finally {
    db.close();
  }
}

/**
 * Restores a `pg_dump` archive into the PostgreSQL database `url`, which must hold no georeport table
 * yet, then migrates it. The extensions are the database's own (created by a superuser, as for a new
 * store): their entries in the archive are skipped, so the database's owner can restore, after a check
 * that the database has each of them. One transaction: a failed restore leaves the database empty.
 * @returns the migrations applied to the restored store.
 */
export async function restorePostgres(archive: string, url: string): Promise<number[]> {
  const sql = connectPostgres(url, { max: 1 });
  const engine = createPostgresEngine(sql);
  try {
    const tables = await describeStore(engine);
    if (tables.length > 0 || (await storeVersion(engine)) > 0) {
      throw new BackupError(
        `the database holds a georeport store already (${tables.length} tables): georeport restores into an empty database only, ` +
          'and left it unchanged (create a new one, with its extensions, as docs/postgresql.md says)',
      );
    }
    const pgRestore = await findPgTool('pg_restore', await serverMajor(engine));
    const env = libpqEnv(sql.options);
    const entries = (await runPgTool(pgRestore, ['--list', archive], env)).split('\n');
    const isExtension = (line: string) => !line.startsWith(';') && /\bEXTENSION\b/.test(line);
    const needed = entries.filter(isExtension).flatMap((line) => /EXTENSION - (\S+)/.exec(line)?.[1] ?? []);
    const present = new Set((await engine.query<{ extname: string }>('SELECT extname FROM pg_extension')).map((e) => e.extname));
    const missing = needed.filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw new BackupError(`the database lacks the extension${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: as a superuser, run ${missing.map((m) => `CREATE EXTENSION ${m};`).join(' ')} in it, then restore`);
    }
    const list = join(tmpdir(), `georeport-restore-${randomBytes(6).toString('hex')}.list`);
    await writeFile(list, entries.filter((line) => !isExtension(line)).join('\n'));
    try {
      await runPgTool(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--use-list=${list}`, `--dbname=${env.PGDATABASE}`, archive], env);
    } finally {
      await rm(list, { force: true });
    }
    return await migratePostgres(sql);
  } finally {
    await engine.close();
  }
}
