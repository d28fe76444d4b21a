import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBusAlertsStore } from '../../server/bus/alerts.store.ts';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createBusAccess } from '../../server/bus/bus-access.ts';
import { createBusAppsStore, type BusApp } from '../../server/bus/bus-apps.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { createBusPayloads } from '../../server/bus/payload.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { createApiClientsStore } from '../../server/keys/api-clients.store.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/**
 * The bus and the API keys at the store level, on both engines: the same writes through the stores (and a
 * few INSERTs of requests and their events, whose outbox messages the `bus_outbox` trigger or its plpgsql
 * twin writes) give the same answers. SQLite's answers are the reference.
 */
const T0 = 1_700_000_000;
const MEDIA = 'http://localhost/media/';

const insertId = async (db: Queryable, sql: string, params: readonly unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;
const request = (db: Queryable, serviceId: number, at: number, extra: { visibility?: string; jurisdiction?: string } = {}) =>
  insertId(db, 'INSERT INTO requests (jurisdiction_id, service_id, lat, long, requested_at, updated_at, visibility, description, expected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    extra.jurisdiction ?? 'ville.example', serviceId, 47.218371, -1.553621, at, at, extra.visibility ?? 'published', `request at ${at}`, at + 3600,
  ]);
const event = (db: Queryable, requestId: number, type: string, at: number, status: string | null = null) =>
  insertId(db, 'INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    requestId, type, status, type === 'note' ? 'a note' : null, true, 'staff:1', at,
  ]);
const file = async (db: Queryable, serviceId: number, at: number, extra: { visibility?: string; jurisdiction?: string } = {}) => {
  const id = await request(db, serviceId, at, extra);
  await event(db, id, 'created', at);
  return id;
};

const newApp = (over: Partial<Parameters<ReturnType<typeof createBusAppsStore>['create']>[0]> = {}) => ({
  jurisdictionId: 'ville.example', name: 'GRC', services: null, events: null, delivery: 'immediate' as const, maxAttempts: 10,
  webhookUrl: null, ownerEmail: null, alertWebhook: null, now: T0, actor: 'test', ...over,
});
/** What a message list says, without the secrets and ids that differ by nature. */
const brief = (messages: { id: string; type: string; attempt: number; state?: string; request: { service_request_id: string } | null }[]) =>
  messages.map((m) => [m.id, m.type, m.attempt, m.state ?? '-', m.request?.service_request_id ?? null]);

/** Everything the slice's stores answer for one scripted town, as plain data. */
async function story(db: Engine): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['ville.example', 'Ville', T0]);
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['autre.example', 'Autre', T0]);
  const roads = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', ['ville.example', 'voirie', 'Voirie', T0]);
  const lights = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', ['ville.example', 'eclairage', 'Éclairage', T0]);
  const away = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', ['autre.example', 'voirie', 'Voirie', T0]);

  // Keys: created, verified (through the versioned cache), re-scoped and revoked at once, audited.
  const keys = createApiClientsStore(db);
  const demo = createApiClientsStore(db, { demo: true });
  const made = await keys.create({ name: 'widget', jurisdictionId: 'ville.example', rateLimitPerMinute: 30, scopes: ['report'], now: T0, actor: 'cli' });
  await demo.create({ name: 'demo', jurisdictionId: null, rateLimitPerMinute: null, scopes: ['report'], now: T0, actor: 'seed', key: DEMO_API_KEY });
  const seen = await keys.verify(made.key);
  assert.deepEqual(seen, made.client);
  assert.equal(await keys.verify(DEMO_API_KEY), undefined, 'the demo key is shut off a demo server');
  assert.equal((await demo.verify(DEMO_API_KEY))?.name, 'demo');
  assert.equal(await keys.verify('grk_unknown'), undefined);
  out.rescoped = (await keys.setScopes(made.client.id, ['report', 'updates'], T0 + 1, 'cli'))?.scopes;
  out.verifiedAfterRescope = (await keys.verify(made.key))?.scopes;
  out.revoked = (await keys.revoke(made.client.id, T0 + 2, 'cli'))?.revokedAt;
  out.revokedTwice = await keys.revoke(made.client.id, T0 + 3, 'cli');
  out.verifiedAfterRevoke = await keys.verify(made.key);
  out.keys = (await keys.list()).map((k) => [k.id, k.name, k.jurisdictionId, k.scopes, k.rateLimitPerMinute, k.revokedAt]);
  out.keyAudit = await db.query('SELECT at, jurisdiction_id, actor, action, target, detail FROM audit_log ORDER BY id');

  // Bus apps: the one that takes everything, one scoped by service and event, a deferred one, another town's, a revoked one.
  const apps = createBusAppsStore(db);
  const crm = await apps.create(newApp({ maxAttempts: 2 }));
  const scoped = await apps.create(newApp({ name: 'lights', services: ['eclairage'], events: ['created'] }));
  const deferred = await apps.create(newApp({ name: 'deferred', delivery: 'deferred' }));
  const other = await apps.create(newApp({ name: 'other', jurisdictionId: 'autre.example', webhookUrl: 'https://crm.example/hook' }));
  const gone = await apps.create(newApp({ name: 'gone' }));
  assert.equal((await apps.verify(crm.secret))?.id, crm.app.id);
  assert.ok(other.app.webhookSecret?.startsWith('grw_'));
  out.revokedApp = (await apps.revoke(gone.app.id, T0 + 5, 'cli'))?.revokedAt;
  assert.equal(await apps.verify(gone.secret), undefined, 'a revoked app is no longer recognised');
  await apps.touch(crm.app.id, T0 + 6);
  out.apps = (await apps.list()).map((a) => [a.id, a.name, a.jurisdictionId, a.services, a.events, a.delivery, a.maxAttempts, a.revokedAt, a.lastPollAt]);
  out.appAudit = await db.query("SELECT at, jurisdiction_id, actor, action, target FROM audit_log WHERE action LIKE 'bus_app.%' ORDER BY id");
  const app = async (id: number) => (await apps.get(id)) as BusApp;

  // Requests and their events: the outbox fans them out to the apps that take them.
  const pothole = await file(db, roads, T0 + 10);
  const lamp = await file(db, lights, T0 + 11);
  const held = await file(db, roads, T0 + 12, { visibility: 'pending' });
  const elsewhere = await file(db, away, T0 + 13, { jurisdiction: 'autre.example' });
  await event(db, pothole, 'status', T0 + 20, 'in_progress');
  await event(db, lamp, 'note', T0 + 21);
  await db.run('INSERT INTO request_attributes (request_id, code, position, value) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)', [
    pothole, 'depth', 0, 'deep', pothole, 'sides', 0, 'left', pothole, 'sides', 1, 'right',
  ]);
  await db.run('INSERT INTO media (request_id, position, url, created_at) VALUES (?, ?, ?, ?)', [pothole, 0, 'https://img.example/1.jpg', T0]);
  await db.run('INSERT INTO reporters (request_id, kind, email, first_name) VALUES (?, ?, ?, ?)', [pothole, 'person', 'a@example.org', 'Ana']);
  const outbox = createOutboxStore(db, MEDIA);
  const now = T0 + 100;
  out.history = {} as Record<string, unknown>;
  for (const a of [crm, scoped, deferred, other, gone]) (out.history as Record<string, unknown>)[a.app.name] = brief(await outbox.history(a.app.id, 0, 0, 100, now));
  out.backlogs = await Promise.all([crm, scoped, deferred, other].map(async (a) => outbox.backlog(await app(a.app.id), now)));

  // Leases: in order, one message per request at a time; a deferred app is not sent what waits for moderation.
  const first = await outbox.lease(await app(crm.app.id), 10, 60, now);
  out.firstLease = brief(first);
  out.fullMessage = first[0];
  out.deferredLease = brief(await outbox.lease(await app(deferred.app.id), 10, 60, now));
  out.leasedAgain = brief(await outbox.lease(await app(crm.app.id), 10, 60, now));
  // Exactly once: the second ack of the same messages acknowledges nothing.
  const ids = first.map((m) => Number(m.id));
  out.acked = await outbox.ack(crm.app.id, [...ids].reverse(), now + 1);
  out.ackedTwice = await outbox.ack(crm.app.id, ids, now + 2);
  out.ackedByAnother = await outbox.ack(scoped.app.id, ids, now + 2);
  // Two leases at once never hand out one message twice.
  const [a, b] = await Promise.all([outbox.lease(await app(crm.app.id), 10, 60, now + 3), outbox.lease(await app(crm.app.id), 10, 60, now + 3)]);
  const both = [...a, ...b].map((m) => m.id);
  assert.equal(new Set(both).size, both.length, 'two leases shared a message');
  out.concurrentLeases = both.sort();
  // Nack: again later, then dead past the app's attempts; dead letters; replay.
  const [again] = a.length > 0 ? a : b;
  out.nack = await outbox.nack(await app(crm.app.id), Number(again!.id), 30, 'busy', now + 4);
  out.nackUnknown = await outbox.nack(await app(crm.app.id), 999_999, 30, 'busy', now + 4);
  out.tooEarly = brief(await outbox.lease(await app(crm.app.id), 10, 60, now + 5));
  const retried = await outbox.lease(await app(crm.app.id), 10, 60, now + 40);
  out.retried = brief(retried);
  out.dead = await outbox.nack(await app(crm.app.id), Number(retried[0]!.id), 30, 'still busy', now + 41);
  out.deadLetters = brief(await outbox.deadLetters(crm.app.id, 0, 10, now + 42));
  out.replayed = await outbox.replay(crm.app.id, [Number(retried[0]!.id), 424242], now + 43);
  out.afterReplay = brief(await outbox.history(crm.app.id, 0, 0, 100, now + 44));
  // An unacknowledged lease that runs out on its last attempt dies at the next lease.
  const last = await outbox.lease(await app(crm.app.id), 10, 5, now + 50);
  await outbox.lease(await app(crm.app.id), 10, 5, now + 60);
  out.expiredLease = [brief(last), brief(await outbox.lease(await app(crm.app.id), 10, 5, now + 70)), await outbox.backlog(await app(crm.app.id), now + 70)];

  // Payloads for many requests and events at once.
  const payloads = createBusPayloads(db, MEDIA);
  out.payloads = [...(await payloads.requests([pothole, lamp, pothole, 999_999]))].sort(([x], [y]) => x - y);
  out.events = [...(await payloads.events([1, 2, 3]))].sort(([x], [y]) => x - y);

  // Access: a request of the app's town, of its services, published for a deferred app.
  const access = createBusAccess(db);
  const allowed = async (appId: number, requestId: number) => access.requireRequest(await app(appId), requestId).then(() => true, () => false);
  out.access = [
    await allowed(crm.app.id, pothole), await allowed(scoped.app.id, pothole), await allowed(scoped.app.id, lamp),
    await allowed(deferred.app.id, held), await allowed(crm.app.id, held), await allowed(crm.app.id, elsewhere), await allowed(other.app.id, elsewhere),
  ];

  // The audit of bus calls: per app, and of the callers no app was found for.
  const audit = createBusAuditStore(db);
  await audit.record({ appId: crm.app.id, at: now, direction: 'in', method: 'GET', endpoint: '/bus/v1/messages', status: 200, ids: ['1', 2], durationMs: 1.5, detail: null });
  await audit.record({ appId: null, at: now + 1, direction: 'in', method: 'GET', endpoint: '/bus/v1/messages', status: 401, ids: [], durationMs: 0.25, detail: 'x'.repeat(600) });
  await audit.record({ appId: other.app.id, at: now + 2, direction: 'out', method: 'POST', endpoint: 'https://crm.example/hook', status: 0, ids: [5], durationMs: 0, detail: 'unreachable' });
  const strip = (entries: { id: number }[]) => entries.map(({ id: _, ...e }) => e);
  out.audit = [
    strip(await audit.list({ appId: crm.app.id }, 0, 10)), strip(await audit.list({ appId: null, unknownOnly: true }, 0, 10)),
    strip(await audit.list({ appId: null }, now + 1, 10)), strip(await audit.list({ appId: null }, 0, 2)),
  ];

  // Alerts: raised once per key, sent once; the causes the job reads.
  const alerts = createBusAlertsStore(db);
  out.raised = [
    await alerts.raise(crm.app.id, 'dead_letter', 'dead:1', 'dead letters', now), await alerts.raise(crm.app.id, 'dead_letter', 'dead:1', 'dead letters', now + 1),
    await alerts.raise(other.app.id, 'silent', 'silent:2', 'silent', now + 2),
  ];
  const unsent = await alerts.unsent();
  await alerts.markSent(unsent[0]!.id, now + 3);
  out.unsent = [unsent, await alerts.unsent()];
  out.causes = [await alerts.failing(crm.app.id, 1), await alerts.failing(crm.app.id, 3), await alerts.dead(crm.app.id), await alerts.dead(scoped.app.id)];
  out.late = await alerts.late(crm.app.id, T0 + 3600 + 12);
  return out;
}

describe('the bus and the API keys on both engines', () => {
  const answers = new Map<string, Record<string, unknown>>();
  for (const engine of enginesUnderTest()) {
    test(`${engine.name}: keys, bus apps, fan-out, leases, acks, retries, payloads, access, audit and alerts`, async () => {
      const db = await engine.open();
      const out = await story(db);
      // Facts that hold on any engine, so that agreeing answers are also right ones.
      assert.deepEqual(out.rescoped, ['report', 'updates']);
      assert.equal(out.verifiedAfterRevoke, undefined, 'a revoked key stops at once');
      assert.equal(out.revokedTwice, undefined);
      const history = out.history as Record<string, unknown[]>;
      assert.equal(history.GRC!.length, 5, 'the app taking everything of its town: three filings (one held for moderation), a status and a note');
      assert.deepEqual(history.lights!.map((m) => (m as unknown[])[1]), ['created'], 'its service, its events only');
      assert.equal(history.other!.length, 1);
      assert.equal(history.gone!.length, 0, 'nothing for a revoked app');
      assert.deepEqual(out.ackedTwice, [], 'an ack is applied once');
      assert.deepEqual(out.ackedByAnother, []);
      assert.equal(out.nack, 'retry');
      assert.equal(out.nackUnknown, undefined);
      assert.equal(out.dead, 'dead');
      assert.deepEqual(out.raised, [true, false, true]);
      assert.deepEqual(out.access, [true, false, true, false, true, false, true]);
      answers.set(engine.name, out);
    });
  }
  test('PostgreSQL answers as SQLite does', () => {
    assert.ok(answers.has('sqlite') && answers.has('postgres'), 'both engines ran');
    const [sqlite, postgres] = [answers.get('sqlite')!, answers.get('postgres')!];
    for (const key of Object.keys(sqlite)) assert.deepEqual(postgres[key], sqlite[key], key);
  });
});
