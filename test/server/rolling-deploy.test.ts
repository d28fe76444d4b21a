/**
 * Rolling deploys on PostgreSQL, with real processes: `georeport migrate` once, nodes that run on a newer
 * schema while its migrations are additive and refuse an older or a breaking one, `/health` telling a
 * load balancer whether a node is ready, and a stopping node draining. PostgreSQL only: it makes its own
 * stores in this file's private cluster whichever engine the pass runs the other suites on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type postgres from 'postgres';
import { pgMigrationCompatibility, pgMigrations } from '../../server/db/pg-migrations/index.ts';
import { connectPostgres } from '../../server/db/postgres-engine.ts';
import { minCodeVersion } from '../../server/db/schema-check.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { newPostgresStore } from '../helpers/test-engine.ts';

/** The migrations this georeport knows. */
const KNOWN = pgMigrations.length;

/** Runs `work` on a store as an operator's psql session would, then disconnects. */
async function onStore<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = connectPostgres(url, { max: 1 });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** A store as the previous release's `georeport migrate` left it: every migration but the last. */
async function previousReleaseStore(): Promise<string> {
  const url = await newPostgresStore({ migrated: false });
  await onStore(url, (sql) =>
    sql.begin(async (tx) => {
      await tx.unsafe('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
      for (const [i, migration] of pgMigrations.slice(0, -1).entries()) {
        await tx.unsafe(migration);
        await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${i + 1}, 0)`;
      }
    }),
  );
  return url;
}

/**
 * What `georeport migrate` of a later release does to a store: its migration (additive, a new table; or
 * breaking, a column renamed), and the oldest code that may run on the schema it makes.
 */
async function migrateToNextRelease(url: string, kind: 'additive' | 'breaking'): Promise<void> {
  await onStore(url, (sql) =>
    sql.begin(async (tx) => {
      const [{ version }] = (await tx`SELECT max(version) + 1 AS version FROM schema_migrations`) as unknown as [{ version: number }];
      const change = kind === 'additive' ? `CREATE TABLE release_${version} (id bigint PRIMARY KEY)` : 'ALTER TABLE requests RENAME COLUMN title TO heading';
      await tx.unsafe(change);
      const minCode = kind === 'additive' ? minCodeVersion(KNOWN) : version;
      await tx`INSERT INTO schema_migrations (version, applied_at, min_code_version) VALUES (${version}, 0, ${minCode})`;
    }),
  );
}

/** `georeport serve` on `url` run to its end: for a node that refuses to start. */
const serveRefused = (url: string) => runCli(['serve', '--host', '127.0.0.1', '--port', '0'], { GEOREPORT_DATABASE_URL: url });

async function health(node: ServerProcess): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${node.url}health`);
  return { status: res.status, body: await res.json() };
}

test('every migration says whether code that predates it still runs on the schema it makes', () => {
  assert.equal(pgMigrationCompatibility.length, pgMigrations.length, 'a migration without its entry in pgMigrationCompatibility');
  assert.ok(pgMigrationCompatibility.every((c) => c === 'additive' || c === 'breaking'));
});

test('serve on a store older than it knows refuses to start, changes nothing and says to run georeport migrate; after migrate it starts ready', async (t) => {
  const url = await previousReleaseStore();
  const refused = await serveRefused(url);
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.equal(
    refused.stderr,
    `georeport: the database schema is at version ${KNOWN - 1}, older than this georeport's ${KNOWN}: run georeport migrate with this georeport, then start it\n`,
  );
  assert.doesNotMatch(refused.stdout, /listening/);
  assert.equal(await onStore(url, async (sql) => (await sql`SELECT max(version) AS v FROM schema_migrations`)[0]!.v), KNOWN - 1, 'serve migrated nothing');

  const never = await serveRefused(await newPostgresStore({ migrated: false }));
  assert.equal(never.code, 2);
  assert.match(never.stderr, /^georeport: the database schema is at version 0, .*: run georeport migrate/);

  const migrated = await runCli(['migrate'], { GEOREPORT_DATABASE_URL: url });
  assert.equal(migrated.stdout, `applied migrations ${KNOWN}\n`, migrated.stderr);
  const node = await startServer({ env: { GEOREPORT_DATABASE_URL: url } });
  t.after(() => node.kill());
  assert.deepEqual(await health(node), { status: 200, body: { status: 'ok' } });
});

test('a node keeps serving on a newer schema while its migrations are additive, and refuses one that breaks it, started or starting', async (t) => {
  const url = await newPostgresStore();
  await migrateToNextRelease(url, 'additive');
  const node = await startServer({ args: ['--seed-demo'], env: { GEOREPORT_DATABASE_URL: url } });
  t.after(() => node.kill());
  assert.deepEqual(await health(node), { status: 200, body: { status: 'ok' } });
  assert.equal((await fetch(`${node.url}open311/v2/services.json?jurisdiction_id=ville.example`)).status, 200);

  // The next release renames a column: this node must leave the balancer's pool, and no node of its
  // release may start again.
  await migrateToNextRelease(url, 'breaking');
  assert.deepEqual(await health(node), { status: 503, body: { status: 'unavailable', reason: 'schema too new' } });
  assert.equal((await node.stop()).code, 0);
  const refused = await serveRefused(url);
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.equal(
    refused.stderr,
    `georeport: the database schema is at version ${KNOWN + 2}, which needs a georeport that knows migration ${KNOWN + 2} or later (this one knows ${KNOWN}): upgrade georeport\n`,
  );
});

test('on SIGTERM a node answers /health 503 draining at once while it still serves everything else; a second signal ends the drain', async (t) => {
  const url = await newPostgresStore();
  const node = await startServer({ args: ['--seed-demo'], env: { GEOREPORT_DATABASE_URL: url, GEOREPORT_DRAIN_SECONDS: '60' } });
  t.after(() => node.kill());
  assert.equal((await health(node)).status, 200);

  const signalledAt = node.stdout().length;
  node.child.kill('SIGTERM');
  assert.equal((await node.waitForLog('draining', 10_000, signalledAt)).seconds, 60);
  assert.deepEqual(await health(node), { status: 503, body: { status: 'unavailable', reason: 'draining' } });
  const filed = await fetch(`${node.url}open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: 'demo-public-key', service_code: 'corbeille-pleine', lat: '47.3941', long: '0.6848', description: 'filed while the node drains' }),
  });
  assert.equal(filed.status, 200, await filed.clone().text());
  const [{ service_request_id: id }] = (await filed.json()) as [{ service_request_id: string }];
  assert.equal((await fetch(`${node.url}open311/v2/requests/${id}.json`)).status, 200);
  assert.equal(node.child.exitCode, null, 'still running');

  node.child.kill('SIGTERM');
  await node.waitForLog('shutting down', 10_000, signalledAt);
  assert.deepEqual(await node.exited, { code: 0, signal: null });
  assert.equal(node.logs().at(-1)!.msg, 'stopped');
});

test('/health answers 503 "store unreachable" when PostgreSQL is down, with nothing internal, and the node keeps running', async (t) => {
  const cluster = await startPostgres();
  let clusterUp = true;
  t.after(() => (clusterUp ? cluster.stop() : undefined));
  const url = await cluster.createDatabase({ migrated: true });
  const node = await startServer({ env: { GEOREPORT_DATABASE_URL: url } });
  t.after(() => node.kill());
  assert.equal((await health(node)).status, 200);

  await cluster.stop();
  clusterUp = false;
  const down = await fetch(`${node.url}health`);
  assert.equal(down.status, 503);
  assert.deepEqual(JSON.parse(await down.text()), { status: 'unavailable', reason: 'store unreachable' });
  assert.equal(node.child.exitCode, null);
  assert.doesNotMatch(node.stdout() + node.stderr(), /postgres:\/\//, 'no connection string in the logs');
});
