import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { createBusAppsStore, type BusApp } from '../../server/bus/bus-apps.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { createLogger } from '../../server/logger.ts';
import { BASE, createKey, form, testConfig } from '../helpers/app.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

/**
 * The bus on several servers over one PostgreSQL: each node is the whole app on its own engine (its own
 * pool, and its own connection listening for the bus's notifications), as two servers behind a load
 * balancer are; every node writes and reads the same database.
 */

let cluster: PostgresCluster;
const engines: Engine[] = [];
before(async () => (cluster = await startPostgres()));
after(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await cluster.stop();
});

type Node = { app: ReturnType<typeof createApp>; engine: Engine };
type Message = { id: string; type: string; attempt: number; event: { detailed_status: string | null }; request: { service_request_id: string } };

const open = async (url: string) => {
  const engine = await openEngine({ databaseUrl: url, dbFile: '', migrate: false, poolSize: 4 });
  engines.push(engine);
  return engine;
};

/**
 * A town on a new database: the demo city, one bus app taking everything (its secret), a key that may
 * post status updates, and one node per fallback poll period given (milliseconds), each listening.
 */
async function town(fallbacks: number[]) {
  const url = await cluster.createDatabase({ migrated: true });
  const nodes: Node[] = [];
  for (const busFallbackPollMs of fallbacks) {
    const engine = await open(url);
    if (nodes.length === 0) await seedDemo(engine, Date.now());
    const config = testConfig({ busFallbackPollMs, rateLimitIpPerMinute: 1e6, duplicateWindowSeconds: 0 });
    nodes.push({ app: createApp({ config, engine, logger: createLogger('silent') }), engine });
  }
  const db = nodes[0]!.engine;
  const { app, secret } = await createBusAppsStore(db).create({
    jurisdictionId: 'ville.example', name: 'GRC', services: null, events: null, delivery: 'immediate', maxAttempts: 10,
    webhookUrl: null, ownerEmail: null, alertWebhook: null, now: Math.floor(Date.now() / 1000), actor: 'test',
  });
  const updatesKey = await createKey(db, null, null, ['report', 'updates']);
  // Each node's LISTEN is answered before the test writes: a notification sent earlier reaches no one.
  for (;;) {
    const listening = await db.one<{ n: number }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'listen %'");
    if (listening!.n >= nodes.length) break;
    await sleep(20);
  }
  return { nodes, db, app, secret, updatesKey };
}

async function busCall(node: Node, secret: string, path: string, body?: unknown) {
  const res = await node.app.request(`http://localhost/bus/v1/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { messages: Message[]; acked: string[]; next: string | null } };
}

async function fileThrough(node: Node, description: string): Promise<number> {
  const res = await node.app.request(`${BASE}requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ api_key: DEMO_API_KEY, service_code: 'nid-de-poule', lat: '47.39', long: '0.68', 'attribute[taille]': 'petit', description }),
  });
  const body = (await res.json()) as { service_request_id: string }[];
  assert.equal(res.status, 200, JSON.stringify(body));
  return Number(body[0]!.service_request_id);
}

async function statusThrough(node: Node, key: string, requestId: number, status: string, updateId: string): Promise<void> {
  const res = await node.app.request(`${BASE}servicerequestupdates.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ api_key: key, jurisdiction_id: 'ville.example', service_request_id: String(requestId), status, update_id: updateId }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Whether the app's first poll has come in (the app's `last_poll_at`, written before its first look). */
async function polled(db: Engine, app: BusApp): Promise<void> {
  while (!(await db.one<{ at: number | null }>('SELECT last_poll_at AS at FROM bus_apps WHERE id = ?', [app.id]))!.at) await sleep(20);
}

/** A note on a request's history (a bus event: its messages are written with it). */
const note = (tx: Queryable, requestId: number, text: string) =>
  tx.run("INSERT INTO request_events (request_id, type, note, public, actor, created_at) VALUES (?, 'note', ?, 1, 'staff:1', ?)", [requestId, text, Math.floor(Date.now() / 1000)]);

/** Runs `write` in a transaction of `engine` and holds it open until `commit()`; `committed` resolves once it has. */
async function holdOpen(engine: Engine, write: (tx: Queryable) => Promise<unknown>) {
  let commit!: () => void;
  const held = new Promise<void>((r) => (commit = r));
  let written!: () => void;
  const done = new Promise<void>((r) => (written = r));
  const committed = engine.transaction(async (tx) => {
    await write(tx);
    written();
    await held;
  });
  await done;
  return { commit, committed };
}

describe('the bus on several servers (PostgreSQL)', () => {
  test('a consumer long-polling node 2 gets a request filed through node 1 at once, long before its fallback poll', async () => {
    const { nodes: [one, two], db, app, secret } = await town([10_000, 10_000]);
    const poll = busCall(two!, secret, 'messages?wait=30');
    await polled(db, app);
    await sleep(500); // its first look found nothing: it sleeps until woken or for 10 s
    const filedAt = Date.now();
    const id = await fileThrough(one!, 'filed on node 1');
    const { body } = await poll;
    const waited = Date.now() - filedAt;
    assert.deepEqual(body.messages.map((m) => Number(m.request.service_request_id)), [id]);
    // A correctness bound, not a speed target: the fallback look would come 10 s after the first.
    assert.ok(waited < 5000, `delivered ${waited} ms after filing: not woken by the notification`);
  });

  test('a lease that runs out on node 1 is delivered again to a poll waiting on node 2, by its fallback look', async () => {
    const { nodes: [one, two], secret } = await town([1000, 1000]);
    const id = await fileThrough(one!, 'leased and dropped');
    const [first] = (await busCall(one!, secret, 'messages?lease=5')).body.messages;
    assert.equal(Number(first!.request.service_request_id), id);
    const leasedAt = Date.now();
    const { body } = await busCall(two!, secret, 'messages?wait=30');
    assert.deepEqual(body.messages.map((m) => [m.id, m.attempt]), [[first!.id, 2]]);
    // Leases are counted in whole seconds: one of 5 s ends 4 to 5 s after it was given.
    assert.ok(Date.now() - leasedAt >= 4000, 'delivered again while its lease still ran');
  });

  test('two transactions writing events for one request: its messages are numbered in commit order', async () => {
    const { nodes: [one, two], db, app } = await town([10_000, 10_000]);
    const id = await fileThrough(one!, 'two writers');
    const outbox = createOutboxStore(db, 'http://localhost/media/');
    await outbox.ack(app.id, (await outbox.lease(app, 10, 60, Math.floor(Date.now() / 1000))).map((m) => Number(m.id)), Math.floor(Date.now() / 1000));
    const commits: string[] = [];
    // Node 1 writes its event first and holds its transaction open; node 2 writes one for the same request.
    const first = await holdOpen(one!.engine, (tx) => note(tx, id, 'first written'));
    const firstCommitted = first.committed.then(() => commits.push('first written'));
    const second = two!.engine.transaction((tx) => note(tx, id, 'second written')).then(() => commits.push('second written'));
    await sleep(500); // time for the second to commit, were it not made to wait
    const meanwhile = await outbox.lease(app, 10, 60, Math.floor(Date.now() / 1000));
    first.commit();
    await Promise.all([firstCommitted, second]);
    const notes = await db.query<{ note: string }>('SELECT e.note FROM bus_messages m JOIN request_events e ON e.id = m.event_id WHERE m.app_id = ? AND m.request_id = ? AND e.type = ? ORDER BY m.id', [app.id, id, 'note']);
    assert.deepEqual(notes.map((n) => n.note), commits, 'message ids in commit order');
    assert.deepEqual(meanwhile, [], 'nothing of the request handed out while its earlier message was not committed');
  });

  test('the history never skips a message committed late: the cursor waits for transactions still running', async () => {
    const { nodes: [one, two], secret } = await town([10_000, 10_000]);
    const [early, late] = [await fileThrough(one!, 'early'), await fileThrough(one!, 'late')];
    const page = async (after: string) => (await busCall(two!, secret, `history?after=${after}`)).body;
    const start = await page('0');
    // Node 1 writes a note (the lower message id) and commits last; node 2's note commits meanwhile.
    const slow = await holdOpen(one!.engine, (tx) => note(tx, early, 'a note'));
    await two!.engine.transaction((tx) => note(tx, late, 'a note'));
    const during = await page(start.next!);
    slow.commit();
    await slow.committed;
    const rest = await page(during.next ?? start.next!);
    const seen = [...start.messages, ...during.messages, ...rest.messages].filter((m) => m.type === 'updated');
    assert.deepEqual(seen.map((m) => Number(m.request.service_request_id)).sort(), [early, late].sort(), 'both notes read through the cursor');
    assert.equal(new Set(seen.map((m) => m.id)).size, 2, 'each once');
  });

  test('two consumers on two nodes under filings and status changes: all delivered, each acknowledged once, per-request order kept', async () => {
    const { nodes, db, app, secret, updatesKey } = await town([2000, 2000]);
    let writing = true;
    const received: { request: number; id: number; status: string | null; type: string }[] = [];
    const acked: number[] = [];
    const consume = async (node: Node) => {
      for (;;) {
        // Done when a look begun after the last write finds nothing (the other consumer acknowledged its own).
        const last = !writing;
        const { body } = await busCall(node, secret, 'messages?wait=1&max=5&lease=60');
        for (const m of body.messages) received.push({ request: Number(m.request.service_request_id), id: Number(m.id), status: m.event.detailed_status, type: m.type });
        if (body.messages.length > 0) acked.push(...(await busCall(node, secret, 'ack', { ids: body.messages.map((m) => m.id) })).body.acked.map(Number));
        else if (last) return;
      }
    };
    const consumers = nodes.map(consume);
    const statuses = ['in_progress', 'planned', 'fixed'];
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const id = await fileThrough(nodes[i % 2]!, `request ${i}`);
      // Status changes of one request sent at once, through both nodes: they commit in some order.
      await Promise.all(statuses.map((s, k) => statusThrough(nodes[(i + k) % 2]!, updatesKey, id, s, `u-${i}-${k}`)));
    }));
    writing = false;
    await Promise.all(consumers);

    const all = (await db.query<{ id: number }>('SELECT id FROM bus_messages WHERE app_id = ? ORDER BY id', [app.id])).map((m) => m.id);
    assert.equal(all.length, 12 * 4);
    assert.deepEqual([...new Set(received.map((r) => r.id))].sort((a, b) => a - b), all, 'every message delivered');
    assert.deepEqual([...acked].sort((a, b) => a - b), all, 'every message acknowledged exactly once');
    const final = new Map((await db.query<{ id: number; detailed_status: string }>('SELECT id, detailed_status FROM requests WHERE id IN (SELECT request_id FROM bus_messages WHERE app_id = ?)', [app.id])).map((r) => [r.id, r.detailed_status]));
    for (const [request, status] of final) {
      const mine = received.filter((r) => r.request === request);
      assert.deepEqual(mine.map((r) => r.id), [...mine.map((r) => r.id)].sort((a, b) => a - b), `request ${request}: its messages in order`);
      assert.equal(mine[0]!.type, 'created');
      assert.equal(mine.at(-1)!.status, status, `request ${request}: the last status applied is the request's`);
    }
  });
});
