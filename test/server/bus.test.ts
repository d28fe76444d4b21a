import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ack, bus, busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

const fms = (t: TestApp, id: string, status: string, updateId: string) =>
  t.post('servicerequestupdates.json', { api_key: t.updatesKey, jurisdiction_id: 'ville.example', service_request_id: id, update_id: updateId, status, description: `→ ${status}` });
const eventsOf = async (t: TestApp, id: string) => (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM request_events WHERE request_id = ?', [Number(id)]))!.n;

describe('the bus: pulling requests', () => {
  test('a wrong or missing secret is a 401, and written to the audit log', async () => {
    const t = await createTestApp();
    await busApp(t);
    for (const secret of [null, 'grb_not-a-secret']) {
      const { status, body } = await bus(t, secret, 'messages');
      assert.equal(status, 401);
      assert.equal(body.error.code, 401);
    }
    const entries = await createBusAuditStore(t.engine).list({ appId: null, unknownOnly: true }, 0, 10);
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => e.status === 401 && e.endpoint === '/bus/v1/messages' && e.app_id === null));
    assert.match(entries[0]!.detail!, /not valid \(secret starting grb_not-/);
  });

  test('a new request reaches the app with everything the CRM needs, the reporter’s contact included; acknowledged, it is not sent again', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const id = await file(t, pothole(t, { email: 'habitant@exemple.fr', first_name: 'Léa', phone: '0601020304', media_url: 'https://img.example/1.jpg' }));
    const [m, ...others] = await lease(t, secret);
    assert.deepEqual(others, []);
    assert.equal(m!.type, 'created');
    assert.equal(m!.attempt, 1);
    assert.equal(m!.request.service_request_id, id);
    assert.deepEqual(m!.request.reporter, { kind: 'person', email: 'habitant@exemple.fr', first_name: 'Léa', last_name: null, phone: '0601020304', organisation: null, account_id: null, locale: 'fr' });
    assert.deepEqual(m!.request.attributes, [{ code: 'taille', values: ['petit'] }]);
    assert.deepEqual(m!.request.media_urls, ['https://img.example/1.jpg']);
    assert.equal(m!.event.type, 'created');
    assert.deepEqual(await lease(t, secret), [], 'leased: not given twice');
    assert.deepEqual(await ack(t, secret, [m!.id, '999999']), { acked: [m!.id], unknown: ['999999'] });
    t.clock.ms += 3600_000;
    assert.deepEqual(await lease(t, secret), [], 'acknowledged: never again');
  });

  test('a lease that expires unacknowledged is delivered again, attempts counted, until it dies', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t, { maxAttempts: 2 });
    await file(t, pothole(t));
    const [first] = await lease(t, secret, '?lease=30');
    t.clock.ms += 31_000;
    const [again] = await lease(t, secret, '?lease=30');
    assert.equal(again!.id, first!.id);
    assert.equal(again!.attempt, 2);
    t.clock.ms += 31_000;
    assert.deepEqual(await lease(t, secret), [], 'two attempts: dead');
    const dead = (await bus(t, secret, 'dead-letters')).body.messages;
    assert.deepEqual(dead.map((d: { id: string; state: string }) => [d.id, d.state]), [[first!.id, 'dead']]);
    assert.deepEqual((await bus(t, secret, 'replay', { body: { ids: [first!.id] } })).body, { replayed: [first!.id] });
    const [replayed] = await lease(t, secret);
    assert.deepEqual([replayed!.id, replayed!.attempt], [first!.id, 1]);
  });

  test('a request’s messages come one at a time, in order; other requests are not held up', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const a = await file(t, pothole(t));
    const b = await file(t, pothole(t));
    assert.equal((await fms(t, a, 'IN_PROGRESS', 'u1')).status, 200);
    assert.equal((await fms(t, a, 'FIXED', 'u2')).status, 200);
    const batch = await lease(t, secret, '?max=10');
    assert.deepEqual(batch.map((m) => [m.request.service_request_id, m.type]), [[a, 'created'], [b, 'created']]);
    await ack(t, secret, batch.map((m) => m.id));
    const next = await lease(t, secret, '?max=10');
    assert.deepEqual(next.map((m) => [m.request.service_request_id, m.type, m.event.detailed_status]), [[a, 'updated', 'in_progress']]);
    await ack(t, secret, next.map((m) => m.id));
    assert.deepEqual((await lease(t, secret)).map((m) => m.event.detailed_status), ['fixed']);
  });

  test('a closed request opened again is a "reopened" message', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const id = await file(t, pothole(t));
    await fms(t, id, 'FIXED', 'r1');
    await fms(t, id, 'IN_PROGRESS', 'r2');
    const types = [];
    for (let m = await lease(t, secret); m.length > 0; m = await lease(t, secret)) {
      types.push(...m.map((x) => x.type));
      await ack(t, secret, m.map((x) => x.id));
    }
    assert.deepEqual(types, ['created', 'updated', 'reopened']);
  });

  test('nack hands a message back for later; past its attempts it is dead', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t, { maxAttempts: 3 });
    await file(t, pothole(t));
    let [m] = await lease(t, secret);
    const { body } = await bus(t, secret, 'nack', { body: { id: m!.id, retry_after: 120, error: 'CRM down' } });
    assert.deepEqual(body, { id: m!.id, state: 'retry' });
    assert.deepEqual(await lease(t, secret), [], 'not before 120 s');
    t.clock.ms += 121_000;
    [m] = await lease(t, secret);
    assert.equal(m!.attempt, 2);
    await bus(t, secret, 'nack', { body: { id: m!.id, retry_after: 0 } });
    [m] = await lease(t, secret);
    assert.deepEqual((await bus(t, secret, 'nack', { body: { id: m!.id, error: 'still down' } })).body, { id: m!.id, state: 'dead' });
    const [dead] = (await bus(t, secret, 'dead-letters')).body.messages;
    assert.equal(dead.last_error, 'still down');
    assert.equal((await bus(t, secret, 'nack', { body: { id: m!.id } })).status, 404, 'dead: nothing to hand back');
    for (const bad of [{}, { id: 'x' }, { id: m!.id, retry_after: -1 }, { id: m!.id, retry_after: 1.5 }]) {
      assert.equal((await bus(t, secret, 'nack', { body: bad })).status, 400, JSON.stringify(bad));
    }
  });

  test('an app takes only its services and events, never the changes it made itself, and only its jurisdiction', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const roads = await busApp(t, { services: ['nid-de-poule'], events: ['created'] });
    const all = await busApp(t);
    const elsewhere = await busApp(t, { jurisdictionId: 'autre.example' });
    const pot = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    await file(t, { api_key: t.key, jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', lat: '47.39', long: '0.68' });
    await fms(t, pot, 'IN_PROGRESS', 'x1');
    assert.deepEqual((await lease(t, roads.secret, '?max=10')).map((m) => m.type), ['created']);
    assert.deepEqual(await lease(t, elsewhere.secret), []);
    const mine = await lease(t, all.secret, '?max=10');
    await ack(t, all.secret, mine.map((m) => m.id));
    await bus(t, all.secret, `requests/${pot}/updates`, { body: { update_id: 'crm-1', detailed_status: 'planned', public: true } });
    const after = await lease(t, all.secret, '?max=10');
    assert.deepEqual(after.map((m) => m.event.detailed_status), ['in_progress'], 'its own update is not echoed back');
  });

  test('deferred delivery waits for moderation: a held request goes out once published, a hidden one never', async () => {
    const t = await createTestApp();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const deferred = await busApp(t, { delivery: 'deferred' });
    const immediate = await busApp(t);
    const held = await file(t, pothole(t));
    const hidden = await file(t, pothole(t, { lat: '47.40' }));
    assert.equal((await lease(t, immediate.secret, '?max=10')).length, 2, 'immediate: at once');
    assert.deepEqual(await lease(t, deferred.secret), []);
    assert.deepEqual((await bus(t, deferred.secret, 'health')).body.backlog, { pending: 0, leased: 0, dead: 0, held: 2, oldest: (await bus(t, deferred.secret, 'health')).body.backlog.oldest });
    await t.engine.run("UPDATE requests SET visibility = 'published' WHERE id = ?", [Number(held)]);
    await t.engine.run("UPDATE requests SET visibility = 'hidden' WHERE id = ?", [Number(hidden)]);
    assert.deepEqual((await lease(t, deferred.secret, '?max=10')).map((m) => m.request.service_request_id), [held]);
  });

  test('history re-reads every message from a point in time, by cursor, leasing nothing', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    await file(t, pothole(t));
    t.clock.ms += 3600_000;
    const since = new Date(t.clock.ms).toISOString();
    const later = [await file(t, pothole(t, { lat: '47.41' })), await file(t, pothole(t, { lat: '47.42' }))];
    await ack(t, secret, (await lease(t, secret, '?max=10')).map((m) => m.id));
    const first = (await bus(t, secret, `history?since=${since}&limit=1`)).body;
    assert.deepEqual(first.messages.map((m: { request: { service_request_id: string }; state: string }) => [m.request.service_request_id, m.state]), [[later[0], 'acked']]);
    const second = (await bus(t, secret, `history?since=${since}&after=${first.next}`)).body;
    assert.deepEqual(second.messages.map((m: { request: { service_request_id: string } }) => m.request.service_request_id), [later[1]]);
    assert.equal((await bus(t, secret, 'history?since=hier')).status, 400);
  });

  test('at most 16 long polls of one app wait on one server: one more is refused with 429, a look without waiting is not', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const other = await busApp(t, { name: 'GRC 2' });
    const waiting = Array.from({ length: 16 }, () => bus(t, secret, 'messages?wait=2'));
    await new Promise((r) => setTimeout(r, 500)); // the sixteen have looked once and wait
    const refused = await t.app.request('http://localhost/bus/v1/messages?wait=2', { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /too many long polls/);
    assert.equal((await bus(t, secret, 'messages?wait=0')).status, 200);
    assert.equal((await bus(t, other.secret, 'messages?wait=1')).status, 200, 'another app waits as usual');
    assert.deepEqual((await Promise.all(waiting)).map((r) => r.status), Array(16).fill(200));
    assert.equal((await bus(t, secret, 'messages?wait=1')).status, 200, 'their places are free again');
  });
});

describe('the bus: the CRM writes back', () => {
  test('a status update is applied once per update_id, joins the public timeline, and sets the CRM id, date and agency', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const id = await file(t, pothole(t));
    const update = { update_id: 'GRC-77', detailed_status: 'planned', note: 'Équipe prévue jeudi', public: true, external_id: 'GRC-2026-0077', expected_datetime: '2026-06-10T08:00:00+02:00', agency_responsible: 'Voirie Nord' };
    const first = await bus(t, secret, `requests/${id}/updates`, { body: update });
    assert.equal(first.status, 200);
    assert.equal(first.body.duplicate, false);
    const events = await eventsOf(t, id);
    const again = await bus(t, secret, `requests/${id}/updates`, { body: update });
    assert.deepEqual(again.body, { ...first.body, duplicate: true });
    assert.equal(await eventsOf(t, id), events, 'sent twice, recorded once');
    const [shown] = (await (await t.get(`requests/${id}.json?extensions=true`)).json()) as Record<string, any>[];
    assert.equal(shown!.status_notes, 'Équipe prévue jeudi');
    assert.equal(shown!.agency_responsible, 'Voirie Nord');
    assert.equal(shown!.expected_datetime, '2026-06-10T06:00:00Z');
    assert.equal(shown!.extended_attributes.history.at(-1).detailed_status, 'planned');
    assert.equal((await t.engine.one<{ external_id: string }>('SELECT external_id FROM requests WHERE id = ?', [Number(id)]))!.external_id, 'GRC-2026-0077');
  });

  test('an internal note stays out of the public timeline while the status joins it', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const id = await file(t, pothole(t));
    await bus(t, secret, `requests/${id}/updates`, { body: { update_id: 'n1', detailed_status: 'in_progress', note: 'Appeler le riverain au 06…', public: false } });
    const text = await (await t.get(`requests/${id}.json?extensions=true`)).text();
    assert.doesNotMatch(text, /Appeler le riverain/);
    assert.match(text, /"detailed_status":"in_progress"/);
  });

  test('a bad update is a 400 listing its problems and changes nothing; an unknown request a 404', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const id = await file(t, pothole(t));
    const before = await eventsOf(t, id);
    const bad = await bus(t, secret, `requests/${id}/updates`, { body: { detailed_status: 'done', public: 'yes', expected_datetime: 'demain' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.problems.length, 4, JSON.stringify(bad.body));
    assert.equal((await bus(t, secret, `requests/${id}/updates`, { body: 'not json' })).status, 400);
    assert.equal((await bus(t, secret, 'requests/999999/updates', { body: { update_id: 'x', note: 'hello' } })).status, 404);
    assert.equal(await eventsOf(t, id), before);
  });

  test('a catalogue push replaces the catalogue atomically; a bad one is a 400 with every problem and changes nothing', async () => {
    const t = await createTestApp();
    const { secret } = await busApp(t);
    const snapshot = async () => JSON.stringify(await t.engine.query('SELECT code, name, active FROM services ORDER BY id'));
    const before = await snapshot();
    const bad = await bus(t, secret, 'catalogue', { method: 'PUT', body: { services: [{ service_code: 'ok', service_name: 'OK' }, { service_name: 'no code', type: 'instant' }, { service_code: 'x', service_name: 'X', attributes: [{ code: 'a', datatype: 'colour', order: 1 }] }] } });
    assert.equal(bad.status, 400);
    assert.deepEqual([...bad.body.error.problems].sort(), ['services[1].service_code is required', 'services[1].type must be one of realtime, batch, blackbox', 'services[2].attributes[0].datatype must be one of string, number, datetime, text, singlevaluelist, multivaluelist']);
    assert.equal(await snapshot(), before, 'nothing changed');
    const good = await bus(t, secret, 'catalogue', { method: 'PUT', body: { services: [
      { service_code: 'nid-de-poule', service_name: 'Trou dans la chaussée', group: 'Voirie', type: 'realtime', attributes: [
        { code: 'profondeur', datatype: 'singlevaluelist', required: true, order: 1, description: 'Profondeur', values: [{ key: 'p', name: 'Peu profond' }, { key: 'g', name: 'Profond' }] }] },
      { service_code: 'eclairage', service_name: 'Éclairage public', group: 'Voirie' },
    ] } });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.equal(good.body.services, 2);
    assert.ok(good.body.retired > 10);
    const services = (await (await t.get('services.json')).json()) as { service_code: string; service_name: string; group: string }[];
    assert.deepEqual(services.map((s) => [s.service_code, s.service_name, s.group]), [['nid-de-poule', 'Trou dans la chaussée', 'Voirie'], ['eclairage', 'Éclairage public', 'Voirie']]);
    const def = (await (await t.get('services/nid-de-poule.json')).json()) as { attributes: { code: string }[] };
    assert.deepEqual(def.attributes.map((a) => a.code), ['profondeur']);
  });

  test('every call of an app is in its audit, with the ids it was about', async () => {
    const t = await createTestApp();
    const { app, secret } = await busApp(t);
    await file(t, pothole(t));
    const [m] = await lease(t, secret);
    await ack(t, secret, [m!.id]);
    const { body } = await bus(t, secret, 'audit');
    const calls = body.entries.map((e: { method: string; endpoint: string; status: number; ids: string[] }) => [e.method, e.endpoint, e.status, e.ids]);
    assert.deepEqual(calls.slice(0, 2), [['POST', '/bus/v1/ack', 200, [Number(m!.id)]], ['GET', '/bus/v1/messages', 200, [m!.id]]]);
    assert.ok(body.entries.every((e: { app_id: number }) => e.app_id === app.id));
  });
});
