import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKey, createTestApp } from '../helpers/app.ts';
import { admin, createStaff, login, staffWith } from '../helpers/admin.ts';
import { file, pothole } from '../helpers/georeport.ts';

/** Names every JavaScript object answers to: a role looked up in a plain object by one of them is "there". */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'tolocalestring'];

describe('security: jurisdictions in the back office', () => {
  test('item 1: a read-only account is nobody in a made-up town named after a prototype property', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'readonly');
    const state = async () => ({
      towns: (await t.engine.query<{ id: string }>('SELECT id FROM jurisdictions ORDER BY id')).map((j) => j.id),
      ...(await t.engine.one('SELECT (SELECT count(*) FROM api_clients) AS keys, (SELECT count(*) FROM bus_apps) AS apps')),
    });
    const before = await state();
    for (const name of PROTOTYPE_NAMES) {
      const j = encodeURIComponent(name);
      const audit = await admin(t, s, 'GET', `j/${j}/audit`);
      assert.equal(audit.status, 404, `${name}: the audit log of a town that does not exist (${JSON.stringify(audit.body)})`);
      const catalogue = { jurisdiction: { id: name, name: 'Evil', default_locale: 'fr' }, groups: [], services: [] };
      assert.equal((await admin(t, s, 'PUT', `j/${j}/catalogue`, catalogue)).status, 404, `${name}: creating a town`);
      assert.equal((await admin(t, s, 'POST', `j/${j}/keys`, { name: 'mine', scopes: ['report', 'updates'] })).status, 404, `${name}: a key`);
      const hook = { name: 'spy', webhook_url: 'http://127.0.0.1:9/steal' };
      assert.equal((await admin(t, s, 'POST', `j/${j}/bus`, hook)).status, 404, `${name}: a bus app`);
    }
    assert.deepEqual(await state(), before, 'no jurisdiction, key or bus app was created');
    assert.equal((await t.get('services.json')).status, 200, 'a one-town server still answers without jurisdiction_id');
  });

  test('item 3: the audit log of one town shows none of another town’s entries, nor failed logins', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    await createStaff(t, 'agent@autre.example', { 'autre.example': 'agent' });
    const other = await login(t, 'agent@autre.example');
    const held = await file(t, pothole(t, { jurisdiction_id: 'autre.example', api_key: await createKey(t.engine, 'autre.example') }));
    const secret = 'Mme Odile Secret, 06 12 34 56 78';
    const rejected = await admin(t, other, 'POST', `j/autre.example/requests/${held}/reject`, { reason: secret });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const wrong = await t.app.request('http://localhost/admin/api/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'victim@elsewhere.example', password: 'guess' }),
    });
    assert.equal(wrong.status, 401);

    const mine = await staffWith(t, 'administrator');
    const { status, body } = await admin(t, mine, 'GET', 'j/ville.example/audit');
    assert.equal(status, 200);
    const text = JSON.stringify(body);
    assert.doesNotMatch(text, /Odile Secret/, 'another town’s rejection reason');
    assert.doesNotMatch(text, /victim@elsewhere/, 'the e-mail of a failed login');
    assert.doesNotMatch(text, new RegExp(`request:${held}\\b`), 'another town’s request');
    assert.ok(body.entries.some((e: { action: string }) => e.action === 'staff.login'), 'one’s own town’s entries are there');
  });
});
