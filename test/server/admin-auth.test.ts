import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { admin, createStaff, login, PASSWORD, staffWith } from '../helpers/admin.ts';
import { file, pothole } from '../helpers/georeport.ts';

/** Every back-office endpoint, with a body that would do something. */
const ENDPOINTS: [string, string, unknown?][] = [
  ['GET', 'session'], ['DELETE', 'session'], ['POST', 'password', { current_password: 'x', new_password: 'a long new password' }],
  ['GET', 'j/ville.example/requests'], ['GET', 'j/ville.example/requests/1'],
  ['POST', 'j/ville.example/requests/1/status', { detailed_status: 'fixed' }], ['POST', 'j/ville.example/requests/1/notes', { note: 'x' }],
  ['GET', 'j/ville.example/moderation'], ['POST', 'j/ville.example/requests/1/publish'], ['POST', 'j/ville.example/requests/1/reject', { reason: 'x' }],
  ['POST', 'j/ville.example/requests/1/edit', { description: 'x' }], ['POST', 'j/ville.example/requests/1/media/1/hide'],
  ['POST', 'j/ville.example/requests/1/merge', { into: 2 }], ['POST', 'j/ville.example/requests/1/assign', { department_id: null }],
  ['POST', 'j/ville.example/intake', { service_code: 'tag-graffiti', address_string: '1 rue Haute' }],
  ['GET', 'j/ville.example/intake'], ['GET', 'j/ville.example/places?q=rue+Haute'], ['GET', 'j/ville.example/requests/1/templates'],
  ['GET', 'j/ville.example/keys'], ['POST', 'j/ville.example/keys', { name: 'x' }], ['POST', 'j/ville.example/keys/1/revoke'],
  ['GET', 'j/ville.example/bus'], ['GET', 'j/ville.example/audit'],
  ['GET', 'j/ville.example/catalogue'], ['PUT', 'j/ville.example/catalogue', {}], ['PUT', 'j/ville.example/services/x', { code: 'x' }],
  ['PUT', 'j/ville.example/groups/x', { code: 'x' }], ['POST', 'j/ville.example/services/order', { codes: [] }],
  ['GET', 'j/ville.example/templates'], ['PUT', 'j/ville.example/templates', {}],
  ['GET', 'j/ville.example/stats'], ['GET', 'j/ville.example/stats.csv'],
  ['GET', 'j/ville.example/routing'], ['PUT', 'j/ville.example/area', { area: null }], ['PUT', 'j/ville.example/departments', { departments: [] }],
  ['PUT', 'j/ville.example/routing', { rules: [] }],
  ['POST', 'j/ville.example/bus', { name: 'x' }], ['POST', 'j/ville.example/bus/1/revoke'], ['GET', 'j/ville.example/staff'], ['POST', 'j/ville.example/staff/1/remove'],
  ['POST', 'j/ville.example/staff', { email: 'a@b.c', name: 'a', role: 'agent', password: 'long enough password' }],
];
const auditActions = (t: Awaited<ReturnType<typeof createTestApp>>) => t.engine.query<{ actor: string; action: string }>('SELECT actor, action FROM audit_log ORDER BY id');

describe('back-office security', () => {
  test('every endpoint refuses a call without a session (401), and changes nothing', async () => {
    const t = await createTestApp();
    await file(t, pothole(t));
    const before = JSON.stringify(await t.engine.query('SELECT * FROM requests ORDER BY id'));
    for (const [method, path, body] of ENDPOINTS) {
      const { status, body: answer } = await admin(t, null, method, path, body);
      assert.equal(status, 401, `${method} ${path}`);
      assert.equal(answer.error.code, 401);
    }
    const forged = await admin(t, { cookie: 'georeport_session=forged' }, 'GET', 'j/ville.example/requests');
    assert.equal(forged.status, 401);
    assert.equal(JSON.stringify(await t.engine.query('SELECT * FROM requests ORDER BY id')), before);
  });

  test('a role in one jurisdiction gives nothing in another (403)', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const s = await staffWith(t, 'administrator');
    for (const [method, path, body] of ENDPOINTS.filter(([, p]) => p.startsWith('j/'))) {
      const other = path.replace('j/ville.example', 'j/autre.example');
      assert.equal((await admin(t, s, method, other, body)).status, 403, `${method} ${other}`);
    }
    assert.equal((await admin(t, s, 'GET', 'j/nowhere.example/requests')).status, 404, 'a jurisdiction that does not exist');
  });

  test('every change needs the session’s CSRF token and the same origin (403)', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const s = await staffWith(t, 'agent');
    const path = `j/ville.example/requests/${id}/notes`;
    assert.equal((await admin(t, { cookie: s.cookie }, 'POST', path, { note: 'x' })).status, 403, 'no token');
    assert.equal((await admin(t, { cookie: s.cookie, csrf: 'wrong' }, 'POST', path, { note: 'x' })).status, 403, 'wrong token');
    assert.equal((await admin(t, s, 'POST', path, { note: 'x' }, { Origin: 'https://evil.example' })).status, 403, 'another origin');
    assert.equal((await admin(t, s, 'POST', path, { note: 'x' }, { Origin: 'http://localhost' })).status, 200, 'the right token, same origin');
    assert.equal((await admin(t, { cookie: s.cookie }, 'GET', `j/ville.example/requests/${id}`)).status, 200, 'reading needs no token');
  });

  test('roles: read-only reads, agents act on requests, administrators also run keys, bus and audit', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const [readonly, agent, administrator] = [await staffWith(t, 'readonly'), await staffWith(t, 'agent'), await staffWith(t, 'administrator')];
    const status = `j/ville.example/requests/${id}/status`;
    assert.equal((await admin(t, readonly, 'GET', `j/ville.example/requests/${id}`)).status, 200);
    assert.equal((await admin(t, readonly, 'POST', status, { detailed_status: 'in_progress' })).status, 403);
    assert.equal((await admin(t, agent, 'POST', status, { detailed_status: 'in_progress' })).status, 200);
    assert.equal((await admin(t, agent, 'GET', 'j/ville.example/keys')).status, 403);
    assert.equal((await admin(t, administrator, 'GET', 'j/ville.example/keys')).status, 200);
    assert.equal((await admin(t, administrator, 'POST', status, { detailed_status: 'planned' })).status, 200, 'an administrator is an agent too');
  });

  test('the session cookie is HttpOnly, SameSite=Strict, for /admin, Secure over https; logging out ends it', async () => {
    const t = await createTestApp({ config: { publicUrl: 'https://311.ville.example/' } });
    const email = 'a@ville.example';
    await createStaff(t, email, { 'ville.example': 'agent' });
    const { res } = await admin(t, null, 'POST', 'session', { email, password: PASSWORD });
    const cookie = res.headers.get('set-cookie')!;
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/admin', 'Secure']) assert.ok(cookie.includes(attribute), `${attribute} in ${cookie}`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const s = { cookie: cookie.split(';')[0]!, csrf: (await admin(t, { cookie: cookie.split(';')[0]! }, 'GET', 'session')).body.csrf_token };
    assert.equal((await admin(t, s, 'DELETE', 'session')).status, 204);
    assert.equal((await admin(t, s, 'GET', 'session')).status, 401);
  });

  test('a session idle for two hours, or older than twelve, is over', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    t.clock.ms += 119 * 60_000;
    assert.equal((await admin(t, s, 'GET', 'session')).status, 200);
    t.clock.ms += 121 * 60_000;
    assert.equal((await admin(t, s, 'GET', 'session')).status, 401, 'idle');
    const busy = await staffWith(t, 'agent');
    for (let h = 0; h < 12; h++) {
      t.clock.ms += 3600_000;
      await admin(t, busy, 'GET', 'session');
    }
    assert.equal((await admin(t, busy, 'GET', 'session')).status, 401, 'twelve hours');
  });

  test('repeated wrong passwords throttle the login (429 with Retry-After), even with the right one, until the window passes', async () => {
    const t = await createTestApp();
    const email = 'agent@ville.example';
    await createStaff(t, email, { 'ville.example': 'agent' });
    for (let i = 0; i < 5; i++) assert.equal((await admin(t, null, 'POST', 'session', { email, password: 'wrong password!' })).status, 401);
    const throttled = await admin(t, null, 'POST', 'session', { email, password: PASSWORD });
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.res.headers.get('retry-after')) > 0);
    t.clock.ms += 16 * 60_000;
    await login(t, email);
    const unknown = await admin(t, null, 'POST', 'session', { email: 'nobody@ville.example', password: PASSWORD });
    assert.deepEqual([unknown.status, unknown.body.error.message], [401, 'wrong e-mail or password'], 'an unknown e-mail says nothing more');
    assert.equal((await admin(t, null, 'POST', 'session', { email })).status, 400);
  });

  test('logins and every staff action are in the audit log', async () => {
    const t = await createTestApp();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const id = await file(t, pothole(t));
    const s = await staffWith(t, 'administrator');
    await admin(t, s, 'POST', `j/ville.example/requests/${id}/publish`);
    await admin(t, s, 'POST', `j/ville.example/requests/${id}/status`, { detailed_status: 'fixed', note: 'Rebouché' });
    await admin(t, s, 'POST', 'j/ville.example/keys', { name: 'App mobile' });
    const mine = (await auditActions(t)).filter((a) => a.actor === `staff:${s.id}`).map((a) => a.action);
    assert.deepEqual(mine, ['staff.login', 'request.publish', 'request.status', 'api_client.create']);
    const viewer = await admin(t, s, 'GET', 'j/ville.example/audit');
    assert.equal(viewer.body.entries[0].action, 'api_client.create');
  });
});

describe('accounts', () => {
  test('staff change their own password: the current one checked, other sessions ended, the old one refused', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    const email = (await admin(t, s, 'GET', 'session')).body.staff.email as string;
    const elsewhere = await login(t, email);
    const change = (current: unknown, next: unknown) => admin(t, s, 'POST', 'password', { current_password: current, new_password: next });
    assert.equal((await change('wrong password', 'a brand new password')).status, 403);
    assert.equal((await change(PASSWORD, 'short')).status, 400);
    assert.equal((await change(PASSWORD, 42)).status, 400);
    assert.equal((await change(PASSWORD, 'a brand new password')).status, 204);
    assert.equal((await admin(t, s, 'GET', 'session')).status, 200, 'this session goes on');
    assert.equal((await admin(t, elsewhere, 'GET', 'session')).status, 401, 'the others end');
    assert.equal((await admin(t, null, 'POST', 'session', { email, password: PASSWORD })).status, 401, 'the old password is refused');
    await login(t, email, 'a brand new password');
    assert.deepEqual((await auditActions(t)).filter((a) => a.action.startsWith('staff.password')).map((a) => a.action), ['staff.password_failed', 'staff.password']);
  });

  test('repeated wrong current passwords are throttled like logins', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'agent');
    for (let i = 0; i < 5; i++) assert.equal((await admin(t, s, 'POST', 'password', { current_password: `wrong ${i}`, new_password: 'a brand new password' })).status, 403);
    assert.equal((await admin(t, s, 'POST', 'password', { current_password: PASSWORD, new_password: 'a brand new password' })).status, 429);
  });

  test('an administrator takes a staff member’s role away: it ends at once; not their own', async () => {
    const t = await createTestApp();
    const boss = await staffWith(t, 'administrator');
    const agent = await staffWith(t, 'agent');
    assert.equal((await admin(t, agent, 'GET', 'j/ville.example/requests')).status, 200);
    assert.equal((await admin(t, boss, 'POST', `j/ville.example/staff/${agent.id}/remove`)).status, 204);
    assert.equal((await admin(t, agent, 'GET', 'j/ville.example/requests')).status, 403, 'at once, in the live session');
    assert.ok(!(await admin(t, boss, 'GET', 'j/ville.example/staff')).body.staff.some((m: { id: string }) => Number(m.id) === agent.id));
    assert.equal((await admin(t, boss, 'POST', `j/ville.example/staff/${agent.id}/remove`)).status, 404);
    assert.equal((await admin(t, boss, 'POST', `j/ville.example/staff/${boss.id}/remove`)).status, 400);
    assert.ok((await auditActions(t)).some((a) => a.action === 'staff.remove' && a.actor === `staff:${boss.id}`));
  });
});
