import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type postgres from 'postgres';
import { openDatabase } from '../../server/db/database.ts';
import { MigrationError } from '../../server/db/migrate.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { migratePostgres, pgSchemaVersion } from '../../server/db/pg-migrate.ts';
import { pgMigrations } from '../../server/db/pg-migrations/index.ts';
import { connectPostgres } from '../../server/db/postgres-engine.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

let cluster: PostgresCluster;
const pools: postgres.Sql[] = [];
before(async () => (cluster = await startPostgres()));
after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await cluster.stop();
});

/** A pool on a new database holding the extensions only: a store never migrated. */
async function emptyStore(): Promise<postgres.Sql> {
  const url = await cluster.createDatabase();
  const pool = connectPostgres(url, { max: 2 });
  pools.push(pool);
  return pool;
}

const ALL = pgMigrations.map((_, i) => i + 1);

test('PostgreSQL has a migration for each of SQLite’s, numbered alike', () => {
  assert.equal(pgMigrations.length, migrations.length);
});

test('an empty database is migrated to the latest version, and migrating again does nothing', async () => {
  const sql = await emptyStore();
  assert.equal(await pgSchemaVersion(sql), 0);
  assert.deepEqual(await migratePostgres(sql), ALL);
  assert.equal(await pgSchemaVersion(sql), pgMigrations.length);
  assert.deepEqual(await migratePostgres(sql), []);
  const recorded = await sql`SELECT version FROM schema_migrations ORDER BY version`;
  assert.deepEqual(recorded.map((r) => r.version), ALL);
});

test('two servers migrating at once: one applies every migration, the other waits and finds none left', async () => {
  const first = await emptyStore();
  const url = await cluster.createDatabase();
  const second = connectPostgres(url.replace(/store_\d+/, (await first`SELECT current_database() AS db`)[0]!.db), { max: 2 });
  pools.push(second);
  const results = await Promise.all([migratePostgres(first), migratePostgres(second)]);
  assert.deepEqual(results.map((r) => r.length).sort(), [0, pgMigrations.length]);
  assert.equal((await first`SELECT count(*) AS n FROM schema_migrations`)[0]!.n, pgMigrations.length);
});

test('a database written by a newer georeport is refused, and left as it was', async () => {
  const sql = await emptyStore();
  await migratePostgres(sql);
  await sql`INSERT INTO schema_migrations VALUES (${pgMigrations.length + 1}, 0)`;
  await assert.rejects(migratePostgres(sql), (error: unknown) => error instanceof MigrationError && /newer than this georeport/.test(error.message));
  assert.equal(await pgSchemaVersion(sql), pgMigrations.length + 1);
});

test('every SQLite table has its PostgreSQL twin with the same columns, NOT NULLs and defaults present alike', async () => {
  const sqlite = openDatabase(':memory:');
  const sql = await emptyStore();
  await migratePostgres(sql);
  const sqliteTables = sqlite
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'requests\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all()
    .map((t) => t.name);
  const shape = (rows: { name: string; notnull: number; dflt: number }[]) => rows.map((c) => `${c.name}${c.notnull ? ' not null' : ''}${c.dflt ? ' default' : ''}`).sort();
  // rate_limit_hits: PostgreSQL's only (SQLite counts in its one process's memory).
  const pgTables = await sql`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'spatial_ref_sys', 'rate_limit_hits')`;
  assert.deepEqual(pgTables.map((t) => t.name).sort(), [...sqliteTables].sort());
  for (const table of sqliteTables) {
    const lite = shape(
      sqlite.prepare<[string], { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>('SELECT * FROM pragma_table_xinfo(?) WHERE hidden = 0').all(table)
        // SQLite's INTEGER PRIMARY KEY is NOT NULL and given by default without saying so; PostgreSQL says so.
        .map((c) => ({ name: c.name, notnull: c.notnull || c.pk ? 1 : 0, dflt: c.dflt_value !== null || (c.pk === 1 && c.type === 'INTEGER' && c.name === 'id') ? 1 : 0 })),
    );
    const pg = shape(
      (await sql`SELECT column_name AS name, (is_nullable = 'NO')::int AS notnull, (column_default IS NOT NULL OR is_identity = 'YES')::int AS dflt
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}
          AND NOT (table_name = 'requests' AND column_name IN ('geom', 'search', 'cell_fine', 'cell_coarse'))`) as never,
    );
    assert.deepEqual(pg, lite, table);
  }
  sqlite.close();
});

test('georeport migrate --database-url migrates a PostgreSQL store, and the other commands run on it', async () => {
  const url = await cluster.createDatabase();
  const georeport = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args, '--database-url', url]);
  assert.equal((await georeport('migrate')).stdout, `applied migrations ${ALL.join(', ')}\n`);
  assert.equal((await georeport('migrate')).stdout, 'schema is up to date\n');
  assert.match((await georeport('seed')).stdout, /^seeded the demo city ville\.example\n$/);
  assert.match((await georeport('keys', 'create', '--name', 'Site de la ville', '--jurisdiction', 'ville.example')).stdout, /^api_key: \S+$/m);
  assert.match((await georeport('keys', 'list')).stdout, /Site de la ville/);
});
