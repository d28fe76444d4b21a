/**
 * Moving a town of 100,000 requests (issue 16): a SQLite store filled like the bench's, with what a town
 * accumulates besides (followers, status changes and notes, staff with roles, assignments, a merge, an
 * integration's update, a bus app with messages, a response template), is copied to PostgreSQL with
 * `copyStore`; the real app is built on each engine with the same configuration and clock, and every
 * public and admin read in READS must answer the same status, headers and bytes on both.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { copyStore } from '../../server/db/copy.ts';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { createLogger } from '../../server/logger.ts';
import { fillStore } from '../bench/fill-store.ts';
import { admin, createStaff, login, type StaffSession } from '../helpers/admin.ts';
import { BASE, createKey, form, testConfig, type TestApp } from '../helpers/app.ts';
import { ack, busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { newPostgresStore } from '../helpers/test-engine.ts';
import { tempDir } from '../helpers/server-process.ts';

const REQUESTS = 100_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const J = 'j/ville.example';
const G = BASE.replace('http://localhost', '');
const JUR = 'jurisdiction_id=ville.example';
/** Headers that differ between two runs of the same answer: when it was sent, and the id each request is given. */
const IGNORED_HEADERS = new Set(['date', 'x-request-id']);

type Who = 'public' | 'administrator' | 'agent' | 'bus';
/** One read: a path below the host, who asks, and extra request headers. */
interface Read {
  path: string;
  as?: Who;
  headers?: Record<string, string>;
  /** What the answer measures rather than stores (a duration), blanked in both bodies before comparing. */
  mask?: RegExp;
}

/** The app on one store, as the tests' helpers expect it. */
function appOn(engine: Engine, clock: { ms: number }, updatesKey: string, dbFile: string): TestApp {
  const app = createApp({ config: testConfig({ dbFile }), engine, logger: createLogger('silent'), now: () => clock.ms });
  return {
    app, engine, key: DEMO_API_KEY, updatesKey, clock,
    get db(): never {
      throw new Error('no better-sqlite3 handle here');
    },
    get: async (path, headers = {}) => app.request(BASE + path, { headers }),
    post: async (path, body, headers = {}) =>
      app.request(BASE + path, { method: 'POST', body: typeof body === 'string' ? body : form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }),
  };
}

/** The reads compared, one line each: everything a resident, a site, an integration or the back office reads. */
function reads(v: { ids: number[]; merged: number; filed: string[]; tokens: string[]; tracking: string; agentId: number; updatesKey: string }): Read[] {
  const [a, b, c] = v.ids;
  const box = 'bbox=0.67,47.385,0.70,47.40';
  const list: Read[] = [
    // GeoReport: services in both languages and formats.
    ...['json', 'xml'].flatMap((f) => ['fr', 'en'].map((l) => ({ path: `${G}services.${f}?${JUR}&locale=${l}` }))),
    { path: `${G}services/nid-de-poule.json?${JUR}&locale=fr` },
    { path: `${G}services/nid-de-poule.xml?${JUR}&locale=en` },
    { path: `${G}services/tag-graffiti.json?${JUR}` },
    { path: `${G}discovery.json` },
    // GeoReport: requests with every filter, both formats.
    ...['json', 'xml'].flatMap((f) => [
      `requests.${f}?${JUR}`,
      `requests.${f}?${JUR}&status=open`,
      `requests.${f}?${JUR}&status=closed&service_code=nid-de-poule`,
      `requests.${f}?${JUR}&service_code=nid-de-poule,tag-graffiti&start_date=2026-04-01T00:00:00Z&end_date=2026-04-15T00:00:00Z`,
      `requests.${f}?${JUR}&${box}`,
      `requests.${f}?${JUR}&lat=47.3941&long=0.6848&radius=300`,
    ].map((p) => ({ path: G + p }))),
    ...[
      `${box}&status=open&page=2&page_size=50`,
      `page=3&page_size=100`,
      `page=200&page_size=500`,
      `start_date=2026-03-10T00:00:00Z&end_date=2026-03-20T00:00:00Z&page=1&page_size=200`,
      `updated_after=2026-05-31T00:00:00Z`,
      `q=ecole`, `q=l%E2%80%99%C3%A9cole`, `q=%C3%89COLE%20v%C3%A9los`, `q=pi%C3%A9tons&status=open&page=2&page_size=20`,
      `q=nid-de-poule%20Nationale`, `search=dangereux%20soir&${box}`,
      `service_request_id=${a},${b},${c},${v.merged},${v.filed.join(',')}`,
      `service_request_id=${v.ids.join(',')}&locale=en`,
      `agency_responsible=Direction%20de%20la%20voirie&page=4&page_size=30`,
    ].map((q) => ({ path: `${G}requests.json?${JUR}&${q}` })),
    ...[a, b, c, ...v.filed].flatMap((id) => [{ path: `${G}requests/${id}.json?${JUR}` }, { path: `${G}requests/${id}.xml?${JUR}&locale=en` }]),
    { path: `${G}requests/${v.filed[0]}/tracking.json?${JUR}&tracking_token=${v.tracking}` },
    { path: `${G}requests/${v.filed[0]}/tracking.xml?${JUR}&tracking_token=${v.tracking}&locale=en` },
    { path: `${G}duplicates.json?${JUR}&service_code=nid-de-poule&lat=47.3902&long=0.6802` },
    ...v.tokens.flatMap((t) => [{ path: `${G}tokens/${t}.json?${JUR}` }, { path: `${G}tokens/${t}.xml?${JUR}` }]),
    { path: `${G}servicerequestupdates.json?${JUR}&api_key=${v.updatesKey}&start_date=2026-05-30T00:00:00Z` },
    // The public map at several zooms (clusters, then markers), with filters.
    ...[10, 12, 13, 14, 15, 16, 17, 19].map((z) => ({ path: `${G}map.json?${JUR}&bbox=0.65,47.37,0.72,47.42&zoom=${z}` })),
    { path: `${G}map.json?${JUR}&bbox=0.684,47.393,0.686,47.395&zoom=18&status=open` },
    { path: `${G}map.json?${JUR}&lat=47.3941&long=0.6848&radius=500&zoom=15&service_code=nid-de-poule` },
    { path: `${G}map.xml?${JUR}&bbox=0.67,47.385,0.70,47.40&zoom=13&q=v%C3%A9los` },
    // Open data.
    { path: `/export/requests.csv?${JUR}` },
    { path: `/export/requests.geojson?${JUR}&${box}&status=closed` },
    { path: `/export/requests.csv?${JUR}&service_code=nid-de-poule&start_date=2026-05-01T00:00:00Z` },
    { path: `/feeds/requests.atom?${JUR}` },
    { path: `/feeds/requests.atom?${JUR}&lat=47.3941&long=0.6848&radius=400&locale=en` },
    // The request page and the widget's configuration.
    ...[a, c, v.merged, v.filed[0]].map((id) => ({ path: `/requests/${id}` })),
    { path: `/requests/${v.filed[0]}?lang=en` },
    { path: `${G}widget-config.json?${JUR}&api_key=${DEMO_API_KEY}&locale=fr` },
    { path: `${G}widget-config.xml?${JUR}&locale=en` },
    // The back office: inbox with sorts, filters, search, queues; a request in full; stats; settings.
    { path: '/admin/api/session', as: 'administrator' },
    ...[
      '', 'sort=number', 'sort=-number', 'sort=category', 'sort=place', 'sort=-age', 'sort=status', 'sort=sla', 'sort=assignee', 'sort=channel&page=3',
      'status=open&per_page=100&page=40', 'status=closed&service_code=nid-de-poule&sort=-age', 'sla=overdue', 'sla=due_today',
      'assignee=none&status=open&page=2', `assignee=${v.agentId}`, 'visibility=hidden', 'q=%C3%A9cole%20dangereux', 'q=Nationale',
      `q=${a}`, 'per_page=500&page=150',
    ].map((q) => ({ path: `/admin/api/${J}/requests?${q}`, as: 'administrator' as const })),
    { path: `/admin/api/${J}/requests?assignee=me`, as: 'agent' },
    { path: `/admin/api/${J}/queues`, as: 'agent' },
    { path: `/admin/api/${J}/queues`, as: 'administrator' },
    { path: `/admin/api/${J}/moderation`, as: 'agent' },
    { path: `/admin/api/${J}/assignees`, as: 'administrator' },
    ...[a, b, c, ...v.filed].flatMap((id) => [
      { path: `/admin/api/${J}/requests/${id}`, as: 'administrator' as const },
      { path: `/admin/api/${J}/requests/${id}/templates`, as: 'agent' as const },
    ]),
    { path: `/admin/api/${J}/stats`, as: 'administrator' },
    { path: `/admin/api/${J}/stats?from=2026-03-01&to=2026-05-31`, as: 'administrator' },
    { path: `/admin/api/${J}/stats.csv`, as: 'administrator' },
    { path: `/admin/api/${J}/stats.csv?from=2026-03-15&to=2026-06-01`, as: 'administrator' },
    { path: `/admin/api/${J}/templates`, as: 'administrator' },
    { path: `/admin/api/${J}/catalogue`, as: 'administrator' },
    { path: `/admin/api/${J}/routing`, as: 'administrator' },
    { path: `/admin/api/${J}/intake`, as: 'agent' },
    { path: `/admin/api/${J}/audit`, as: 'administrator' },
    { path: `/admin/api/${J}/audit?action=request.status`, as: 'administrator' },
    { path: `/admin/api/${J}/keys`, as: 'administrator' },
    { path: `/admin/api/${J}/bus`, as: 'administrator' },
    { path: `/admin/api/${J}/staff`, as: 'administrator' },
    // The bus, as its app reads it (leasing is a write: left out).
    { path: '/bus/v1/health', as: 'bus' },
    { path: '/bus/v1/history?since=2026-05-01T00:00:00Z', as: 'bus' },
    { path: '/bus/v1/dead-letters', as: 'bus' },
    { path: '/bus/v1/audit', as: 'bus', mask: /"duration_ms":[0-9.e+-]+/g },
  ];
  return list;
}

/** Where two byte strings first differ, with a little of each around it. */
function firstDifference(x: Buffer, y: Buffer): string {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const around = (b: Buffer) => JSON.stringify(b.subarray(Math.max(0, i - 40), i + 80).toString('utf8'));
  return `at byte ${i} (lengths ${x.length} / ${y.length}):\n      SQLite:     ${around(x)}\n      PostgreSQL: ${around(y)}`;
}

describe('a 100,000-request town copied to PostgreSQL', { timeout: 400_000 }, () => {
  // The private cluster is the test file's own (test-engine.ts), stopped when the file ends.
  const opened: Engine[] = [];
  const dir = tempDir('georeport-copy-town-');
  after(async () => {
    await Promise.all(opened.map((e) => e.close()));
    dir.cleanup();
  });

  test('answers every public and admin read with the same bytes on both engines', async (ctx) => {
    const timings: string[] = [];
    let mark = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      timings.push(`${what} ${((now - mark) / 1000).toFixed(1)} s`);
      mark = now;
    };

    // The town: the bench's fill, then a bit of everything else through the real app.
    const dbFile = join(dir.dir, 'town.db');
    const filled = await fillStore(dbFile, REQUESTS, NOW, { writer: 'batch' });
    assert.ok(filled.requests >= REQUESTS);
    const sqlite = await openEngine({ dbFile });
    opened.push(sqlite);
    const clock = { ms: NOW };
    const updatesKey = await createKey(sqlite, null, null, ['report', 'updates']);
    const t = appOn(sqlite, clock, updatesKey, dbFile);
    const grc = await busApp(t, { name: 'GRC' });
    const agentId = await createStaff(t, 'agent@ville.example', { 'ville.example': 'agent' });
    await createStaff(t, 'chef@ville.example', { 'ville.example': 'administrator' });
    const boss = await login(t, 'chef@ville.example');
    const agent = await login(t, 'agent@ville.example');
    lap('fill');

    const ids = [filled.firstId + 41, filled.firstId + 4_203, filled.lastId - 7, filled.lastId - 2];
    const first = await t.post('requests.json', pothole(t, { email: 'ana@exemple.fr', first_name: 'Ana', 'attribute[taille]': 'grand', description: 'Nid-de-poule rue Nationale devant l’école', extensions: 'true' }));
    assert.equal(first.status, 200, await first.clone().text());
    const [mine] = (await first.json()) as { service_request_id: string; extended_attributes: { tracking_token: string } }[];
    const filed = [
      mine!.service_request_id,
      await file(t, pothole(t, { description: 'Le même trou, signalé avant', lat: '47.3901', long: '0.6801' })),
      await file(t, pothole(t, { description: 'Trou profond près des vélos', lat: '47.3902', long: '0.6802', address_string: '12 rue Nationale' })),
    ];
    // Two bulky-item pickups (a batch service): one accepted since, one still queued, each known by its token.
    const tokens: string[] = [];
    for (const address of ['4 rue Haute', '9 quai Paul Bert']) {
      const res = await t.post('requests.json', { api_key: t.key, service_code: 'encombrants', address_string: address, 'attribute[objets]': 'une armoire' });
      assert.equal(res.status, 200, await res.clone().text());
      tokens.push(((await res.json()) as { token: string }[])[0]!.token);
      if (tokens.length === 1) await createRequestsStore(sqlite).acceptQueued(Math.floor(clock.ms / 1000));
    }
    for (const [i, device] of ['device-a', 'device-b', 'device-c'].entries()) {
      const res = await t.post(`requests/${i ? ids[0] : filed[0]}/followers.json`, { api_key: t.key, device_id: device, locale: 'fr' });
      assert.equal(res.status, 200, await res.text());
    }
    const ok = async (session: StaffSession, method: string, path: string, body: unknown) => {
      const r = await admin(t, session, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    await ok(boss, 'PUT', `${J}/templates`, { service_code: 'nid-de-poule', detailed_status: 'fixed', locale: 'fr', text: 'Le trou est rebouché. Merci !' });
    for (const [i, id] of ids.entries()) {
      await ok(agent, 'POST', `${J}/requests/${id}/status`, { detailed_status: i % 2 ? 'in_progress' : 'fixed', note: `Équipe n°${i} passée` });
      await ok(agent, 'POST', `${J}/requests/${id}/notes`, { note: 'Voir avec la régie', public: false });
      await ok(boss, 'PUT', `${J}/requests/${id}/assignee`, { staff_id: i % 2 ? agentId : boss.id });
    }
    await ok(agent, 'POST', `${J}/requests/${ids[2]! - 1}/reject`, { reason: 'Signalement en double' });
    await ok(agent, 'PUT', `${J}/requests/${filed[0]}/assignee`, { staff_id: agentId });
    await ok(agent, 'POST', `${J}/requests/${filed[1]}/merge`, { into: Number(filed[2]) });
    const update = await t.post('servicerequestupdates.json', {
      api_key: updatesKey, updated_datetime: '2026-06-01T12:00:00Z', service_request_id: filed[2]!, update_id: 'crm-1', status: 'CLOSED', description: 'Rebouché',
    });
    assert.equal(update.status, 200, await update.text());
    const messages = await lease(t, grc.secret);
    assert.ok(messages.length > 0, 'the bus app has messages');
    await ack(t, grc.secret, messages.slice(0, 2).map((m) => m.id));
    clock.ms += 3_600_000;
    lap('town work');

    const pg = await openEngine({ databaseUrl: await newPostgresStore(), dbFile: '' });
    opened.push(pg);
    const report = await copyStore(sqlite, pg);
    assert.equal(report.tables.find((x) => x.name === 'requests')!.rows, (await sqlite.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n);
    lap('copy');

    const u = appOn(pg, clock, updatesKey, dbFile);
    const list = reads({ ids, merged: Number(filed[1]), filed, tokens, tracking: mine!.extended_attributes.tracking_token, agentId, updatesKey });
    const credentials: Record<Who, Record<string, string>> = {
      public: {},
      administrator: { Cookie: boss.cookie },
      agent: { Cookie: agent.cookie },
      bus: { Authorization: `Bearer ${grc.secret}` },
    };
    const mismatches: string[] = [];
    for (const read of list) {
      const { path } = read;
      const headers = { ...credentials[read.as ?? 'public'], ...read.headers };
      // Each read on SQLite then on PostgreSQL: what a read writes (a session's last use, say) happens on both alike.
      const [x, y] = [await t.app.request(`http://localhost${path}`, { headers }), await u.app.request(`http://localhost${path}`, { headers })];
      const body = async (r: Response) => {
        const bytes = Buffer.from(await r.arrayBuffer());
        return read.mask ? Buffer.from(bytes.toString('utf8').replace(read.mask, '…')) : bytes;
      };
      const [bx, by] = [await body(x), await body(y)];
      const problems: string[] = [];
      if (x.status !== y.status) problems.push(`status ${x.status} / ${y.status}`);
      for (const name of new Set([...x.headers.keys(), ...y.headers.keys()])) {
        if (!IGNORED_HEADERS.has(name) && x.headers.get(name) !== y.headers.get(name)) problems.push(`header ${name}: ${x.headers.get(name)} / ${y.headers.get(name)}`);
      }
      if (!bx.equals(by)) problems.push(`body ${firstDifference(bx, by)}`);
      if (x.status >= 400 && !problems.length) problems.push(`both answered ${x.status}: ${bx.toString('utf8').slice(0, 200)}`);
      if (problems.length) mismatches.push(`${path} (${read.as ?? 'public'}):\n    ${problems.join('\n    ')}`);
    }
    lap(`${list.length} reads`);
    ctx.diagnostic(timings.join(', '));
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${list.length} reads differ or fail:\n${mismatches.join('\n')}`);
    assert.ok(list.length > 100, 'the reads are all there');
  });
});
