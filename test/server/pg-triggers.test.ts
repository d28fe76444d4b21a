import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/**
 * Every rule SQLite keeps by trigger is kept by plpgsql on PostgreSQL: the same writes, through the same
 * statements, leave the same rows on both engines.
 */
const DAY = 86_400;
const T0 = 1_700_000_000;

const insertId = async (db: Queryable, sql: string, params: readonly unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;

async function town(db: Queryable, id: string) {
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', [id, id, T0]);
}
const service = (db: Queryable, jurisdiction: string, code: string) =>
  insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', [jurisdiction, code, code, T0]);
const app = (db: Queryable, jurisdiction: string, name: string, extra: { services?: string[]; events?: string[]; revoked?: boolean } = {}) =>
  insertId(db, 'INSERT INTO bus_apps (jurisdiction_id, name, secret_prefix, secret_hash, services, events, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    jurisdiction, name, name, `hash-${name}`, extra.services ?? null, extra.events ?? null, T0, extra.revoked ? T0 : null,
  ]);
const request = (db: Queryable, jurisdiction: string, serviceId: number, at: number, place: [number, number], extra: { visibility?: string; busApp?: number } = {}) =>
  insertId(db, 'INSERT INTO requests (jurisdiction_id, service_id, lat, long, requested_at, updated_at, visibility, bus_app_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    jurisdiction, serviceId, place[0], place[1], at, at, extra.visibility ?? 'published', extra.busApp ?? null,
  ]);
const event = (db: Queryable, requestId: number, type: string, at: number, extra: { status?: string; public?: boolean; actor?: string } = {}) =>
  insertId(db, 'INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    requestId, type, extra.status ?? null, extra.public ?? false, extra.actor ?? 'staff:1', at,
  ]);
const follower = (db: Queryable, requestId: number, token: string, f: { kind: string; email?: string; notify?: boolean; confirmed?: boolean; unsubscribed?: boolean }) =>
  insertId(db, 'INSERT INTO followers (request_id, kind, email, locale, notify, token, created_at, confirmed_at, unsubscribed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    requestId, f.kind, f.email ?? null, 'fr', f.notify ?? false, token, T0, f.confirmed ? T0 : null, f.unsubscribed ? T0 : null,
  ]);

/** A town's life: catalogue, bus apps, requests moving through moderation and statuses, followers. */
async function story(db: Engine): Promise<void> {
  await town(db, 'ville.example');
  await town(db, 'autre.example');
  const roads = await service(db, 'ville.example', 'voirie');
  const lights = await service(db, 'ville.example', 'eclairage');
  const elsewhere = await service(db, 'autre.example', 'voirie');
  await db.run("UPDATE services SET name = 'Voirie' WHERE jurisdiction_id = ?", ['ville.example']);
  await db.run('INSERT INTO api_clients (name, key_prefix, key_hash, created_at) VALUES (?, ?, ?, ?)', ['widget', 'k', 'khash', T0]);

  const everything = await app(db, 'ville.example', 'crm');
  const lightsOnly = await app(db, 'ville.example', 'lights', { services: ['eclairage'] });
  await app(db, 'ville.example', 'created-only', { events: ['created', 'reopened'] });
  await app(db, 'ville.example', 'revoked', { revoked: true });
  await app(db, 'autre.example', 'other-town');

  // Nantes and Lyon: negative and positive longitudes, where a rounding cast would pick other cells.
  const pothole = await request(db, 'ville.example', roads, T0, [47.218371, -1.553621]);
  const lamp = await request(db, 'ville.example', lights, T0 + DAY, [45.764043, 4.835659], { visibility: 'pending' });
  const routed = await request(db, 'ville.example', lights, T0 + DAY + 5, [45.7641, 4.8357], { busApp: lightsOnly });
  const away = await request(db, 'autre.example', elsewhere, T0 + 2 * DAY, [43.6047, 1.4442]);
  for (const [id, at] of [[pothole, T0], [lamp, T0 + DAY], [routed, T0 + DAY + 5], [away, T0 + 2 * DAY]] as const) await event(db, id, 'created', at);

  await follower(db, pothole, 't1', { kind: 'reporter', email: 'a@example.org', notify: true, confirmed: true });
  const metoo = await follower(db, pothole, 't2', { kind: 'supporter', email: 'b@example.org', notify: true, confirmed: true });
  await follower(db, pothole, 't3', { kind: 'supporter' });
  await follower(db, pothole, 't4', { kind: 'supporter', email: 'c@example.org', notify: true });
  await follower(db, pothole, 't5', { kind: 'supporter', email: 'd@example.org', notify: true, confirmed: true, unsubscribed: true });
  await follower(db, routed, 't6', { kind: 'supporter', email: 'e@example.org', notify: true, confirmed: true });
  await db.run('DELETE FROM followers WHERE id = ?', [metoo]);

  await db.transaction(async (tx) => {
    await tx.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed', updated_at = ? WHERE id = ?", [T0 + 10, pothole]);
    await event(tx, pothole, 'status', T0 + 10, { status: 'fixed', public: true });
  });
  await event(db, pothole, 'status', T0 + 20, { status: 'in_progress', public: true }); // reopened: the request is still closed
  await event(db, pothole, 'note', T0 + 30, { actor: `bus:${everything}` }); // the CRM's own note is not sent back to it
  await event(db, routed, 'status', T0 + DAY + 9, { status: 'planned', public: true });
  await event(db, routed, 'media', T0 + DAY + 9);
  await event(db, lamp, 'merge', T0 + 2 * DAY);
  await event(db, pothole, 'moderation', T0 + 40); // not a bus event

  await db.run("UPDATE requests SET visibility = 'published' WHERE id = ?", [lamp]);
  await db.run('UPDATE requests SET requested_at = ? WHERE id = ?', [T0 + 3 * DAY, routed]);
  await db.run('UPDATE requests SET title = ? WHERE id = ?', ['no day change', pothole]);
  await db.run('DELETE FROM request_events WHERE request_id = ?', [away]);
  await db.run('DELETE FROM requests WHERE id = ?', [away]);
}

const dumps = {
  // Not `txid`: the writing transaction, PostgreSQL's own (0 on SQLite, pg-migrations/014).
  bus_messages: 'SELECT id, app_id, request_id, event_id, type, created_at, available_at, lease_expires_at, attempts, acked_at, dead_at, last_error FROM bus_messages ORDER BY id',
  notifications: 'SELECT * FROM notifications ORDER BY id',
  request_days: 'SELECT * FROM request_days ORDER BY jurisdiction_id, day',
  requests: 'SELECT id, followers, cell_fine, cell_coarse FROM requests ORDER BY id',
  // Which counters moved (SQLite bumps once per row, PostgreSQL once per transaction: the counts differ).
  cache_versions: 'SELECT name, jurisdiction_id, CASE WHEN version > 0 THEN 1 ELSE 0 END AS moved FROM cache_versions ORDER BY name, jurisdiction_id',
};

describe('trigger rules on both engines', () => {
  const engines = enginesUnderTest();
  const results: Record<string, Record<string, unknown[]>> = {};
  for (const engine of engines) {
    test(`the story runs on ${engine.name}`, async () => {
      const db = await engine.open();
      await story(db);
      results[engine.name] = {};
      for (const [table, sql] of Object.entries(dumps)) results[engine.name]![table] = await db.query(sql);
    });
  }

  for (const table of Object.keys(dumps)) {
    test(`${table}: the same rows on PostgreSQL as on SQLite`, () => {
      assert.ok(results.sqlite![table]!.length > 0, `the story left no ${table} on SQLite`);
      assert.deepEqual(results.postgres![table], results.sqlite![table]);
    });
  }

  test('the story exercises each rule (checked on SQLite, the reference)', () => {
    const messages = results.sqlite!.bus_messages as { app_id: number; type: string }[];
    assert.deepEqual([...new Set(messages.map((m) => m.type))].sort(), ['created', 'media_added', 'merged', 'reopened', 'updated']);
    assert.ok(!messages.some((m) => m.app_id === 4), 'a revoked app got a message');
    const followers = (results.sqlite!.requests as { followers: number }[]).map((r) => r.followers);
    assert.deepEqual(followers, [3, 0, 1]);
    assert.equal(results.sqlite!.notifications!.length, 3); // the confirmed, subscribed followers, once per public status
  });
});
