import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBody, assertErrorBoth, file, getBoth, pothole } from '../helpers/georeport.ts';

const postUpdate = (t: TestApp, fields: Record<string, string>, fmt = 'json') =>
  t.post(`servicerequestupdates.${fmt}`, { api_key: t.updatesKey, updated_datetime: '2026-06-01T12:00:00Z', ...fields });
const events = (t: TestApp, id: string) =>
  t.engine.query('SELECT type, detailed_status, note FROM request_events WHERE request_id = ? ORDER BY id', [Number(id)]);

describe('FixMyStreet updates', () => {
  test('POST servicerequestupdates with an upper-case status moves the request and answers our update_id', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const { status, json, xml } = await getBoth(t, 'servicerequestupdates', '', 'POST', {
      api_key: t.updatesKey, service_request_id: id, update_id: 'fms-1', status: 'IN_PROGRESS', description: 'Équipe en route',
    });
    assert.equal(status, 200);
    const [answer] = json as { update_id: string }[];
    assert.match(answer!.update_id, /^\d+$/);
    assert.equal(xml.name, 'service_request_updates');
    assert.equal(xml.children[0]!.name, 'request_update');
    const [r] = (await (await t.get(`requests/${id}.json?extensions=true`)).json()) as { status: string; status_notes: string; extended_attributes: { detailed_status: string } }[];
    assert.equal(r!.status, 'open');
    assert.equal(r!.status_notes, 'Équipe en route');
    assert.equal(r!.extended_attributes.detailed_status, 'in_progress');
  });

  test('the same update_id twice records one update and answers the same update_id', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const first = (await (await postUpdate(t, { service_request_id: id, update_id: 'fms-7', status: 'FIXED', description: 'Rebouché' })).json()) as { update_id: string }[];
    const again = (await (await postUpdate(t, { service_request_id: id, update_id: 'fms-7', status: 'FIXED', description: 'Rebouché' })).json()) as { update_id: string }[];
    assert.deepEqual(again, first);
    assert.deepEqual((await events(t, id)), [
      { type: 'created', detailed_status: 'received', note: null },
      { type: 'status', detailed_status: 'fixed', note: 'Rebouché' },
    ]);
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { status: string }[];
    assert.equal(r!.status, 'closed', 'FIXED closes the request');
  });

  test('FixMyStreet statuses map onto ours, open or closed', async () => {
    const t = await createTestApp();
    const cases: [string, string, string][] = [
      ['ACTION_SCHEDULED', 'planned', 'open'], ['INVESTIGATING', 'in_progress', 'open'], ['CLOSED', 'not_fixed', 'closed'],
      ['NOT_COUNCILS_RESPONSIBILITY', 'referred', 'closed'], ['DUPLICATE', 'duplicate', 'closed'], ['rejected', 'rejected', 'closed'],
      ['OPEN', 'received', 'open'],
    ];
    for (const [i, [sent, detailed, core]] of cases.entries()) {
      const id = await file(t, pothole(t));
      assert.equal((await postUpdate(t, { service_request_id: id, update_id: `u${i}`, status: sent })).status, 200, sent);
      const [r] = (await (await t.get(`requests/${id}.json?extensions=true`)).json()) as { status: string; extended_attributes: { detailed_status: string } }[];
      assert.deepEqual([r!.extended_attributes.detailed_status, r!.status], [detailed, core], sent);
    }
  });

  test('GET servicerequestupdates lists public updates of the window with upper-case statuses', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const posted = (await (await postUpdate(t, { service_request_id: id, update_id: 'fms-9', status: 'ACTION_SCHEDULED', description: 'Prévu lundi' })).json()) as { update_id: string }[];
    const { json } = await getBoth(t, 'servicerequestupdates', '?start_date=2026-05-31T00:00:00Z&end_date=2026-06-02T00:00:00Z');
    // The demo city's own updates of the window are there too.
    assert.deepEqual((json as { service_request_id: string }[]).filter((u) => u.service_request_id === id), [{
      update_id: posted[0]!.update_id, service_request_id: id, status: 'ACTION_SCHEDULED',
      updated_datetime: '2026-06-01T12:00:00Z', description: 'Prévu lundi', media_url: '',
    }]);
    assert.deepEqual((await getBoth(t, 'servicerequestupdates', '?start_date=2026-06-02T00:00:00Z')).json, []);
    await assertErrorBoth(t, 'servicerequestupdates', '?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400, /90 days/);
  });

  test('bad updates are refused with every problem named, and change nothing', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const missing = await t.post('servicerequestupdates.json', { api_key: t.updatesKey });
    assert.equal(missing.status, 400);
    assertErrorBody(await missing.json(), 400, /service_request_id was not provided/, /update_id was not provided/, /status or a description/);
    const unknown = await postUpdate(t, { service_request_id: id, update_id: 'x', status: 'MAYBE' });
    assert.equal(unknown.status, 400);
    assertErrorBody(await unknown.json(), 400, /status MAYBE is not a known status/);
    const nowhere = await postUpdate(t, { service_request_id: '999999', update_id: 'y', status: 'FIXED' });
    assert.equal(nowhere.status, 404);
    assert.equal((await t.post('servicerequestupdates.json', { service_request_id: id, update_id: 'z', status: 'FIXED' })).status, 403);
    assert.equal((await t.post('servicerequestupdates.json', { api_key: t.key, service_request_id: id, update_id: 'z', status: 'FIXED' })).status, 403, 'a report key');
    assert.equal((await events(t, id)).length, 1, 'only the creation');
  });
});
