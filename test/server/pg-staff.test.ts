import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRetention } from '../../server/admin/retention.ts';
import { createStaffStore } from '../../server/admin/staff.store.ts';
import { createStatsStore } from '../../server/admin/stats.store.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { enginesUnderTest } from '../helpers/engines.ts';
import { random } from '../helpers/random.ts';

/**
 * The staff, statistics and retention stores on both engines: the same calls on the same rows give the
 * same answers (SQLite's are the reference), down to the order of every list.
 */
const DAY = 86_400;
/** 1 March 2026, 00:00 UTC: the filings run 75 days over the change to summer time (29 March in Europe). */
const T0 = 1_772_323_200;
const TOWN = 'ville.example';
const CLOSING = ['fixed', 'not_fixed', 'duplicate', 'rejected', 'referred'] as const;
const CHANNELS = ['api', 'web', 'phone', 'counter', 'email', 'mobile'] as const;
/** Streets written several ways (case, accents, abbreviations), and places that are no street. */
const ADDRESSES = ['12 rue Colbert', '3 Rue Colbert', '8 rue colbert, Tours', '1 avenue de Grammont', '5 av. de Grammont', 'Place Jean-Jaurès',
  '2 place Jean Jaurès', 'Parc de la Gloriette', '4 boulevard Béranger', '40 bd Béranger', '7 quai de la Loire', 'près de la gare'];

const insertId = async (db: Queryable, sql: string, params: readonly unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;

/** Two towns, a catalogue, departments, and a few hundred requests filed, closed and reopened over 75 days. */
async function town(db: Engine): Promise<void> {
  const rand = random(16);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  for (const id of [TOWN, 'autre.example']) await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', [id, id, T0]);
  const services: number[] = [];
  for (const code of ['voirie', 'eclairage', 'proprete', 'espaces-verts']) {
    services.push(await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', [TOWN, code, code.toUpperCase(), T0]));
  }
  const elsewhere = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', ['autre.example', 'voirie', 'Voirie', T0]);
  const departments: (number | null)[] = [null];
  for (const name of ['Voirie', 'Éclairage', 'Propreté']) departments.push(await insertId(db, 'INSERT INTO departments (jurisdiction_id, name) VALUES (?, ?)', [TOWN, name]));

  for (let i = 0; i < 420; i++) {
    const other = i % 14 === 0;
    const at = T0 + Math.floor(rand() * 75 * DAY);
    const located = rand() < 0.8;
    const visibility = rand() < 0.08 ? 'pending' : rand() < 0.05 ? 'hidden' : 'published';
    const id = await insertId(
      db,
      `INSERT INTO requests (jurisdiction_id, service_id, channel, lat, long, address, requested_at, updated_at, expected_at, visibility, queued, assigned_department)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        other ? 'autre.example' : TOWN, other ? elsewhere : pick(services), pick(CHANNELS),
        located ? 47.3 + rand() * 0.2 : null, located ? 0.6 + rand() * 0.2 : null, rand() < 0.85 ? pick(ADDRESSES) : null,
        at, at, rand() < 0.7 ? at + Math.floor(rand() * 20) * DAY : null, visibility, rand() < 0.03 ? 1 : 0, other ? null : pick(departments),
      ],
    );
    await db.run('INSERT INTO request_events (request_id, type, actor, created_at) VALUES (?, ?, ?, ?)', [id, 'created', 'resident', at]);
    if (rand() < 0.6) {
      const status = pick(CLOSING);
      const closed = at + Math.floor(rand() * 30 * DAY);
      await db.run("UPDATE requests SET status = 'closed', detailed_status = ?, updated_at = ? WHERE id = ?", [status, closed, id]);
      await db.run("INSERT INTO request_events (request_id, type, detailed_status, actor, created_at) VALUES (?, 'status', ?, 'staff:1', ?)", [id, status, closed]);
      if (rand() < 0.15) {
        // Reopened: open again, its closing forgotten (the trigger on SQLite, requests_closed_at() on PostgreSQL).
        await db.run("UPDATE requests SET status = 'open', detailed_status = 'in_progress', updated_at = ? WHERE id = ?", [closed + DAY, id]);
        await db.run("INSERT INTO request_events (request_id, type, detailed_status, actor, created_at) VALUES (?, 'status', 'in_progress', 'staff:1', ?)", [id, closed + DAY]);
      }
    }
  }
}

/** Every figure of the statistics, in several time zones and periods, as the routes would give them. */
async function statistics(db: Engine) {
  const answers: Record<string, unknown> = {};
  for (const timeZone of ['Europe/Paris', 'America/New_York', 'Pacific/Auckland', 'UTC']) {
    const stats = createStatsStore(db, timeZone);
    for (const [name, from, to] of [['all', T0 - DAY, T0 + 80 * DAY], ['march', T0, T0 + 31 * DAY - 1], ['a week', T0 + 25 * DAY + 3600, T0 + 32 * DAY]] as const) {
      const w = { jurisdictionId: TOWN, from, to, now: T0 + 60 * DAY };
      answers[`${timeZone} ${name} summary`] = JSON.stringify(await stats.summary(w));
      answers[`${timeZone} ${name} table`] = JSON.stringify(await stats.table(w));
    }
  }
  const empty = createStatsStore(db, 'Europe/Paris');
  answers['a town without requests'] = JSON.stringify(await empty.summary({ jurisdictionId: 'nowhere.example', from: T0, to: T0 + DAY, now: T0 }));
  return answers;
}

/** Accounts, roles, sessions and login throttling, each answer kept under a name. */
async function staffStory(db: Engine) {
  const staff = createStaffStore(db);
  const out: Record<string, unknown> = {};
  const claire = await staff.create({ email: 'claire@ville.example', name: 'Claire', passwordHash: 'h1', roles: [[TOWN, 'administrator'], ['autre.example', 'readonly']], now: T0 });
  const karim = await staff.create({ email: 'karim@ville.example', name: 'Karim', passwordHash: 'h2', roles: [[TOWN, 'agent']], now: T0 });
  // Two people of one name: listed by name, then in the order they were added.
  const twin = await staff.create({ email: 'claire.b@ville.example', name: 'Claire', passwordHash: 'h3', roles: [[TOWN, 'readonly']], now: T0 });
  out.ids = [claire, karim, twin];
  out.credentials = [await staff.credentials('claire@ville.example'), await staff.credentials('Claire@Ville.EXAMPLE'), await staff.credentials('nobody@ville.example')];
  out.get = (await staff.get(claire)) && { ...(await staff.get(claire))!, roles: [...(await staff.get(claire))!.roles] };
  out.unknown = await staff.get(9999);
  out.ofTown = await staff.ofJurisdiction(TOWN);
  await staff.setRole(twin, TOWN, 'agent');
  await staff.setRole(karim, 'autre.example', 'agent');
  out.afterRoles = [await staff.ofJurisdiction(TOWN), await staff.ofJurisdiction('autre.example')];

  // A request given to Karim is taken back when he may no longer act (staff_roles_unassign_*).
  const request = (await db.one<{ id: number }>('SELECT id FROM requests WHERE jurisdiction_id = ? ORDER BY id LIMIT 1', [TOWN]))!.id;
  await db.run('UPDATE requests SET assignee_id = ? WHERE id = ?', [karim, request]);
  out.removed = [await staff.removeRole(karim, TOWN), await staff.removeRole(karim, TOWN)];
  out.unassigned = await db.one('SELECT assignee_id FROM requests WHERE id = ?', [request]);

  // Sessions: opened, used, idle, expired, closed; a new password ends the others.
  const first = await staff.openSession(claire, T0);
  const second = await staff.openSession(claire, T0 + 60);
  const seen = await staff.session(first.token, T0 + 3600);
  out.session = seen && { staff: { ...seen.staff, roles: [...seen.staff.roles] }, expiresAt: seen.expiresAt, csrf: seen.csrfToken === first.csrfToken };
  out.idle = [await staff.session(second.token, T0 + 60 + 2 * 3600 + 1), await staff.session(first.token, T0 + 3600 + 2 * 3600 - 1) !== undefined];
  out.expired = await staff.session(first.token, first.expiresAt);
  const third = await staff.openSession(claire, T0 + 7200);
  const fourth = await staff.openSession(claire, T0 + 7200);
  await staff.setPassword(claire, 'h4', third.token);
  out.afterPassword = [(await staff.session(third.token, T0 + 7300)) !== undefined, await staff.session(fourth.token, T0 + 7300), (await staff.credentials('claire@ville.example'))!.password_hash];
  await staff.closeSession(third.token);
  out.closed = await staff.session(third.token, T0 + 7400);
  out.sessionsLeft = await db.query('SELECT staff_id, created_at, last_seen_at, expires_at FROM staff_sessions ORDER BY created_at, staff_id');

  // Throttling: five failures of an e-mail, then refused with the oldest; a success withdraws one.
  const keys = (n: number): [string, number][] => [['email:claire@ville.example', 5], [`ip:10.0.0.${n}`, 20]];
  const attempts = [];
  for (let i = 0; i < 7; i++) attempts.push(await staff.attempt(keys(i % 2), T0 + 100 + i, 900));
  out.attempts = attempts;
  await staff.withdrawFailure('ip:10.0.0.0', T0 + 100);
  await staff.withdrawFailure('ip:10.0.0.0', T0 + 100);
  // Two failures of one key at one second are two equal rows: a withdrawal takes one of them only.
  for (let i = 0; i < 2; i++) await staff.attempt([['ip:10.0.0.9', 20]], T0 + 300, 900);
  await staff.withdrawFailure('ip:10.0.0.9', T0 + 300);
  out.afterWithdraw = await db.query('SELECT key, at FROM login_failures ORDER BY key, at');
  await staff.forgetFailures('email:claire@ville.example');
  out.afterForget = await staff.attempt(keys(0), T0 + 200, 900);
  out.laterWindow = await staff.attempt([['email:karim@ville.example', 5]], T0 + 5000, 900);
  return out;
}

/** Guesses sent together (thirty: without the lock on PostgreSQL, ten or more slip through): one e-mail allows five. */
async function guesses(db: Engine) {
  const staff = createStaffStore(db);
  const tries = await Promise.all(Array.from({ length: 30 }, (_, i) => staff.attempt([['email:target@ville.example', 5], [`ip:192.0.2.${i}`, 20]], T0, 900)));
  return { allowed: tries.filter((t) => t === undefined).length, counted: (await db.one('SELECT count(*) AS n FROM login_failures WHERE key = ?', ['email:target@ville.example'])) };
}

/** The retention purge over personal data of requests closed long ago, and spent confirmation links. */
async function retentionStory(db: Engine) {
  const closed = await db.query<{ id: number }>("SELECT id FROM requests WHERE status = 'closed' ORDER BY id LIMIT 40");
  const open = await db.query<{ id: number }>("SELECT id FROM requests WHERE status = 'open' ORDER BY id LIMIT 10");
  for (const { id } of [...closed, ...open]) {
    await db.run("INSERT INTO reporters (request_id, kind, email, first_name, phone, device_id) VALUES (?, 'person', ?, 'Ana', '0600000000', 'd')", [id, `r${id}@example.org`]);
    const follower = await insertId(db, "INSERT INTO followers (request_id, kind, email, locale, notify, token, created_at, device_hash) VALUES (?, 'supporter', ?, 'fr', 1, ?, ?, 'dh')", [
      id, `f${id}@example.org`, `t${id}`, T0,
    ]);
    await db.run('INSERT INTO confirmations (follower_id, mailbox, token, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [follower, `m${id}`, `c${id}`, T0 + (id % 20) * DAY, T0]);
    const edit = await insertId(db, "INSERT INTO request_events (request_id, type, actor, created_at) VALUES (?, 'note', 'staff:1', ?)", [id, T0]);
    await db.run("INSERT INTO request_edits (event_id, field, before, after) VALUES (?, 'description', 'Appelez Jean', 'Trou')", [edit]);
  }
  const retention = createRetention(db, 12);
  const purges = [];
  for (const at of [T0 + 200 * DAY, T0 + 400 * DAY, T0 + 420 * DAY, T0 + 500 * DAY]) purges.push(await retention.purge(at));
  return {
    purges,
    reporters: await db.query('SELECT request_id, email, first_name, phone, device_id, erased_at FROM reporters ORDER BY request_id'),
    followers: await db.query('SELECT request_id, email, notify, device_hash FROM followers ORDER BY id'),
    edits: await db.query('SELECT event_id, before, after, erased_at FROM request_edits ORDER BY event_id'),
    confirmations: await db.query('SELECT token FROM confirmations ORDER BY id'),
    audit: await db.query("SELECT at, jurisdiction_id, actor, action, target, detail FROM audit_log WHERE action = 'retention.purge' ORDER BY id"),
    supporters: await db.query('SELECT id, followers FROM requests WHERE followers > 0 ORDER BY id'),
  };
}

describe('staff, statistics and retention on both engines', () => {
  const engines = enginesUnderTest();
  const results: Record<string, Record<string, unknown>> = {};
  for (const engine of engines) {
    test(`the stores run on ${engine.name}`, async () => {
      const db = await engine.open();
      await town(db);
      results[engine.name] = {
        statistics: await statistics(db),
        staff: await staffStory(db),
        guesses: await guesses(db),
        retention: await retentionStory(db),
      };
    });
  }

  for (const part of ['statistics', 'staff', 'guesses', 'retention']) {
    test(`${part}: the same answers on PostgreSQL as on SQLite`, () => {
      const [sqlite, postgres] = [results.sqlite?.[part] as Record<string, unknown>, results.postgres?.[part] as Record<string, unknown>];
      assert.ok(sqlite && postgres, 'both engines ran');
      for (const key of Object.keys(sqlite)) assert.deepStrictEqual(postgres[key], sqlite[key], key);
      assert.deepEqual(Object.keys(postgres), Object.keys(sqlite));
    });
  }

  test('the story exercises each figure and rule (checked on SQLite, the reference)', () => {
    const { statistics: s, staff, guesses: g, retention: r } = results.sqlite as Record<string, any>;
    const paris = JSON.parse(s['Europe/Paris all summary']);
    assert.ok(paris.total > 300 && paris.pending > 0, 'filed and held requests');
    assert.ok(paris.time_to_close.closed > 100 && paris.sla.on_time > 0 && paris.sla.late > 0 && paris.sla.not_yet_due > 0 && paris.sla.without_sla > 0);
    assert.equal(paris.by_department.length, 4, 'three departments and none');
    assert.ok(paris.places.streets.length >= 4 && paris.places.without_address > 0 && paris.heat.length > 1);
    assert.ok(paris.weeks.length >= 11 && paris.weeks.some((w: { closed: number }) => w.closed > 0));
    assert.notEqual(s['Europe/Paris all table'], s['Pacific/Auckland all table'], 'days cut in each town\'s time zone');
    assert.ok(JSON.parse(s['UTC march table']).length > 100);
    assert.equal(staff.credentials[1].id, staff.ids[0], 'an e-mail in any case');
    assert.deepEqual(staff.ofTown.map((m: { id: number }) => m.id), [staff.ids[0], staff.ids[2], staff.ids[1]]);
    assert.deepEqual(staff.removed, [true, false]);
    assert.deepEqual(staff.unassigned, { assignee_id: null });
    assert.deepEqual([staff.idle[0], staff.idle[1], staff.expired, staff.closed], [undefined, true, undefined, undefined]);
    assert.deepEqual(staff.afterPassword, [true, undefined, 'h4']);
    assert.deepEqual(staff.attempts.map((a: unknown) => a === undefined), [true, true, true, true, true, false, false]);
    assert.deepEqual(staff.attempts[5], { key: 'email:claire@ville.example', failures: { n: 5, first: T0 + 100 } });
    const left = (key: string) => staff.afterWithdraw.filter((f: { key: string }) => f.key === key).map((f: { at: number }) => f.at);
    assert.deepEqual(left('ip:10.0.0.0'), [T0 + 102, T0 + 104], 'three counted, the one of that second withdrawn, once');
    assert.deepEqual(left('ip:10.0.0.9'), [T0 + 300], 'two equal rows, one withdrawn');
    assert.equal(staff.afterForget, undefined);
    assert.deepEqual(g, { allowed: 5, counted: { n: 5 } });
    assert.deepEqual(r.purges.map((p: { reporters: number }) => p.reporters > 0), [false, true, true, true], 'nothing within the year, then the closings as their year ends');
    assert.ok(r.purges[1].followers > 0 && r.purges[1].edits > 0);
    assert.equal(r.audit.length, 3, 'each purge that erased something');
    assert.equal(staff.session.csrf, true);
    assert.ok(r.confirmations.length === 0 && r.supporters.length === 50, 'links spent; followers kept, counted');
  });
});
