import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApiClientsStore } from '../../server/keys/api-clients.store.ts';
import { createRetention } from '../../server/admin/retention.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

/** An integration's key that may post status updates (FixMyStreet's way). */
async function updatesKey(t: TestApp): Promise<string> {
  return (await createApiClientsStore(t.engine).create({ name: 'FixMyStreet', jurisdictionId: 'ville.example', rateLimitPerMinute: null, scopes: ['updates'], now: 0, actor: 'test' })).key;
}

const update = (t: TestApp, key: string, id: string, extra: Record<string, string> = {}) =>
  t.post('servicerequestupdates.json', { api_key: key, service_request_id: id, update_id: `u-${Math.random()}`, status: 'FIXED', description: 'Réparé. Donnez votre avis : https://phish.example/ville', ...extra });

describe('security: what the public key in a city page can do', () => {
  test('item 2: the public widget key cannot close a request nor write to its followers', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { email: 'resident@example.org', email_updates: 'true' }));
    const res = await update(t, t.key, id);
    assert.equal(res.status, 403, await res.clone().text());
    const [error] = (await res.json()) as { description: string }[];
    assert.match(error!.description, /updates/);
    const row = (await t.engine.one('SELECT status, detailed_status, status_notes FROM requests WHERE id = ?', [id]))!;
    assert.deepEqual(row, { status: 'open', detailed_status: 'received', status_notes: null });
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM notifications'))!.n, 0, 'no e-mail queued');
  });

  test('item 2: held and hidden requests look unknown to an updates key (same status, same words)', async () => {
    const t = await createTestApp();
    const key = await updatesKey(t);
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const held = await file(t, pothole(t));
    const hidden = await file(t, pothole(t, { lat: '47.40' }));
    await t.engine.run("UPDATE requests SET visibility = 'hidden' WHERE id = ?", [hidden]);
    const unknown = String(Number(hidden) + 1000);
    const answers = [];
    for (const id of [held, hidden, unknown]) {
      const res = await update(t, key, id);
      answers.push({ status: res.status, body: (await res.text()).replaceAll(id, 'ID') });
    }
    assert.equal(answers[0]!.status, 404);
    assert.deepEqual(answers[0], answers[2], 'held = unknown');
    assert.deepEqual(answers[1], answers[2], 'hidden = unknown');
    const statuses = await t.engine.query('SELECT detailed_status FROM requests WHERE id IN (?, ?)', [held, hidden]);
    assert.deepEqual(statuses, [{ detailed_status: 'received' }, { detailed_status: 'received' }], 'nothing changed');
  });

  test('item 2: a backdated update never moves a request back in time, so the retention purge keeps its reporter', async () => {
    const t = await createTestApp();
    const key = await updatesKey(t);
    const id = await file(t, pothole(t, { email: 'resident@example.org', first_name: 'Ana' }));
    const res = await update(t, key, id, { status: 'CLOSED', updated_datetime: '2001-01-01T00:00:00Z' });
    assert.equal(res.status, 200, await res.clone().text());
    const { updated_at, requested_at } = (await t.engine.one<Record<string, number>>('SELECT updated_at, requested_at FROM requests WHERE id = ?', [id]))!;
    assert.ok(updated_at! >= requested_at!, `updated_at ${updated_at} is not before the filing (${requested_at})`);
    await createRetention(t.engine, 12).purge(Math.floor(t.clock.ms / 1000) + 86_400);
    const reporter = await t.engine.one('SELECT email, first_name FROM reporters WHERE request_id = ?', [id]);
    assert.deepEqual(reporter, { email: 'resident@example.org', first_name: 'Ana' }, 'closed yesterday: kept for a year');
  });
});
