import { after } from 'node:test';
import { openDatabase, type Db } from '../../server/db/database.ts';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';
import { startPostgres, type PostgresCluster } from './postgres.ts';

/**
 * The engine the contract suites run on in this test process: `GEOREPORT_TEST_ENGINE=postgres` (set by
 * `scripts/test.sh` for its second pass) or the embedded SQLite by default.
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.GEOREPORT_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** Whether this pass runs on PostgreSQL: tests of SQLite-only facts (query plans, PRAGMAs) skip then. */
export const onPostgres = TEST_ENGINE === 'postgres';

let cluster: Promise<PostgresCluster> | undefined;
const opened: Engine[] = [];

// Once the test file's tests are done: every store it opened is closed, and its private cluster stopped
// (else the pools' connections would keep the process alive).
after(async () => {
  await Promise.all(opened.splice(0).map((engine) => engine.close()));
  if (cluster) await (await cluster).stop();
});

/**
 * A database URL for a fresh, empty store of its own in this process's private PostgreSQL cluster
 * (started on first use): migrated, or with the extensions only (what `georeport` migrates on open).
 */
export async function newPostgresStore(options: { migrated: boolean } = { migrated: true }): Promise<string> {
  cluster ??= startPostgres();
  return (await cluster).createDatabase(options);
}

/** Stands for the SQLite handle on PostgreSQL: a test that reads SQLite directly says so when it runs there. */
const noSqlite = new Proxy({} as Db, {
  get() {
    throw new Error('this test reads the SQLite handle (t.db) directly: on PostgreSQL it must go through t.engine');
  },
});

/**
 * A fresh, migrated, empty store on the engine under test, closed when the test file ends: the engine,
 * and on SQLite its better-sqlite3 handle (for the tests of SQLite-only facts: query plans, PRAGMAs).
 */
export async function openTestStore(): Promise<{ engine: Engine; db: Db }> {
  let store: { engine: Engine; db: Db };
  if (onPostgres) {
    store = { engine: await openEngine({ databaseUrl: await newPostgresStore(), dbFile: '', poolSize: 4 }), db: noSqlite };
  } else {
    const db = openDatabase(':memory:');
    store = { engine: createSqliteEngine(db), db };
  }
  opened.push(store.engine);
  return store;
}
