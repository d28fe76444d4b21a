import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Role } from '../../server/admin/staff.store.ts';
import { createApiClientsStore, type Scope } from '../../server/keys/api-clients.store.ts';
import { createKey, createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, createStaff, staffWith, type StaffSession } from '../helpers/admin.ts';
import { bus, busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

/**
 * Generated authorisation matrices: every route of the back office, the bus and the GeoReport writes, called
 * by every kind of caller, each cell checked against what it may do. A refused cell changes nothing; an
 * allowed one is never refused for who is calling. Each table must name every route the app has, so a new
 * route cannot be added without deciding who may call it.
 */

/** Hono's route pattern without its regular expressions: `/j/:jurisdiction{[a-z0-9.-]+}/keys` → `/j/:jurisdiction/keys`. */
const plain = (path: string) => path.replace(/(:\w+)\{(?:[^{}]|\{[^{}]*\})*\}/g, '$1');
const routesOf = (t: TestApp, prefix: string) =>
  [...new Set(t.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith(prefix) && !r.path.endsWith('*')).map((r) => `${r.method} ${plain(r.path).slice(prefix.length)}`))].sort();

/** Everything a refused call might have changed, as one string. */
async function snapshot(t: TestApp): Promise<string> {
  const tables = ['jurisdictions', 'services', 'service_attributes', 'service_groups', 'requests', 'request_events', 'reporters', 'media', 'followers',
    'api_clients', 'bus_apps', 'bus_messages', 'staff_users', 'staff_roles', 'departments', 'routing_rules', 'response_templates'];
  const rows = await Promise.all(tables.map((name) => t.engine.query(`SELECT * FROM ${name}`)));
  return rows.map((all) => all.map((row) => JSON.stringify(row)).sort().join('\n')).join('\n\n');
}

const ROLE_ORDER: Role[] = ['readonly', 'agent', 'administrator'];
const allows = (has: Role, needs: Role) => ROLE_ORDER.indexOf(has) >= ROLE_ORDER.indexOf(needs);

/** Each back-office route about a town: the role it needs and a body that would do something. */
const ADMIN: Record<string, { needs: Role; body?: unknown }> = {
  'GET /j/:jurisdiction/requests': { needs: 'readonly' },
  'GET /j/:jurisdiction/requests/:id': { needs: 'readonly' },
  'GET /j/:jurisdiction/requests/:id/templates': { needs: 'readonly' },
  'POST /j/:jurisdiction/requests/:id/status': { needs: 'agent', body: { detailed_status: 'fixed', note: 'done' } },
  'POST /j/:jurisdiction/requests/:id/notes': { needs: 'agent', body: { note: 'x', public: true } },
  'GET /j/:jurisdiction/moderation': { needs: 'agent' },
  'POST /j/:jurisdiction/requests/:id/publish': { needs: 'agent' },
  'POST /j/:jurisdiction/requests/:id/reject': { needs: 'agent', body: { reason: 'x' } },
  'POST /j/:jurisdiction/requests/:id/edit': { needs: 'agent', body: { description: 'edited' } },
  'POST /j/:jurisdiction/requests/:id/media/:media/hide': { needs: 'agent' },
  'POST /j/:jurisdiction/requests/:id/merge': { needs: 'agent', body: { into: 1 } },
  'POST /j/:jurisdiction/requests/:id/assign': { needs: 'agent', body: { department_id: null } },
  'POST /j/:jurisdiction/intake': { needs: 'agent', body: { service_code: 'tag-graffiti', address_string: '1 rue Haute' } },
  // The inbox (issue 15): queues, who may be given requests, assignment to a person, bulk actions on demo request 1.
  'GET /j/:jurisdiction/queues': { needs: 'readonly' },
  'GET /j/:jurisdiction/assignees': { needs: 'readonly' },
  'PUT /j/:jurisdiction/requests/:id/assignee': { needs: 'agent', body: { staff_id: null } },
  'POST /j/:jurisdiction/requests/bulk': { needs: 'agent', body: { ids: [1], action: 'status', detailed_status: 'in_progress', note: 'x' } },
  'GET /j/:jurisdiction/intake': { needs: 'agent' },
  'GET /j/:jurisdiction/places': { needs: 'agent' },
  'GET /j/:jurisdiction/keys': { needs: 'administrator' },
  'POST /j/:jurisdiction/keys': { needs: 'administrator', body: { name: 'x', scopes: ['report', 'updates'] } },
  'POST /j/:jurisdiction/keys/:id/scopes': { needs: 'administrator', body: { scopes: ['report', 'updates'] } },
  'POST /j/:jurisdiction/keys/:id/revoke': { needs: 'administrator' },
  'GET /j/:jurisdiction/bus': { needs: 'administrator' },
  'POST /j/:jurisdiction/bus': { needs: 'administrator', body: { name: 'x' } },
  'POST /j/:jurisdiction/bus/:id/revoke': { needs: 'administrator' },
  'GET /j/:jurisdiction/staff': { needs: 'administrator' },
  'POST /j/:jurisdiction/staff': { needs: 'administrator', body: { email: 'new@ville.example', name: 'New', role: 'administrator', password: 'a long enough password' } },
  'POST /j/:jurisdiction/staff/:id/remove': { needs: 'administrator' },
  'GET /j/:jurisdiction/audit': { needs: 'administrator' },
  'GET /j/:jurisdiction/catalogue': { needs: 'readonly' },
  'PUT /j/:jurisdiction/catalogue': { needs: 'administrator', body: {} },
  'PUT /j/:jurisdiction/services/:code': { needs: 'administrator', body: { code: 'tag-graffiti' } },
  'PUT /j/:jurisdiction/groups/:code': { needs: 'administrator', body: { code: 'voirie', name: 'Roads' } },
  'POST /j/:jurisdiction/services/order': { needs: 'administrator', body: { codes: ['tag-graffiti'] } },
  'GET /j/:jurisdiction/templates': { needs: 'readonly' },
  'PUT /j/:jurisdiction/templates': { needs: 'administrator', body: { service_code: 'tag-graffiti', detailed_status: 'fixed', locale: 'fr', text: 'x' } },
  'GET /j/:jurisdiction/stats': { needs: 'readonly' },
  'GET /j/:jurisdiction/stats.csv': { needs: 'readonly' },
  'GET /j/:jurisdiction/routing': { needs: 'readonly' },
  'PUT /j/:jurisdiction/area': { needs: 'administrator', body: { area: null } },
  'PUT /j/:jurisdiction/departments': { needs: 'administrator', body: { departments: [] } },
  'PUT /j/:jurisdiction/routing': { needs: 'administrator', body: { rules: [] } },
};

/** Where each kind of caller stands: their town, another real town, a town that does not exist, a prototype's name. */
const PLACES = [
  { kind: 'own', id: 'ville.example' },
  { kind: 'other', id: 'autre.example' },
  { kind: 'unknown', id: 'nowhere.example' },
  ...['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf'].map((id) => ({ kind: 'prototype', id })),
] as const;

describe('authorisation matrix', () => {
  test('the back office: every town route × every role × own, other, unknown and prototype-named towns', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    assert.deepEqual(routesOf(t, '/admin/api').filter((r) => r.includes(':jurisdiction')), Object.keys(ADMIN).sort(), 'the table names every town route');
    const request = await file(t, pothole(t, { media_url: 'https://img.example/1.jpg', jurisdiction_id: 'ville.example' }));
    const media = String((await t.engine.one<{ id: number }>('SELECT id FROM media WHERE request_id = ?', [request]))!.id);
    const key = (await createApiClientsStore(t.engine).create({ name: 'target', jurisdictionId: 'ville.example', rateLimitPerMinute: null, scopes: ['report'], now: 0, actor: 'test' })).client.id;
    const app = (await busApp(t)).app.id;
    const staffId = await createStaff(t, 'target@ville.example', { 'ville.example': 'readonly' });
    const ids: Record<string, string> = { id: request, media, code: 'tag-graffiti' };
    const sessions = new Map<Role | 'none', StaffSession | null>([['none', null]]);
    for (const role of ROLE_ORDER) sessions.set(role, await staffWith(t, role));

    let cells = 0;
    for (const [route, { needs, body }] of Object.entries(ADMIN)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const targetId = pattern.includes('/keys/') ? String(key) : pattern.includes('/bus/') ? String(app) : pattern.includes('/staff/') ? String(staffId) : ids.id!;
      for (const place of PLACES) {
        const path = pattern.slice(1).replace(':jurisdiction', encodeURIComponent(place.id)).replace(':id', targetId).replace(':media', ids.media!).replace(':code', ids.code!);
        for (const [who, session] of sessions) {
          const label = `${who} ${method} ${path}`;
          const before = await snapshot(t);
          const { status, body: answer } = await admin(t, session, method, path, body);
          cells++;
          const allowed = who !== 'none' && place.kind === 'own' && allows(who, needs);
          if (allowed) {
            assert.ok(![401, 403].includes(status), `${label}: allowed, answered ${status} ${JSON.stringify(answer)}`);
            assert.doesNotMatch(JSON.stringify(answer), /no jurisdiction/, label);
            continue;
          }
          const expected = who === 'none' ? 401 : place.kind === 'own' || place.kind === 'other' ? 403 : 404;
          assert.equal(status, expected, `${label}: ${JSON.stringify(answer)}`);
          assert.equal(await snapshot(t), before, `${label}: refused, nothing changed`);
        }
      }
    }
    assert.equal(cells, Object.keys(ADMIN).length * PLACES.length * 4);
  });

  test('the bus: every route × an app scoped to some services, an unscoped one, another town’s, a revoked one and none', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    assert.deepEqual(routesOf(t, '/bus/v1'), [
      'GET /audit', 'GET /dead-letters', 'GET /health', 'GET /history', 'GET /messages',
      'POST /ack', 'POST /nack', 'POST /replay', 'POST /requests/:id/updates', 'PUT /catalogue',
    ], 'every bus route is in this test');
    const scoped = await busApp(t, { services: ['tag-graffiti'] });
    const unscoped = await busApp(t, { name: 'all' });
    const elsewhere = await busApp(t, { name: 'other town', jurisdictionId: 'autre.example' });
    const revoked = await busApp(t, { name: 'gone' });
    await t.engine.run('UPDATE bus_apps SET revoked_at = 1 WHERE id = ?', [revoked.app.id]);
    const pothole1 = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    const graffiti = await file(t, { api_key: t.key, jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', lat: '47.39', long: '0.68' });

    for (const secret of [null, 'grb_not-a-secret', revoked.secret]) {
      for (const [method, path] of [['GET', 'messages'], ['POST', 'ack'], ['POST', 'nack'], ['GET', 'dead-letters'], ['POST', 'replay'], ['GET', 'history'], ['GET', 'health'], ['GET', 'audit'], ['POST', `requests/${graffiti}/updates`], ['PUT', 'catalogue']] as const) {
        const before = await snapshot(t);
        assert.equal((await bus(t, secret, path, { method, body: method === 'GET' ? undefined : { ids: ['1'], id: '1', update_id: 'x', detailed_status: 'fixed', services: [] } })).status, 401, `${secret} ${method} ${path}`);
        assert.equal(await snapshot(t), before);
      }
    }

    const served = (messages: { request: Record<string, unknown> }[]) => messages.map((m) => `${m.request.service_code}`);
    const scopedMessages = await lease(t, scoped.secret);
    assert.deepEqual(served(scopedMessages), ['tag-graffiti'], 'a scoped app is sent its services only');
    const unscopedMessages = await lease(t, unscoped.secret);
    assert.deepEqual(served(unscopedMessages).sort(), ['nid-de-poule', 'tag-graffiti']);
    assert.deepEqual(await lease(t, elsewhere.secret), [], 'another town’s app is sent nothing of this one');

    const theirs = unscopedMessages.map((m) => m.id);
    for (const caller of [scoped, elsewhere]) {
      assert.deepEqual((await bus(t, caller.secret, 'ack', { body: { ids: theirs } })).body, { acked: [], unknown: theirs }, 'another app’s messages are unknown to ack');
      assert.equal((await bus(t, caller.secret, 'nack', { body: { id: theirs[0] } })).status, 404);
      assert.deepEqual((await bus(t, caller.secret, 'replay', { body: { ids: theirs } })).body, { replayed: [] });
      const history = (await bus(t, caller.secret, 'history')).body.messages as { request: { service_code: string } | null }[];
      assert.ok(history.every((m) => m.request === null || (caller === scoped && m.request.service_code === 'tag-graffiti')), 'history: its own messages only');
      const audit = (await bus(t, caller.secret, 'audit')).body.entries as { app_id: number }[];
      assert.ok(audit.every((e) => e.app_id === caller.app.id), 'audit: its own calls only');
      assert.equal((await bus(t, caller.secret, 'health')).body.app.id, String(caller.app.id));
      assert.deepEqual((await bus(t, caller.secret, 'dead-letters')).body.messages, []);
    }

    const update = (secret: string, id: string) => bus(t, secret, `requests/${id}/updates`, { body: { update_id: `u-${Math.random()}`, detailed_status: 'in_progress' } });
    for (const [caller, id, expected] of [[scoped, pothole1, 404], [elsewhere, pothole1, 404], [elsewhere, graffiti, 404], [scoped, graffiti, 200], [unscoped, pothole1, 200]] as const) {
      const before = await snapshot(t);
      const { status } = await update(caller.secret, id);
      assert.equal(status, expected, `${caller.app.name} updating ${id}`);
      if (expected !== 200) assert.equal(await snapshot(t), before);
    }

    const service = (code: string) => ({ service_code: code, service_name: code, type: 'realtime' });
    const before = await snapshot(t);
    assert.equal((await bus(t, scoped.secret, 'catalogue', { method: 'PUT', body: { services: [service('tag-graffiti'), service('nid-de-poule')] } })).status, 403);
    assert.equal(await snapshot(t), before, 'a push outside the scope changes nothing');
    const ville = async () => JSON.stringify(await t.engine.query("SELECT code, name, active FROM services WHERE jurisdiction_id = 'ville.example' ORDER BY code, id"));
    const villeBefore = await ville();
    assert.equal((await bus(t, elsewhere.secret, 'catalogue', { method: 'PUT', body: { services: [service('nid-de-poule')] } })).status, 200);
    assert.equal(await ville(), villeBefore, 'another town’s push never touches this town');
  });

  test('the request pages: anyone may read a public request’s page and follow it by e-mail; held, hidden and unknown ones stay unknown, and nothing changes', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'], config: { smtpUrl: 'smtp://127.0.0.1:2525', rateLimitIpPerMinute: 9, duplicateWindowSeconds: 0 } });
    assert.deepEqual(routesOf(t, '/requests'), ['GET /:id', 'GET /request-page.css', 'POST /:id/follow'], 'every page route is in this test');
    const published = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    const elsewhere = await file(t, { ...pothole(t, { api_key: t.updatesKey }), jurisdiction_id: 'autre.example' });
    const held = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    await t.engine.run("UPDATE requests SET visibility = 'pending' WHERE id = ?", [held]);
    const hidden = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    await t.engine.run("UPDATE requests SET visibility = 'hidden' WHERE id = ?", [hidden]);
    const follow = (id: string, email: string) => t.app.request(`http://localhost/requests/${id}/follow`, {
      method: 'POST', body: `email=${encodeURIComponent(email)}&lang=fr`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    for (const [id, open] of [[published, true], [elsewhere, true], [held, false], [hidden, false], ['99999', false]] as const) {
      assert.equal((await t.app.request(`http://localhost/requests/${id}`)).status, open ? 200 : 404, `GET /requests/${id}`);
      const before = await snapshot(t);
      const res = await follow(id, `voisin-${id}@exemple.fr`);
      assert.equal(res.status, open ? 200 : 404, `POST /requests/${id}/follow`);
      if (open) assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM followers WHERE request_id = ?', [id]))?.n, 1, `${id}: followed`);
      else assert.equal(await snapshot(t), before, `${id}: refused, nothing changed`);
    }
    const before = await snapshot(t);
    const spent = await follow(published, 'encore@exemple.fr');
    assert.equal(spent.status, 429, 'the per-address write budget is shared with the API (9 a minute here: 4 filings, 5 follows)');
    assert.ok(spent.headers.get('retry-after'));
    assert.equal(await snapshot(t), before, 'over the budget, nothing changed');
    const silent = await createTestApp();
    const id = await file(silent, pothole(silent));
    const quiet = await snapshot(silent);
    assert.equal((await silent.app.request(`http://localhost/requests/${id}/follow`, { method: 'POST', body: 'email=a%40exemple.fr', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 404, 'no e-mail sent by this server: nothing to follow');
    assert.equal(await snapshot(silent), quiet);
  });

  test('GeoReport writes: every write × every kind of key', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'], config: { rateLimitIpPerMinute: 1e6, rateLimitKeyPerMinute: 1e6, duplicateWindowSeconds: 0 } });
    const writes = routesOf(t, '/open311/v2').filter((r) => r.startsWith('POST'));
    assert.deepEqual(writes, ['POST /requests.json', 'POST /requests.xml', 'POST /requests/:id/followers.json', 'POST /requests/:id/followers.xml',
      'POST /servicerequestupdates.json', 'POST /servicerequestupdates.xml'], 'every GeoReport write is in this test');
    const id = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    const revoked = await createApiClientsStore(t.engine).create({ name: 'old', jurisdictionId: null, rateLimitPerMinute: null, scopes: ['report', 'updates'], now: 0, actor: 'test' });
    await createApiClientsStore(t.engine).revoke(revoked.client.id, 1, 'test');
    const keys: { name: string; key: string | null; scopes: Scope[] }[] = [
      { name: 'no key', key: null, scopes: [] },
      { name: 'a wrong key', key: 'grk_not-a-key', scopes: [] },
      { name: 'a revoked key', key: revoked.key, scopes: [] },
      { name: 'the public demo key', key: t.key, scopes: ['report'] },
      { name: 'a report key', key: await createKey(t.engine, 'ville.example'), scopes: ['report'] },
      { name: 'an updates-only key', key: await createKey(t.engine, 'ville.example', null, ['updates']), scopes: ['updates'] },
      { name: 'an integration key', key: await createKey(t.engine, 'ville.example', null, ['report', 'updates']), scopes: ['report', 'updates'] },
      { name: 'another town’s integration key', key: await createKey(t.engine, 'autre.example', null, ['report', 'updates']), scopes: [] },
    ];
    const bodies: Record<string, { needs: Scope; fields: () => Record<string, string> }> = {
      requests: { needs: 'report', fields: () => ({ service_code: 'tag-graffiti', lat: '47.39', long: '0.68' }) },
      followers: { needs: 'report', fields: () => ({ device_id: `device-${Math.random()}` }) },
      servicerequestupdates: { needs: 'updates', fields: () => ({ service_request_id: id, update_id: `u-${Math.random()}`, status: 'IN_PROGRESS' }) },
    };
    for (const write of writes) {
      const path = write.slice('POST /'.length).replace(':id', id);
      const { needs, fields } = bodies[path.split(/[./]/)[path.startsWith('requests/') ? 2 : 0]!]!;
      for (const k of keys) {
        const before = await snapshot(t);
        const res = await t.post(path, { jurisdiction_id: 'ville.example', ...(k.key === null ? {} : { api_key: k.key }), ...fields() });
        const label = `${k.name} → ${write}`;
        if (k.scopes.includes(needs)) assert.equal(res.status, 200, `${label}: ${await res.text()}`);
        else {
          assert.equal(res.status, 403, `${label}: ${await res.text()}`);
          assert.equal(await snapshot(t), before, `${label}: refused, nothing changed`);
        }
      }
    }
  });
});
