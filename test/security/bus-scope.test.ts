import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { bus, busApp } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

describe('security: a bus app stays within its services', () => {
  test('item 4: an app limited to graffiti cannot update a pothole (it looks unknown)', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t, { services: ['tag-graffiti'] });
    const id = await file(t, pothole(t));
    const res = await bus(t, secret, `requests/${id}/updates`, { body: { update_id: 'x1', detailed_status: 'fixed', note: 'done', public: true } });
    const unknown = await bus(t, secret, `requests/999999/updates`, { body: { update_id: 'x2', detailed_status: 'fixed' } });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(unknown.status, 404);
    assert.equal((await t.engine.one<{ detailed_status: string }>('SELECT detailed_status FROM requests WHERE id = ?', [id]))!.detailed_status, 'received');
  });

  test('item 4: its catalogue push neither retires nor touches services outside its scope', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t, { services: ['tag-graffiti'] });
    const codes = () => t.engine.query("SELECT code FROM services WHERE jurisdiction_id = 'ville.example' AND active = 1 ORDER BY code");
    const before = await codes();
    const graffiti = { service_code: 'tag-graffiti', service_name: 'Tags et graffitis', type: 'realtime', group: 'Propreté' };
    const pushed = await bus(t, secret, 'catalogue', { method: 'PUT', body: { services: [graffiti] } });
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(await codes(), before, 'every other service still offered');
    const outside = await bus(t, secret, 'catalogue', { method: 'PUT', body: { services: [graffiti, { service_code: 'nid-de-poule', service_name: 'Hijacked', type: 'realtime' }] } });
    assert.equal(outside.status, 403, JSON.stringify(outside.body));
    assert.equal((await t.engine.one<{ name: string }>("SELECT name FROM services WHERE code = 'nid-de-poule'"))!.name, 'Nid-de-poule');
  });
});
