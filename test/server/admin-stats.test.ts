import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetention } from '../../server/admin/retention.ts';
import { createStatsStore } from '../../server/admin/stats.store.ts';
import { createBusPayloads } from '../../server/bus/payload.ts';
import type { Params, Queryable } from '../../server/db/engine.ts';
import { coreStatus, DETAILED_STATUSES } from '../../server/requests/requests.types.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, createStaff, login, staffWith } from '../helpers/admin.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { onPostgres } from '../helpers/test-engine.ts';

const J = 'j/ville.example';
const HOUR = 3600_000;
/** A town of its own, with the demo catalogue and nothing filed: every figure below is counted by hand. */
const TOWN = 'stats.example';
/** Paris in summer: UTC+2. */
const paris = (date: string, time: string) => Date.parse(`${date}T${time}:00+02:00`);
/** What the demo catalogue's required questions need. */
const ANSWERS: Record<string, Record<string, string>> = {
  'nid-de-poule': { 'attribute[taille]': 'petit' }, lampadaire: { 'attribute[nombre]': '1', 'attribute[panne]': 'eteint' },
};

async function close(t: TestApp, id: string, after: number) {
  t.clock.ms += after;
  const res = await t.post('servicerequestupdates.json', { api_key: t.updatesKey, service_request_id: id, update_id: `close-${id}`, status: 'FIXED', description: 'done' });
  assert.equal(res.status, 200);
}

/**
 * June 2026 in a town of its own, as an agent would have lived it, each step at its hour (Paris time).
 * The figures the tests expect are worked out by hand beside each request.
 */
async function june(t: TestApp) {
  const email = 'manager@stats.example';
  await createStaff(t, email, { [TOWN]: 'administrator' });
  // Sessions end after two idle hours: each step logs in at its own time, as staff would.
  const call = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await admin(t, await login(t, email), method, `j/${TOWN}/${path}`, body);
    assert.ok(status < 300, `${method} ${path}: ${status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const departments = (await call('PUT', 'departments', { departments: [{ name: 'Voirie' }, { name: 'Éclairage' }] })).departments as { id: string; name: string }[];
  const departmentId = (name: string) => departments.find((d) => d.name === name)!.id;
  const ids: Record<string, string> = {};
  const steps: [number, () => Promise<unknown>][] = [];
  const at = (date: string, time: string, step: () => Promise<unknown>) => steps.push([paris(date, time), step]);
  const filed = (name: string, date: string, time: string, service: string, place: { address?: string; lat?: string }, department?: string) =>
    at(date, time, async () => {
      const fields = {
        api_key: t.updatesKey, jurisdiction_id: TOWN, service_code: service, description: name, ...ANSWERS[service],
        ...(place.address ? { address_string: place.address } : {}), ...(place.lat ? { lat: place.lat, long: '0.68' } : {}),
      };
      const res = await t.post('requests.json', fields);
      assert.equal(res.status, 200, await res.clone().text());
      ids[name] = String(((await res.json()) as { service_request_id: string }[])[0]!.service_request_id);
      if (department) await call('POST', `requests/${ids[name]}/assign`, { department_id: departmentId(department) });
    });
  const status = (name: string, date: string, time: string, detailed_status: string) => at(date, time, () => call('POST', `requests/${ids[name]}/status`, { detailed_status }));

  // Closed in June, filed in May: a closing of week 23, not a request of June.
  filed('L', '2026-05-20', '09:00', 'nid-de-poule', { address: '5 rue Nationale' });
  status('L', '2026-06-02', '09:00', 'fixed');
  // Nid-de-poule: SLA 120 h.
  filed('A', '2026-06-01', '00:30', 'nid-de-poule', { address: '12 rue Nationale', lat: '47.39' }, 'Voirie'); // Monday 00:30 in Paris, still Sunday in UTC
  status('A', '2026-06-01', '10:30', 'fixed'); // 10 h: on time
  filed('B', '2026-06-02', '10:00', 'nid-de-poule', { address: 'Près du 40 Rue Nationale', lat: '47.39' }, 'Voirie');
  status('B', '2026-06-07', '10:00', 'fixed'); // 120 h, exactly at its due time: on time
  filed('C', '2026-06-03', '10:00', 'nid-de-poule', { address: 'Rue Nationale, devant la boulangerie' }, 'Voirie');
  status('C', '2026-06-11', '18:00', 'not_fixed'); // 200 h: late
  filed('M', '2026-06-08', '10:00', 'nid-de-poule', { address: 'Rue Nationale' });
  status('M', '2026-06-08', '15:00', 'fixed'); // closed after 5 h…
  status('M', '2026-06-09', '10:00', 'in_progress'); // …reopened…
  status('M', '2026-06-10', '12:00', 'fixed'); // …and closed for good after 50 h: on time
  filed('D', '2026-06-10', '10:00', 'nid-de-poule', { address: 'Place Plumereau', lat: '47.39' }); // still open, due 15 June: late
  // Suggestion: no SLA.
  filed('G', '2026-06-05', '10:00', 'suggestion', { lat: '47.395' }); // coordinates only
  status('G', '2026-06-07', '10:00', 'fixed'); // 48 h
  // Tags: one merged into A, one rejected; neither counts in the time to close or the SLA.
  filed('H', '2026-06-04', '10:00', 'tag-graffiti', { address: '3 impasse des Lilas, chez Mme Martin' });
  at('2026-06-05', '09:00', () => call('POST', `requests/${ids.H}/merge`, { into: ids.A }));
  filed('I', '2026-06-04', '11:00', 'tag-graffiti', { address: 'Rue Colbert' });
  at('2026-06-05', '09:30', () => call('POST', `requests/${ids.I}/reject`, { reason: 'Pas un tag' }));
  // Lampadaire: SLA 72 h.
  filed('E', '2026-06-28', '23:30', 'lampadaire', { address: 'place plumereau', lat: '47.40' }, 'Éclairage'); // Sunday: week 26; due 1 July 23:30: not yet due
  filed('F', '2026-06-29', '09:00', 'lampadaire', { address: '8 rue Colbert', lat: '47.40' }, 'Éclairage'); // week 27 runs into July
  status('F', '2026-06-30', '15:00', 'fixed'); // 30 h: on time
  // Filed on 1 July in Paris, 30 June in UTC: not June's.
  filed('K', '2026-07-01', '00:30', 'nid-de-poule', { address: '1 rue Nationale' });
  // Held for moderation: not counted, but said.
  at('2026-06-15', '08:00', () => t.engine.run(`UPDATE services SET moderation = 'hold' WHERE code = 'banc-abime' AND jurisdiction_id = ?`, [TOWN]));
  filed('N', '2026-06-15', '09:00', 'banc-abime', { address: 'Rue Nationale' });

  for (const [when, step] of steps.sort((a, b) => a[0] - b[0])) {
    t.clock.ms = when;
    await step();
  }
  t.clock.ms = paris('2026-07-01', '12:00');
  return { ids, call, reader: await staffWith(t, 'readonly', { [TOWN]: 'readonly' }) };
}

test('statistics of a month count by hand: time to close, SLA per category and department, weekly trend in the town’s time zone, streets', async () => {
  const t = await createTestApp({ extraJurisdictions: [TOWN] });
  const { reader } = await june(t);
  const { status, body: s } = await admin(t, reader, 'GET', `j/${TOWN}/stats?from=2026-06-01&to=2026-06-30`);
  assert.equal(status, 200, JSON.stringify(s));
  assert.deepEqual(s.period, { from: '2026-05-31T22:00:00Z', to: '2026-06-30T21:59:59Z', first_day: '2026-06-01', last_day: '2026-06-30', time_zone: 'Europe/Paris', as_of: '2026-07-01T10:00:00Z' });
  assert.equal(s.total, 10, 'A B C D E F G H I M: not L (May), K (1 July in Paris) nor N (held)');
  assert.equal(s.pending, 1);
  assert.deepEqual(s.by_status, { closed: 8, open: 2 });
  assert.deepEqual(s.by_detailed_status, { fixed: 5, received: 2, not_fixed: 1, duplicate: 1, rejected: 1 });
  assert.deepEqual(s.by_channel, { api: 10 });
  // Closed and handled: A 10 h, F 30, G 48, M 50, B 120, C 200.
  assert.deepEqual(s.time_to_close, { closed: 6, median_hours: 49, p90_hours: 160 });
  assert.deepEqual(s.sla, { on_time: 4, late: 2, not_yet_due: 1, without_sla: 1, on_time_share: 0.667 });

  const category = (code: string) => s.by_category.find((c: { service_code: string }) => c.service_code === code);
  assert.deepEqual(s.by_category.map((c: { total: number }) => c.total), [5, 2, 2, 1], 'the largest first');
  assert.deepEqual(category('nid-de-poule'), {
    service_code: 'nid-de-poule', service_name: 'Nid-de-poule', total: 5, open: 1,
    time_to_close: { closed: 4, median_hours: 85, p90_hours: 176 }, sla: { on_time: 3, late: 2, not_yet_due: 0, without_sla: 0, on_time_share: 0.6 },
  });
  assert.deepEqual(category('lampadaire').sla, { on_time: 1, late: 0, not_yet_due: 1, without_sla: 0, on_time_share: 1 });
  assert.deepEqual(category('lampadaire').time_to_close, { closed: 1, median_hours: 30, p90_hours: 30 });
  assert.deepEqual(category('suggestion').sla, { on_time: 0, late: 0, not_yet_due: 0, without_sla: 1, on_time_share: null });
  assert.deepEqual(category('tag-graffiti'), {
    service_code: 'tag-graffiti', service_name: category('tag-graffiti').service_name, total: 2, open: 0,
    time_to_close: { closed: 0, median_hours: null, p90_hours: null }, sla: { on_time: 0, late: 0, not_yet_due: 0, without_sla: 0, on_time_share: null },
  }, 'no closed request: no time to close, no share');

  const department = (name: string | null) => s.by_department.find((d: { name: string | null }) => d.name === name);
  assert.deepEqual([department('Voirie').total, department('Voirie').time_to_close, department('Voirie').sla.on_time_share],
    [3, { closed: 3, median_hours: 120, p90_hours: 184 }, 0.667]);
  assert.deepEqual([department('Éclairage').total, department('Éclairage').open, department('Éclairage').sla.on_time_share], [2, 1, 1]);
  assert.equal(department(null).department_id, null);
  assert.equal(department(null).total, 5, 'D G H I M have no department');

  assert.deepEqual(s.weeks, [
    { week: '2026-W23', first_day: '2026-06-01', last_day: '2026-06-07', filed: 6, closed: 6, partial: false }, // A B C G H I; L A H I G B
    { week: '2026-W24', first_day: '2026-06-08', last_day: '2026-06-14', filed: 2, closed: 2, partial: false }, // M D; M C
    { week: '2026-W25', first_day: '2026-06-15', last_day: '2026-06-21', filed: 0, closed: 0, partial: false },
    { week: '2026-W26', first_day: '2026-06-22', last_day: '2026-06-28', filed: 1, closed: 0, partial: false }, // E, on Sunday at 23:30
    { week: '2026-W27', first_day: '2026-06-29', last_day: '2026-07-05', filed: 1, closed: 1, partial: true }, // F; F (K is July's)
  ]);

  assert.deepEqual(s.places, {
    streets: [{ street: 'Rue Nationale', count: 4 }, { street: 'Place Plumereau', count: 2 }, { street: 'Rue Colbert', count: 2 }],
    without_address: 1, elsewhere: 1,
  });
  assert.doesNotMatch(JSON.stringify(s), /Martin|Lilas/, 'a place named once, perhaps after someone, is not shown');
  assert.equal(s.heat.reduce((n: number, h: { count: number }) => n + h.count, 0), 6, 'the six requests with coordinates');

  const csv = await t.app.request(`http://localhost/admin/api/j/${TOWN}/stats.csv?from=2026-06-01&to=2026-06-30`, { headers: { Cookie: reader.cookie } });
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines[0], 'date,service_code,channel,status,department,requests,on_time,late');
  assert.equal(lines[1], '2026-06-01,nid-de-poule,api,closed,Voirie,1,1,0', 'A, filed on 1 June in Paris (31 May in UTC)');
  assert.ok(lines.includes('2026-06-10,nid-de-poule,api,open,,1,0,1'), lines.join('\n'));
  assert.ok(lines.includes('2026-06-28,lampadaire,api,open,Éclairage,1,0,0'), lines.join('\n'));
  assert.ok(lines.includes('2026-06-04,tag-graffiti,api,closed,,2,0,0'), 'H and I, filed the same day, share a row');
  assert.equal(lines.length, 10, 'ten requests on nine rows, and the header');
});

test('a period given as instants counts what falls within them; the default is the last 30 days; a bad period is refused', async () => {
  const t = await createTestApp({ extraJurisdictions: [TOWN] });
  const { reader } = await june(t);
  const get = async (query: string) => admin(t, reader, 'GET', `j/${TOWN}/stats${query}`);
  const utc = (await get('?from=2026-06-01T00:00:00Z&to=2026-06-30T23:59:59Z')).body;
  assert.equal(utc.total, 10, 'without A (31 May 22:30 in UTC), with K (30 June 22:30 in UTC)');
  assert.deepEqual(utc.period.first_day, '2026-06-01');
  const last30 = (await get('')).body;
  assert.deepEqual([last30.period.first_day, last30.period.last_day], ['2026-06-02', '2026-07-01']);
  assert.equal(last30.total, 10, 'from 2 June to now: not A, but K of 1 July');
  for (const query of ['?from=2026-06-30&to=2026-06-01', '?from=2024-01-01&to=2026-06-01', '?from=2026-02-30', '?to=yesterday', '?from=2026-06-01T10:00:00']) {
    const { status, body } = await get(query);
    assert.equal(status, 400, query);
    assert.equal(body.error.code, 400);
  }
});

test('a request is closed from its first closing status after its last open one, whatever closed it', async () => {
  const t = await createTestApp();
  const agent = await staffWith(t, 'agent');
  const closedAt = async (id: string) => (await t.engine.one<{ closed_at: number | null }>('SELECT closed_at FROM requests WHERE id = ?', [Number(id)]))!.closed_at;
  const id = await file(t, pothole(t));
  const seconds = () => Math.floor(t.clock.ms / 1000);
  for (const status of DETAILED_STATUSES) {
    t.clock.ms += HOUR;
    const before = await closedAt(id);
    assert.equal((await admin(t, agent, 'POST', `${J}/requests/${id}/status`, { detailed_status: status })).status, 200);
    const expected = coreStatus(status) === 'open' ? null : before ?? seconds();
    assert.equal(await closedAt(id), expected, `after ${status}`);
  }
  const other = await file(t, pothole(t, { lat: '47.3905' }));
  t.clock.ms += HOUR;
  await admin(t, agent, 'POST', `${J}/requests/${other}/merge`, { into: id });
  assert.equal(await closedAt(other), seconds(), 'merged: closed as a duplicate');
});

// Query plans are SQLite facts: the statements the store sends (through the engine) are explained on `t.db`.
// Skipped on PostgreSQL: its planner chooses by cost, so on the demo city's few rows a sequential scan is
// its right plan, and `EXPLAIN` there speaks another vocabulary. PostgreSQL's 013 creates the same two
// period indexes as SQLite's.
test("every statistics query reads through an index, never the whole store", { skip: onPostgres && 'query plans are SQLite facts (PostgreSQL plans by cost: small tables are scanned)' }, async () => {
  const t = await createTestApp();
  const statements = new Set<string>();
  const watched = new Proxy(t.engine, {
    get: (engine, name) => (name === 'query' || name === 'one' || name === 'values'
      ? (sql: string, params?: Params) => (statements.add(sql), (engine[name] as (sql: string, params?: Params) => Promise<unknown>)(sql, params))
      : Reflect.get(engine, name, engine)),
  }) as Queryable;
  const stats = createStatsStore(watched, 'Europe/Paris');
  const now = Math.floor(t.clock.ms / 1000);
  const w = { jurisdictionId: 'ville.example', from: now - 30 * 86_400, to: now, now };
  await stats.summary(w);
  await stats.table(w);
  assert.ok(statements.size >= 8);
  for (const sql of statements) {
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name!, name === 'spans' ? '[[0, 1]]' : name === 'jurisdiction' ? 'ville.example' : 0]));
    const explain = t.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
    const plan = sql.includes('@') ? explain.all(named) : explain.all('ville.example');
    const details = plan.map((p) => p.detail).join('; ');
    assert.doesNotMatch(details, /SCAN r\b|SCAN requests/, `${sql}\n→ ${details}`);
  }
});

test('the retention purge erases personal data a year after closure, keeps the requests and the rest, and says so in the audit log', async () => {
  const t = await createTestApp();
  const retention = createRetention(t.engine, 12);
  const now = () => Math.floor(t.clock.ms / 1000);
  // The demo city's requests closed in the last weeks fall due within the year: erased first, out of the way.
  const demo = await retention.purge(now() + 360 * 86_400);
  const old = await file(t, pothole(t, { email: 'ancien@exemple.fr', first_name: 'Ana', phone: '0600000000' }));
  const open = await file(t, pothole(t, { email: 'encore@exemple.fr', lat: '47.3901' }));
  await t.post(`requests/${old}/followers.json`, { api_key: t.key, device_id: 'd', email: 'voisin@exemple.fr', email_updates: 'true' });
  await close(t, old, HOUR);
  assert.deepEqual(await retention.purge(now() + 300 * 86_400), { reporters: 0, followers: 0, edits: 0, months: 12 }, 'not yet');
  const erased = await retention.purge(now() + 361 * 86_400);
  assert.deepEqual(erased, { reporters: 1, followers: 1, edits: 0, months: 12 });
  const payloads = await createBusPayloads(t.engine, 'http://localhost/media/').requests([Number(old), Number(open)]);
  assert.equal(payloads.get(Number(old))!.reporter, null, 'the CRM no longer gets it either');
  assert.equal(payloads.get(Number(open))!.reporter!.email, 'encore@exemple.fr', 'an open request keeps its reporter');
  assert.equal((await t.engine.one<{ email: string | null }>('SELECT email FROM followers WHERE request_id = ?', [Number(old)]))!.email, null);
  assert.equal((await t.get(`requests/${old}.json`)).status, 200, 'the request stays');
  const logged = (await t.engine.query<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'retention.purge' ORDER BY id")).map((r) => r.detail);
  assert.deepEqual(logged.map((d) => JSON.parse(String(d))), [demo, erased].filter((e) => e.reporters + e.followers > 0));
});
