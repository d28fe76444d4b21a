import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCatalogueStore } from '../../server/catalogue/catalogue.store.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

// Filings on both engines, whatever GEOREPORT_TEST_ENGINE says: the same store code sends its statements
// otherwise on each (pipelined on PostgreSQL), and several servers share one PostgreSQL.
let cluster: PostgresCluster;
const opened: Engine[] = [];
const dir = mkdtempSync(join(tmpdir(), 'georeport-filings-'));
before(async () => (cluster = await startPostgres()));
after(async () => {
  await Promise.all(opened.map((e) => e.close()));
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 5, 1, 12);
/** When the tests' filings are made (Unix seconds): after every request the demo is seeded with. */
const FILED_AT = NOW / 1000 + 60;
const TOWN = 'ville.example';

/** Resolves once a session of the database waits on a lock (a row another transaction holds), unless `stop` says first. */
async function someoneWaitsOnALock(db: Engine, stop: { done: boolean }): Promise<void> {
  while (!stop.done) {
    const waiting = await db.one<{ n: number }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (waiting!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A fresh store of the demo city on `engine`, the id of one of its services, and its URL on PostgreSQL. */
async function demoStore(engine: 'sqlite' | 'postgres'): Promise<{ db: Engine; serviceId: number; url: string }> {
  const url = engine === 'postgres' ? await cluster.createDatabase({ migrated: true }) : '';
  const db = await openEngine({ databaseUrl: url, dbFile: join(dir, `store-${opened.length}.db`) });
  opened.push(db);
  await seedDemo(db, NOW);
  return { db, serviceId: (await createCatalogueStore(db).services(TOWN))[0]!.id, url };
}

for (const engine of ['sqlite', 'postgres'] as const) {
  test(`${engine}: a filing whose rows after the request fail is undone whole, alone or in a batch whose other filings are stored`, async () => {
    const { db, serviceId } = await demoStore(engine);
    const requests = createRequestsStore(db);
    const good = draftRequest({ jurisdictionId: TOWN, serviceId, lat: 47.39, long: 0.68, now: FILED_AT, description: 'stored' });
    // The same attribute twice: its second row breaks the primary key, after the request's own row was written.
    const broken = { ...good, description: 'undone', attributes: [{ code: 'x', values: ['a'] }, { code: 'x', values: ['b'] }] };
    const alone = await Promise.allSettled([requests.fileSoon(broken)]);
    const batch = await Promise.allSettled([requests.fileSoon(good), requests.fileSoon(broken), requests.fileSoon(good)]);
    assert.deepEqual([...alone, ...batch].map((s) => s.status), ['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const left = await db.query<{ description: string; reporters: number; events: number; attributes: number }>(
      `SELECT r.description, (SELECT count(*) FROM reporters p WHERE p.request_id = r.id) AS reporters,
         (SELECT count(*) FROM request_events e WHERE e.request_id = r.id) AS events,
         (SELECT count(*) FROM request_attributes a WHERE a.request_id = r.id) AS attributes
       FROM requests r WHERE r.requested_at = ? ORDER BY r.id`,
      [FILED_AT],
    );
    assert.deepEqual(left, [1, 2].map(() => ({ description: 'stored', reporters: 1, events: 1, attributes: 0 })));
    assert.equal((await db.one<{ n: number }>("SELECT count(*) AS n FROM request_attributes WHERE code = 'x'"))!.n, 0);
  });
}

test('two servers filing in one town: the second filing is not held until the first one’s transaction ends, and both are counted in the day', async () => {
  const { db: first, serviceId, url } = await demoStore('postgres');
  const second = await openEngine({ databaseUrl: url, dbFile: '', poolSize: 2 });
  opened.push(second);
  const filing = draftRequest({ jurisdictionId: TOWN, serviceId, lat: 47.39, long: 0.68, now: FILED_AT });
  const today = () => first.one<{ n: number }>('SELECT n FROM request_days WHERE jurisdiction_id = ? AND day = ?', [TOWN, Math.floor(NOW / 86_400_000)]);
  const before = (await today())?.n ?? 0;

  // The first server's batch has filed and is still open (more filings of its batch to come).
  let filed!: () => void;
  let finish!: () => void;
  const inFirst = new Promise<void>((resolve) => (filed = resolve));
  const rest = new Promise<void>((resolve) => (finish = resolve));
  const firstBatch = first.transaction(async (tx) => {
    await createRequestsStore(tx).create(filing);
    filed();
    await rest;
  });
  await inFirst;

  const stop = { done: false };
  const secondFiling = createRequestsStore(second).create(filing);
  const outcome = await Promise.race([secondFiling.then(() => 'filed'), someoneWaitsOnALock(first, stop).then(() => 'held')]);
  stop.done = true;
  finish();
  await Promise.all([firstBatch, secondFiling]); // held or not, the second ends once the first has
  assert.equal(outcome, 'filed', 'the second filing waited for the first one’s transaction to end');
  assert.equal((await today())!.n, before + 2, 'both counted in the day');
});
