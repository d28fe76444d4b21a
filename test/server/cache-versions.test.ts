import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, type ServerType } from '@hono/node-server';
import type postgres from 'postgres';
import { createApp } from '../../server/app.ts';
import { importCatalogue, parseCatalogue } from '../../server/catalogue/catalogue.import.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Engine, Params, Queryable } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { connectPostgres } from '../../server/db/postgres-engine.ts';
import { createLogger } from '../../server/logger.ts';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { BASE, createKey, form, testConfig } from '../helpers/app.ts';
import { enginesUnderTest } from '../helpers/engines.ts';
import { newPostgresStore } from '../helpers/test-engine.ts';

/**
 * Cache versions per town (issue 17): one town's writes never empty another town's cached answers; on
 * PostgreSQL a transaction bumps its town once, at commit, and every server sharing the database learns
 * it from the announcement, so all give the same ETag for the same data, with no query per read.
 */
const START = Date.UTC(2026, 5, 1, 12);
const CITY = 'ville.example';
const OTHER = 'autre.example';
/** Street zoom over the demo city: every request in view comes as a marker. */
const VIEW = 'map.json?bbox=0.60,47.35,0.77,47.44&zoom=16';

interface Marker { service_request_id: string; status: string }

/** A store with two towns on the demo catalogue: the demo city (with its requests) and another. */
async function twoTowns(engine: Engine): Promise<void> {
  await seedDemo(engine, START);
  const demo = JSON.parse(readFileSync(new URL('../../demo/city/catalogue.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  await importCatalogue(engine, parseCatalogue({ ...demo, jurisdiction: { id: OTHER, name: 'Autre', default_locale: 'fr' } }), START / 1000);
}

/** The engine, recording every statement it is given (`since(mark)`: those after a mark). */
function watched(engine: Engine) {
  const statements: string[] = [];
  const proxy = new Proxy(engine, {
    get: (target, name) =>
      name === 'query' || name === 'one' || name === 'values' || name === 'run'
        ? (sql: string, params?: Params) => (statements.push(sql), (target[name] as Queryable['run'])(sql, params))
        : Reflect.get(target, name, target),
  });
  return {
    engine: proxy,
    mark: () => statements.length,
    since: (mark: number) => statements.slice(mark),
  };
}
const versionReads = (statements: string[]) => statements.filter((s) => s.includes('cache_versions')).length;

/** A georeport app on `engine`, answering through `app.request`, or through a socket once it `listen`s. */
function node(engine: Engine) {
  const app = createApp({ config: testConfig(), engine, logger: createLogger('silent'), now: () => START });
  let base = BASE;
  return {
    /** Serves the app on loopback, as a server behind a load balancer. */
    async listen(servers: ServerType[]) {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      servers.push(server);
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2/`;
    },
    async map(town: string) {
      const res = await (base === BASE ? app.request(`${base}${VIEW}&jurisdiction_id=${town}`) : fetch(`${base}${VIEW}&jurisdiction_id=${town}`));
      assert.equal(res.status, 200, await res.clone().text());
      return { etag: res.headers.get('etag')!, markers: ((await res.json()) as { markers: Marker[] }).markers };
    },
    async file(key: string, town: string, description = 'Un trou'): Promise<string> {
      const fields = { api_key: key, jurisdiction_id: town, service_code: 'nid-de-poule', lat: '47.39', long: '0.68', 'attribute[taille]': 'petit', description };
      const init = { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      const res = await (base === BASE ? app.request(`${base}requests.json`, init) : fetch(`${base}requests.json`, init));
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      return (body as { service_request_id: string }[])[0]!.service_request_id;
    },
  };
}

const versionOf = async (db: Queryable, name: string, town: string) =>
  (await db.one<{ version: number }>('SELECT version FROM cache_versions WHERE name = ? AND jurisdiction_id = ?', [name, town]))?.version ?? 0;

describe('cache versions per town', () => {
  for (const under of enginesUnderTest()) {
    test(`${under.name}: a filing in one town leaves another town's version and cached map answer untouched`, async () => {
      const store = await under.open();
      await twoTowns(store);
      const w = watched(store);
      const n = node(w.engine);
      const key = await createKey(store);
      await n.file(key, OTHER);
      const [city, other] = [await n.map(CITY), await n.map(OTHER)];
      const [cityVersion, otherVersion] = [await versionOf(store, 'requests', CITY), await versionOf(store, 'requests', OTHER)];

      const id = await n.file(key, CITY);
      assert.ok((await versionOf(store, 'requests', CITY)) > cityVersion);
      assert.equal(await versionOf(store, 'requests', OTHER), otherVersion);
      const mark = w.mark();
      assert.deepEqual(await n.map(OTHER), other);
      const read = w.since(mark).filter((s) => !s.includes('cache_versions'));
      assert.deepEqual(read, [], 'the other town\'s answer came from the cache');
      const now = await n.map(CITY);
      assert.notEqual(now.etag, city.etag);
      assert.ok(now.markers.some((m) => m.service_request_id === id));
    });
  }
});

describe('cache versions on PostgreSQL, several servers on one database', () => {
  const engines: Engine[] = [];
  const servers: ServerType[] = [];
  const pools: postgres.Sql[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => (s.close(resolve), (s as Server).closeAllConnections()))));
    await Promise.all([...engines.map((e) => e.close()), ...pools.map((p) => p.end())]);
  });
  const open = async (url: string) => {
    const engine = await openEngine({ databaseUrl: url, dbFile: '', poolSize: 4 });
    engines.push(engine);
    return engine;
  };

  test('a transaction writing many requests bumps its town once, at commit: the town\'s counter is free until then', async () => {
    const url = await newPostgresStore();
    const [engine, elsewhere] = [await open(url), await open(url)];
    await twoTowns(engine);
    const service = (await createCatalogueStore(engine).service(CITY, 'nid-de-poule'))!;
    const before = await versionOf(engine, 'requests', CITY);
    await engine.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO requests (jurisdiction_id, service_id, lat, long, requested_at, updated_at)
         SELECT ?, ?, 47.39, 0.68, ? + i, ? + i FROM generate_series(1, 1000) AS i`,
        [CITY, service.id, START / 1000, START / 1000],
      );
      await tx.run("UPDATE requests SET title = 'batch' WHERE jurisdiction_id = ? AND requested_at > ?", [CITY, START / 1000]);
      // Another server files in the same town meanwhile (another day, whose count no one holds): it
      // commits without waiting for this transaction.
      await elsewhere.transaction(async (other) => {
        await other.run("SET LOCAL lock_timeout = '2s'");
        await createRequestsStore(other).create(draftRequest({ jurisdictionId: CITY, serviceId: service.id, lat: 47.39, long: 0.68, now: START / 1000 - 3 * 86_400 }));
      });
      assert.equal(await versionOf(elsewhere, 'requests', CITY), before + 1, 'the other server\'s bump');
    });
    assert.equal(await versionOf(engine, 'requests', CITY), before + 2, 'one bump for the thousand requests written twice');
  });

  test('a filing through one server changes the map\'s ETag and content on the other as its announcement lands; neither reads a version per request', async () => {
    const url = await newPostgresStore();
    const first = await open(url);
    await twoTowns(first);
    const second = watched(await open(url));
    const [one, two] = [node(first), node(second.engine)];
    await one.listen(servers);
    await two.listen(servers);
    const key = await createKey(first);

    await listening(two, second);
    const before = await two.map(CITY);
    assert.equal((await one.map(CITY)).etag, before.etag, 'the same ETag from both servers');
    const id = await one.file(key, CITY, 'filed through the first server');
    const mark = second.mark();
    let after = await two.map(CITY);
    // The announcement travels from the database to the second server while the filing's answer travels
    // to the client: the second server may read before it lands (a millisecond; more on a loaded machine).
    for (let i = 0; i < 200 && after.etag === before.etag; i++) after = await sleep(10).then(() => two.map(CITY));
    assert.equal(versionReads(second.since(mark)), 0, 'no version read by the second server');
    assert.notEqual(after.etag, before.etag);
    assert.ok(after.markers.some((m) => m.service_request_id === id), 'the new request is on the second server\'s map');
    assert.equal((await one.map(CITY)).etag, after.etag, 'the same ETag from both servers');
  });

  test('a server whose listening connection was cut never answers from the versions it missed', async () => {
    const url = await newPostgresStore();
    const first = await open(url);
    await twoTowns(first);
    const second = watched(await open(url));
    const two = node(second.engine);
    const id = await node(first).file(await createKey(first), CITY, 'to be closed');
    await listening(two, second);
    const statusOnSecond = async () => (await two.map(CITY)).markers.find((m) => m.service_request_id === id)!.status;
    assert.equal(await statusOnSecond(), 'open');

    // The database takes no new connection: the listener, cut, cannot come back.
    const database = (await first.one<{ db: string }>('SELECT current_database() AS db'))!.db;
    const cluster = connectPostgres(url.replace(`/${database}?`, '/postgres?'), { max: 1 });
    pools.push(cluster);
    await cluster.unsafe(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await first.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'georeport cache versions' AND datname = current_database()");
    await gone(first);
    await first.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id = ?", [Number(id)]);
    const mark = second.mark();
    assert.equal(await statusOnSecond(), 'closed', 'the change made while the second server was not listening');
    assert.ok(versionReads(second.since(mark)) > 0, 'read from the database while not listening');

    // Another change while it is away; then it listens again, reads every version anew, and is right at once.
    await first.run("UPDATE requests SET status = 'open', detailed_status = 'in_progress' WHERE id = ?", [Number(id)]);
    await cluster.unsafe(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await listening(two, second);
    const { etag } = await two.map(CITY);
    assert.equal(etag, (await node(first).map(CITY)).etag, 'the version it missed: the ETag of the server that wrote it');
    assert.equal(await statusOnSecond(), 'open');
  });
});

/** Waits (10 s at most) until reading the map on `n` issues no version query: its server listens. */
async function listening(n: ReturnType<typeof node>, w: ReturnType<typeof watched>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const mark = w.mark();
    await n.map(CITY);
    if (versionReads(w.since(mark)) === 0) return;
    await sleep(20);
  }
  assert.fail('the server never listened to the cache versions');
}

/** Waits until no server's listening connection is left, and this process has seen its own close. */
async function gone(db: Queryable): Promise<void> {
  const left = async () => (await db.one<{ n: number }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'georeport cache versions' AND datname = current_database()"))!.n;
  for (let i = 0; i < 500 && (await left()) > 0; i++) await sleep(20);
  assert.equal(await left(), 0, 'the listening connections are gone');
  // The closed socket is read on the next turns of the event loop.
  await sleep(100);
}
