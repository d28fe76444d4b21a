import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAssignmentStore } from '../../server/admin/assignment.store.ts';
import { createAuditLog } from '../../server/admin/audit-log.ts';
import { createBulkActions } from '../../server/admin/bulk.ts';
import { createCaseworkStore } from '../../server/admin/casework.store.ts';
import { createInboxStore, type InboxFilters, type InboxQuery } from '../../server/admin/inbox.store.ts';
import { slaClock } from '../../server/admin/sla.ts';
import { JsonError } from '../../server/http/json-error.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { createRouter, createRoutingStore, routeNewRequest } from '../../server/requests/routing.store.ts';
import { INBOX_SORTS } from '../../server/shared/inbox.ts';
import { enginesUnderTest } from '../helpers/engines.ts';

/**
 * The casework stores (inbox, casework, bulk, assignment, audit, routing) give the same answers on both
 * engines: the same town is written to each through the same statements, every method is called alike,
 * and PostgreSQL's answers must equal SQLite's, the reference.
 */
const T0 = 1_780_000_000;
const DAY = 86_400;
const J = 'ville.example';

const insertId = async (db: Queryable, sql: string, params: readonly unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;

const SERVICES = ['Voirie', 'éclairage', 'bancs', 'Espaces verts'];
const STAFF = ['zoé', 'Adèle', 'bruno', 'Zacharie'];
const TITLES = ['Nid de poule', 'Lampadaire éteint', 'École: banc cassé', 'Rue pavée abîmée', "L'Haÿ-les-Roses", 'ÉTÉ chaud', null];
const ADDRESSES = ["près de l'Église", "près de l'église", "près de l'école", 'Rue Nationale', 'rue nationale', 'avenue Foch', null];
const CHANNELS = ['web', 'mobile', 'phone', 'counter', 'email', 'api'];
const STATUSES = [['open', 'received'], ['open', 'in_progress'], ['closed', 'fixed'], ['open', 'planned'], ['closed', 'duplicate'], ['closed', 'rejected']];

/** A town with services, staff, departments, bus apps and 60 varied requests (ties on dates and addresses, NULLs). */
async function town(db: Queryable) {
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', [J, 'Ville', T0]);
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['autre.example', 'Autre', T0]);
  const services: number[] = [];
  for (const [i, name] of SERVICES.entries()) {
    services.push(await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', [J, `s${i}`, name, T0]));
  }
  const staff: number[] = [];
  for (const [i, name] of STAFF.entries()) {
    const id = await insertId(db, 'INSERT INTO staff_users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)', [`s${i}@ville.example`, name, 'x', T0]);
    await db.run('INSERT INTO staff_roles (staff_id, jurisdiction_id, role) VALUES (?, ?, ?)', [id, J, i === 3 ? 'administrator' : 'agent']);
    staff.push(id);
  }
  const apiClient = await insertId(db, 'INSERT INTO api_clients (jurisdiction_id, name, key_prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)', [J, 'Widget', 'k', 'khash', T0]);
  const busApp = await insertId(db, 'INSERT INTO bus_apps (jurisdiction_id, name, secret_prefix, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)', [J, 'CRM', 'b', 'bhash', T0]);
  const requests: number[] = [];
  for (let i = 0; i < 60; i++) {
    const [status, detailed] = STATUSES[i % STATUSES.length]!;
    const at = i % 6 === 0 ? T0 : T0 + i * 3600;
    requests.push(await insertId(
      db,
      `INSERT INTO requests (jurisdiction_id, service_id, title, description, address, lat, long, status, detailed_status, channel, visibility,
         requested_at, updated_at, expected_at, assignee_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        J, services[i % services.length], TITLES[i % TITLES.length], i % 3 === 0 ? 'trottoir défoncé' : null, ADDRESSES[i % ADDRESSES.length],
        i % 10 === 9 ? null : 47.39 + i / 1000, i % 10 === 9 ? null : 0.68 - i / 1000, status, detailed, CHANNELS[i % CHANNELS.length],
        i % 9 === 0 ? 'pending' : i % 13 === 0 ? 'hidden' : 'published', at, at, i % 8 === 0 ? null : T0 + ((i % 5) - 2) * DAY + i * 60,
        i % 4 === 0 ? null : staff[i % staff.length],
      ],
    ));
  }
  await db.run('INSERT INTO requests (jurisdiction_id, service_id, title, requested_at, updated_at) VALUES (?, ?, ?, ?, ?)', ['autre.example', services[0], 'Ailleurs', T0, T0]);
  return { services, staff, requests, apiClient, busApp };
}

type Town = Awaited<ReturnType<typeof town>>;

/** Every inbox answer: each sort both ways, by index walks and in memory, under filters that cover each statement. */
async function inboxAnswers(db: Queryable, t: Town) {
  const clock = slaClock(T0, 'Europe/Paris');
  const none: InboxFilters = { visibility: null, status: null, serviceCode: null, words: null, assignee: null, sla: null };
  const filters: Partial<InboxFilters>[] = [
    {}, { status: 'open' }, { status: 'closed', visibility: 'published' }, { assignee: 'none' }, { assignee: t.staff[1]! }, { sla: 'overdue' },
    { sla: 'due_today' }, { serviceCode: 's1' }, { words: ['eglise'] }, { words: ['Égl'] }, { words: ['rue', 'pav'] }, { words: ['haÿ', 'roses'] },
    { words: ['trottoir'], status: 'open' }, { words: ['nothing'] },
  ];
  const walking = createInboxStore(db, { sortInMemory: 0 });
  const sorting = createInboxStore(db, { sortInMemory: Infinity });
  const answers: Record<string, unknown> = {};
  for (const f of filters) {
    const base = { ...none, ...f, jurisdictionId: J, clock, offset: 0 };
    for (const sort of INBOX_SORTS) {
      for (const descending of [false, true]) {
        const q = { ...base, sort, descending, limit: 100 } as InboxQuery;
        const whole = await sorting.list(q);
        const pages: string[] = [];
        for (let offset = 0; offset < whole.total + 7; offset += 7) {
          pages.push(...(await walking.list({ ...q, limit: 7, offset })).requests.map((r) => r.service_request_id));
        }
        assert.deepEqual(pages, whole.requests.map((r) => r.service_request_id), `${db.kind} ${JSON.stringify(f)} ${sort} ${descending}: walked as sorted`);
        answers[`${JSON.stringify(f)} ${descending ? '-' : ''}${sort}`] = whole;
      }
    }
  }
  answers.queues = await sorting.queues(J, t.staff[1]!, clock);
  answers.targets = [...(await sorting.targets(J, [t.requests[0]!, t.requests[5]!, 999_999, t.requests[5]!]))];
  return answers;
}

describe('casework stores answer alike on SQLite and PostgreSQL', () => {
  const engines = enginesUnderTest();
  const answers = new Map<string, Record<string, unknown>>();
  const opened = new Map<string, { db: Engine; town: Town }>();

  for (const engine of engines) {
    test(`${engine.name}: a town is written`, async () => {
      const db = await engine.open();
      opened.set(engine.name, { db, town: await town(db) });
    });
  }

  for (const engine of engines) {
    test(`${engine.name}: the inbox lists, sorts, searches, pages and counts`, async () => {
      const { db, town: t } = opened.get(engine.name)!;
      answers.set(`inbox ${engine.name}`, await inboxAnswers(db, t));
    });
  }

  test('the inbox answers the same on both, and its searches find what FTS5 finds', () => {
    const sqlite = answers.get('inbox sqlite')!;
    const found = (words: string[]) => (sqlite[`${JSON.stringify({ words })} number`] as { total: number }).total;
    assert.ok(found(['eglise']) > 0 && found(['eglise']) === found(['Égl']), 'accents folded, prefixes matched');
    assert.ok(found(['rue', 'pav']) > 0, 'the last word a prefix');
    assert.ok(found(['haÿ', 'roses']) > 0);
    assert.equal(found(['nothing']), 0);
    assert.deepEqual(answers.get('inbox postgres'), sqlite);
  });

  for (const engine of engines) {
    test(`${engine.name}: casework, bulk, assignment, audit and routing act`, async () => {
      const { db, town: t } = opened.get(engine.name)!;
      const [r0, r1, r2, r3, r4, r5, r6, r7] = t.requests as [number, number, number, number, number, number, number, number];
      const out: Record<string, unknown> = {};
      const casework = createCaseworkStore(db);
      // The events' actors, named from each table; an unknown kind and a deleted member named by no one.
      for (const actor of [`staff:${t.staff[0]}`, `api:${t.apiClient}`, `bus:${t.busApp}`, 'staff:999', 'import:old', 'anonymous']) {
        await db.run("INSERT INTO request_events (request_id, type, note, public, actor, created_at) VALUES (?, 'note', 'n', 0, ?, ?)", [r1, actor, T0]);
      }
      await db.run('INSERT INTO reporters (request_id, kind, email, first_name) VALUES (?, ?, ?, ?)', [r1, 'person', 'a@example.org', 'Anne']);
      await db.run("INSERT INTO request_attributes (request_id, code, position, value) VALUES (?, 'b', 0, 'x'), (?, 'a', 1, 'y'), (?, 'a', 0, 'z')", [r1, r1, r1]);
      const media = await insertId(db, 'INSERT INTO media (request_id, position, url, mime, created_at) VALUES (?, 0, ?, ?, ?)', [r1, 'https://example.org/a.jpg', 'image/jpeg', T0]);

      out.publish = await casework.publish(r0, `staff:${t.staff[0]}`, T0 + 1);
      out.reject = await casework.reject(r2, 'Hors sujet', `staff:${t.staff[0]}`, T0 + 2);
      out.edit = await casework.edit(r1, { title: 'Nid de poule masqué', address: ADDRESSES[1 % ADDRESSES.length]! }, `staff:${t.staff[1]}`, T0 + 3);
      out.editSame = await casework.edit(r1, { title: 'Nid de poule masqué' }, `staff:${t.staff[1]}`, T0 + 4);
      out.hide = [await casework.hideMedia(r1, media, 'staff:1', T0 + 5), await casework.hideMedia(r1, 999_999, 'staff:1', T0 + 5)];
      // Followers of a duplicate join the kept request, one follow per person (e-mails compared as NOCASE).
      const follow = (request: number, token: string, email: string | null, device: string | null, kind = 'supporter') =>
        db.run('INSERT INTO followers (request_id, kind, email, locale, device_hash, token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [request, kind, email, 'fr', device, token, T0]);
      await follow(r3, 'a', 'Same@Example.org', null);
      await follow(r4, 'b', 'same@example.org', null);
      await follow(r4, 'c', null, 'device-1');
      await follow(r3, 'd', null, 'device-1');
      await follow(r4, 'e', 'other@example.org', 'device-2');
      await follow(r4, 'f', 'Élise@example.org', null);
      out.merge = await casework.merge(r4, r3, `staff:${t.staff[0]}`, T0 + 6);
      out.followers = await db.query('SELECT request_id, token FROM followers WHERE request_id IN (?, ?) ORDER BY token', [r3, r4]);
      out.extent = [await casework.extent(J), await casework.extent('autre.example')];
      const department = await insertId(db, 'INSERT INTO departments (jurisdiction_id, name, agency) VALUES (?, ?, ?)', [J, 'Voirie', 'Services techniques']);
      out.assign = [await casework.assign(J, r1, department), await casework.assign('autre.example', r1, department), await casework.assign(J, r5, null)];
      out.get = await Promise.all([r0, r1, r2, r3, r4, r5].map((id) => casework.get(J, id)));
      out.elsewhere = await casework.get('autre.example', r1);
      out.edits = await db.query('SELECT event_id, field, before, after FROM request_edits ORDER BY event_id, field');

      // Assignment in its own transaction, and bulk actions on the transaction's stores (all or nothing).
      const by = { id: t.staff[0]!, name: STAFF[0]! };
      const to = { id: t.staff[2]!, name: STAFF[2]! };
      const assignments = createAssignmentStore(db);
      out.assigned = [
        await assignments.assign({ jurisdictionId: J, ids: [r5, r6, r7], to, by, mail: true, now: T0 + 7 }),
        await assignments.assign({ jurisdictionId: J, ids: [r5], to, by, mail: true, now: T0 + 8 }),
        await assignments.assign({ jurisdictionId: J, ids: [r6], to: null, by, mail: true, now: T0 + 9 }),
      ];
      out.mails = await db.query('SELECT staff_id, jurisdiction_id, assigned_by, request_ids, created_at, next_attempt_at FROM assignment_mails ORDER BY id');
      const audit = createAuditLog(db, () => (T0 + 10) * 1000);
      const bulk = createBulkActions({ engine: db, audit });
      const options = { mail: true, now: T0 + 11 };
      const refused = async (run: () => Promise<unknown>) => {
        try {
          await run();
          return 'done';
        } catch (e) {
          if (!(e instanceof JsonError)) throw e;
          return { status: e.status, problems: e.body() };
        }
      };
      const [p1, p2, p3] = t.requests.filter((_, i) => i % 9 === 0 && i > 0) as [number, number, number];
      out.bulk = [
        await refused(() => bulk.run(J, [p1, 999_999], { action: 'publish' }, by, options)),
        await refused(() => bulk.run(J, [p1, r0], { action: 'publish' }, by, options)),
        await bulk.run(J, [p1, p2, p1], { action: 'publish' }, by, options),
        await bulk.run(J, [p3], { action: 'reject', reason: 'Doublon' }, by, options),
        await refused(() => bulk.run(J, [r7, r4], { action: 'merge', into: r3 }, by, options)),
        await bulk.run(J, [r7, t.requests[8]!, r3], { action: 'merge', into: r3 }, by, options),
        await bulk.run(J, [r0, r1, r5], { action: 'assign', to: by }, by, options),
      ];
      out.afterBulk = await db.query('SELECT id, visibility, status, detailed_status, duplicate_of, assignee_id, followers FROM requests WHERE id <= ? ORDER BY id', [t.requests[9]!]);
      out.events = await db.query('SELECT request_id, type, detailed_status, note, public, actor, created_at FROM request_events ORDER BY id');

      // The audit log: a town's entries and its staff's account events, filtered by actor and action prefix.
      await audit.record({ jurisdictionId: null, actor: `staff:${t.staff[1]}`, action: 'staff.login', target: null });
      await audit.record({ jurisdictionId: null, actor: 'staff:999', action: 'staff.login', target: null });
      await audit.record({ jurisdictionId: null, actor: 'anonymous', action: 'staff.login_failed', target: null, detail: { email: 'x' } });
      await audit.record({ jurisdictionId: 'autre.example', actor: `staff:${t.staff[1]}`, action: 'request.publish', target: null });
      await audit.record({ jurisdictionId: J, actor: 'staff:1', action: 'odd!%_\\action', target: null });
      const list = (actor: string | null, action: string | null, before = Number.MAX_SAFE_INTEGER, limit = 100) => audit.list(J, { actor, action }, before, limit);
      out.audit = [
        await list(null, null), await list(`staff:${t.staff[1]}`, null), await list(null, 'REQUEST.'), await list(null, 'staff.'),
        await list(null, 'request.a_s'), await list(null, 'odd!%'), await list(null, 'odd!%_\\'), await list(null, null, 5, 3),
      ];
      assert.ok((out.audit as unknown[][]).every((entries, i) => i === 7 || entries.length > 0), `${engine.name}: every filter finds entries`);

      // Routing: the page's store, then the router over what it wrote.
      const routing = createRoutingStore(db);
      const zone = JSON.stringify({ type: 'Polygon', coordinates: [[[0.6, 47.3], [0.7, 47.3], [0.7, 47.5], [0.6, 47.5], [0.6, 47.3]]] });
      await db.run('UPDATE jurisdictions SET settings = ? WHERE id = ?', [JSON.stringify({ theme: 'blue', outside: 'refer', refer_note: 'old', outside_message: { fr: 'ancien' } }), J]);
      await routing.setArea(J, { area: zone, outside: 'refuse', referNote: null, message: { en: 'Not here' } });
      out.area = await routing.jurisdiction(J);
      await routing.setArea(J, { area: zone, outside: 'refer', referNote: 'Voir la métropole', message: {} });
      out.area2 = await routing.jurisdiction(J);
      out.isBusApp = [await routing.isBusApp(J, t.busApp), await routing.isBusApp('autre.example', t.busApp), await routing.isBusApp(J, 999)];
      await routing.saveDepartments(J, [
        { name: 'éclairage public', agency: null, zone, busAppId: t.busApp },
        { name: 'Voirie', agency: 'DST', zone: null, busAppId: null },
        { name: 'Bâtiments', agency: null, zone: null, busAppId: null },
      ]);
      out.departments = await routing.departments(J);
      out.ids = [await routing.serviceId(J, 's1'), await routing.serviceId(J, 'nope'), await routing.departmentId(J, 'Voirie'), await routing.departmentId(J, 'nope')];
      const lights = (await routing.departmentId(J, 'éclairage public'))!;
      const roads = (await routing.departmentId(J, 'Voirie'))!;
      await routing.replaceRules(J, [{ serviceId: t.services[0]!, departmentId: roads }, { serviceId: t.services[1]!, departmentId: lights }, { serviceId: null, departmentId: roads }]);
      await routing.replaceRules(J, [{ serviceId: t.services[1]!, departmentId: lights }, { serviceId: null, departmentId: roads }]);
      out.rules = await routing.rules(J);
      const router = createRouter(db);
      const service = { id: t.services[1]!, agencyResponsible: 'Mairie' };
      out.routed = [
        await routeNewRequest(router, J, service, 47.4, 0.65), await routeNewRequest(router, J, service, 48, 2), await routeNewRequest(router, J, service, null, null),
        await router.route(J, t.services[2]!, 47.4, 0.65), await router.outsideMessage(J), await router.outsideMessage('nowhere'),
      ];
      answers.set(`acts ${engine.name}`, out);
    });
  }

  test('what they did and answered is the same on both', () => {
    const sqlite = answers.get('acts sqlite')!;
    const postgres = answers.get('acts postgres')!;
    assert.ok((sqlite.events as unknown[]).length > 15 && (sqlite.followers as unknown[]).length > 0);
    for (const key of Object.keys(sqlite)) assert.deepEqual(postgres[key], sqlite[key], key);
  });
});
