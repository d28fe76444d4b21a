import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { createAssignmentMailsStore } from '../../server/notify/assignments.store.ts';
import { createConfirmationsStore } from '../../server/notify/confirmations.store.ts';
import { MAX_ATTEMPTS } from '../../server/notify/delivery.ts';
import { createNotificationsStore } from '../../server/notify/notifications.store.ts';
import { createFollowersStore } from '../../server/requests/followers.store.ts';
import { createStoreMetrics } from '../../server/requests/metrics.store.ts';
import { createTrackingStore, hashTrackingToken } from '../../server/requests/tracking.store.ts';
import { createUpdatesStore, type NewUpdate } from '../../server/requests/updates.store.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/**
 * The followers, their confirmations, the e-mail queues, status updates, tracking and the metrics' reads
 * give the same answers on both engines: the same story told through the stores on SQLite (the
 * reference) and on PostgreSQL leaves the same transcript.
 */
const T0 = 1_800_000_000;
const HOUR = 3600;
const DAY = 86_400;

const insertId = async (db: Queryable, sql: string, params: readonly unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;

/** A town with one service (named in English too), a published request, a held one and two staff members. */
async function town(db: Queryable) {
  await db.run("INSERT INTO jurisdictions (id, name, default_locale, created_at) VALUES ('ville.example', 'Ville', 'fr', ?)", [T0]);
  const service = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, i18n, updated_at) VALUES (?, ?, ?, ?, ?)', [
    'ville.example', 'nid-de-poule', 'Nid de poule', JSON.stringify({ en: { name: 'Pothole' } }), T0,
  ]);
  const request = (visibility: string, address: string) =>
    insertId(db, 'INSERT INTO requests (jurisdiction_id, service_id, lat, long, address, requested_at, updated_at, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      'ville.example', service, 47.39, 0.68, address, T0, T0, visibility,
    ]);
  const published = await request('published', '12 rue Haute');
  const held = await request('pending', '3 place Basse');
  const staff = (email: string, name: string) =>
    insertId(db, 'INSERT INTO staff_users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)', [email, name, 'x', T0]);
  return { published, held, claire: await staff('claire@ville.example', 'Claire'), karim: await staff('karim@ville.example', 'Karim') };
}

/** Rows with their random secrets replaced by their order of appearance, so both engines' transcripts compare. */
function stable<T>(value: T, secrets: Map<string, string>): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value), (key, v) => {
    if (key === 'token' && typeof v === 'string') {
      if (!secrets.has(v)) secrets.set(v, `secret-${secrets.size + 1}`);
      return secrets.get(v);
    }
    return v;
  }) as T;
}

/** Everything the stores answer along one story, in order. */
async function story(db: Engine): Promise<unknown[]> {
  const out: unknown[] = [];
  const secrets = new Map<string, string>();
  const log = (label: string, value: unknown) => out.push([label, stable(value, secrets)]);
  const { published, held, claire, karim } = await town(db);
  const followers = createFollowersStore(db);
  const updates = createUpdatesStore(db);
  const notifications = createNotificationsStore(db);
  const confirmations = createConfirmationsStore(db);
  const follow = (requestId: number, f: { email?: string; notify?: boolean; device?: string; locale?: string; kind?: 'reporter' | 'supporter' }, now = T0) =>
    followers.follow({
      requestId, kind: f.kind ?? 'supporter', email: f.email ?? null, notify: f.notify ?? false, locale: f.locale ?? 'fr',
      deviceId: f.device ?? null, now,
    });

  // Follows: a device counts once, an address counts once whatever its case (NOCASE / lower()), asking
  // for news later upgrades the follow (the scalar max rewritten as CASE).
  log('reporter', await follow(published, { kind: 'reporter', email: 'auteur@exemple.fr', notify: true, locale: 'en' }));
  log('device', await follow(published, { device: 'd1' }));
  log('device again', await follow(published, { device: 'd1', email: 'Voisin@Exemple.fr' }));
  log('same address, other case', await follow(published, { email: 'voisin@exemple.FR', notify: true, device: 'd9' }));
  log('no news', await follow(published, { device: 'd2', email: 'muet@exemple.fr' }));
  log('held request', await follow(held, { email: 'auteur@exemple.fr', notify: true }));
  log('followers', await db.query('SELECT request_id, kind, email, locale, notify, confirmed_at, unsubscribed_at FROM followers ORDER BY id'));

  // Confirmation caps per mailbox: 3 an hour, however the address is spelt.
  for (const [i, spelling] of ['Jo.Doe@Exemple.fr', 'jodoe+a@exemple.fr', 'jo.doe+b@EXEMPLE.FR', 'jodoe@exemple.fr'].entries()) {
    await follow(published, { email: spelling, notify: true, device: `jo-${i}` }, T0 + i);
  }
  log('confirmations queued', await db.query('SELECT follower_id, created_at, next_attempt_at FROM confirmations ORDER BY id'));

  // The confirmation e-mails due: the held request's says it is not published (a boolean expression read as 1/0).
  const dueConfirmations = await confirmations.due(T0 + 10, 100);
  log('confirmations due', dueConfirmations);
  const [first, second] = dueConfirmations;
  await confirmations.markSent(first!.id, T0 + 11);
  await confirmations.markFailed(second!, T0 + 11, 'mailbox full');
  log('after delivery', await confirmations.due(T0 + 12, 100));

  // Confirming through the link, once; an unknown or expired link is nothing.
  log('link', await followers.confirmation(first!.token, T0 + 20));
  log('confirm', await followers.confirm(first!.token, T0 + 20));
  log('confirm again', await followers.confirm(first!.token, T0 + 21));
  log('unknown link', await followers.confirm('nope', T0 + 21));
  log('expired link', await followers.confirmation(dueConfirmations[2]!.token, T0 + 8 * DAY));
  for (const c of dueConfirmations.slice(2)) await followers.confirm(c.token, T0 + 30);

  // Updates: a public status change, an internal note, a replayed update id, a backdated one.
  const update = (u: Partial<NewUpdate>) =>
    updates.add({
      jurisdictionId: 'ville.example', requestId: published, detailedStatus: null, note: null, public: true, actor: 'api:1',
      updateId: null, expectedAt: null, now: T0 + HOUR, ...u,
    });
  log('status', await update({ detailedStatus: 'in_progress', note: 'Équipe en route', updateId: 'fms-1', expectedAt: T0 + DAY }));
  log('replayed', await update({ detailedStatus: 'fixed', updateId: 'fms-1' }));
  log('internal note', await update({ note: 'Appeler le riverain', public: false, now: T0 + HOUR + 5 }));
  log('public note', await update({ note: 'Zone balisée', now: T0 + HOUR + 6 }));
  log('backdated', await update({ detailedStatus: 'fixed', now: T0 }));
  log('other town', await update({ jurisdictionId: 'ailleurs.example', detailedStatus: 'fixed' }));
  log('held status', await update({ requestId: held, detailedStatus: 'planned', now: T0 + HOUR + 7 }));
  log('request', await db.one('SELECT status, detailed_status, status_notes, expected_at, updated_at FROM requests WHERE id = ?', [published]));
  log('public updates', await updates.publicUpdates('ville.example', T0, T0 + DAY, 100));
  log('public updates, limited', await updates.publicUpdates('ville.example', T0, T0 + DAY, 1));

  // The e-mails owed: to confirmed followers who did not unsubscribe, in queue order.
  const owed = await notifications.due(T0 + 2 * HOUR, 100);
  log('owed', owed);
  const reporterLink = (await followers.byToken(owed.find((n) => n.kind === 'reporter')!.token))!;
  log('by token', reporterLink);
  log('unsubscribe', await followers.unsubscribe(owed[1]!.token, T0 + 2 * HOUR));
  log('unsubscribe again', await followers.unsubscribe(owed[1]!.token, T0 + 2 * HOUR));
  log('by token after', await followers.byToken(owed[1]!.token));
  for (let i = 0; i < MAX_ATTEMPTS; i++) await notifications.markFailed({ id: owed[0]!.id, attempts: i }, T0 + 2 * HOUR, 'refused');
  log('owed after', await notifications.due(T0 + 3 * DAY, 100));
  log('expired', await notifications.due(T0 + 30 * DAY, 100));
  log('queue', await db.query('SELECT follower_id, event_id, attempts, next_attempt_at, sent_at, failed_at, last_error FROM notifications ORDER BY id'));

  // Assignment e-mails: the requests still theirs, read from a JSON array of ids (json_each / json_array_elements_text).
  await db.run('UPDATE requests SET assignee_id = ? WHERE id = ?', [claire, published]);
  await db.run('UPDATE requests SET assignee_id = ? WHERE id = ?', [karim, held]);
  const mail = (staff: number, ids: number[], at: number) =>
    db.run('INSERT INTO assignment_mails (staff_id, jurisdiction_id, assigned_by, request_ids, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)', [
      staff, 'ville.example', karim, JSON.stringify(ids), at, at,
    ]);
  await mail(claire, [published, held], T0 + 3 * DAY);
  await mail(karim, [published], T0 + 3 * DAY + 1);
  await mail(karim, [held, published], T0 + 3 * DAY + 2);
  const assignments = createAssignmentMailsStore(db);
  log('assignments due', await assignments.due(T0 + 3 * DAY + 10, 100));
  log('assignment queue', await db.query('SELECT staff_id, failed_at, last_error FROM assignment_mails ORDER BY id'));

  // Tracking: a token opens its own request only, in its own town, in the asked language.
  await db.run('INSERT INTO request_trackers (token_hash, request_id) VALUES (?, ?)', [hashTrackingToken('tok-held'), held]);
  const tracking = createTrackingStore(db);
  log('tracked', await tracking.tracked('ville.example', held, 'tok-held', 'en'));
  log('tracked in French', await tracking.tracked('ville.example', held, 'tok-held', null));
  log('wrong token', await tracking.tracked('ville.example', held, 'tok-other', null));
  log('other request', await tracking.tracked('ville.example', published, 'tok-held', null));
  log('other town', await tracking.tracked('ailleurs.example', held, 'tok-held', null));

  // Metrics: requests by visibility, in one order on both engines; a size (not compared: the engines' files differ).
  const metrics = createStoreMetrics(db);
  log('visibility', await metrics.requestsByVisibility());
  assert.ok((await metrics.bytes()) > 0);
  return out;
}

const engines = enginesUnderTest();
const transcripts = new Map<string, unknown[]>();

for (const engine of engines) {
  test(`followers, confirmations, e-mail queues, updates and tracking on ${engine.name}`, async () => {
    const db = await engine.open();
    const transcript = await story(db);
    transcripts.set(engine.name, transcript);
    if (engine.name !== 'sqlite') return;
    // The reference itself is right (so that two equal wrong answers cannot pass).
    const entry = (label: string) => (transcript.find((e) => (e as [string])[0] === label) as [string, unknown])[1];
    assert.deepEqual(entry('device again'), { followers: 1, added: false });
    assert.deepEqual(entry('same address, other case'), { followers: 1, added: false });
    assert.deepEqual(entry('replayed'), { eventId: (entry('status') as { eventId: number }).eventId, duplicate: true });
    assert.deepEqual(entry('confirm again'), { requestId: 1, locale: 'en', used: true });
    assert.equal(entry('expired link'), undefined);
    assert.equal((entry('confirmations queued') as unknown[]).length, 6, 'the fourth spelling of one mailbox within the hour is not asked');
    assert.deepEqual((entry('confirmations due') as { published: boolean }[]).map((c) => c.published), [true, true, false, true, true, true]);
    // Voisin's confirmation failed to go out, so Voisin hears nothing; the held request's follower hears of it too.
    const confirmed = ['auteur@exemple.fr', 'Jo.Doe@Exemple.fr', 'jodoe+a@exemple.fr', 'jo.doe+b@EXEMPLE.FR'];
    assert.deepEqual((entry('owed') as { email: string; detailedStatus: string; published: boolean }[]).map((n) => [n.email, n.detailedStatus, n.published]), [
      ...confirmed.map((e) => [e, 'in_progress', true]), ...confirmed.map((e) => [e, 'fixed', true]), ['auteur@exemple.fr', 'planned', false],
    ]);
    assert.deepEqual((entry('assignments due') as { requests: { id: number }[] }[]).map((m) => m.requests.map((r) => r.id)), [[1], [2]]);
    assert.deepEqual(entry('visibility'), [{ visibility: 'pending', n: 1 }, { visibility: 'published', n: 1 }]);
  });
}

for (const engine of engines) {
  test(`on ${engine.name}, the same follow or update sent twice at once counts once`, async () => {
    const db = await engine.open();
    const { published } = await town(db);
    const followers = createFollowersStore(db);
    const updates = createUpdatesStore(db);
    for (let round = 0; round < 5; round++) {
      const follow = () => followers.follow({
        requestId: published, kind: 'supporter', email: `voisin${round}@exemple.fr`, notify: true, locale: 'fr', deviceId: `device-${round}`, now: T0,
      });
      const both = await Promise.all([follow(), follow()]);
      assert.deepEqual(both.map((f) => f.added).sort(), [false, true]);
      assert.deepEqual(both.map((f) => f.followers), [round + 1, round + 1]);
      const update = () => updates.add({
        jurisdictionId: 'ville.example', requestId: published, detailedStatus: 'in_progress', note: null, public: true, actor: 'bus:1',
        updateId: `crm-${round}`, expectedAt: null, now: T0 + round,
      });
      const [one, two] = await Promise.all([update(), update()]);
      assert.deepEqual([one!.duplicate, two!.duplicate].sort(), [false, true]);
      assert.equal(one!.eventId, two!.eventId);
    }
    assert.equal((await db.one<{ n: number }>('SELECT count(*) AS n FROM confirmations'))!.n, 5, 'one confirmation e-mail each');
    assert.equal((await db.one<{ n: number }>("SELECT count(*) AS n FROM request_events WHERE actor = 'bus:1'"))!.n, 5);
  });
}

test('both engines tell the same story', () => {
  assert.equal(transcripts.size, 2, 'both engines ran');
  const [sqlite, postgres] = [transcripts.get('sqlite')!, transcripts.get('postgres')!];
  for (const [i, entry] of sqlite.entries()) assert.deepEqual(postgres[i], entry, (entry as [string])[0]);
  assert.equal(postgres.length, sqlite.length);
});
