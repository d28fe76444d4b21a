import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { draftRequest } from '../../server/requests/requests.types.ts';
import { createTestApp, DEMO_REQUESTS, type TestApp } from '../helpers/app.ts';
import { assertErrorBoth, file, getBoth, pothole } from '../helpers/georeport.ts';
import { schemaErrors } from '../helpers/schemas.ts';

const DAY_MS = 86_400_000;
type RequestJson = Record<string, unknown> & { service_request_id: string; requested_datetime: string };
const list = async (t: TestApp, query = '') => (await (await t.get(`requests.json${query}`)).json()) as RequestJson[];
const ids = (rows: RequestJson[]) => rows.map((r) => r.service_request_id);
const close = (t: TestApp, id: string) => t.engine.run("UPDATE requests SET status = 'closed', detailed_status = 'fixed' WHERE id = ?", [Number(id)]);

describe('GET requests: fields', () => {
  test('every core field is present, in both formats, valid against the Open311 schema', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { address_string: '12 rue Nationale', address_id: 'A-12', media_url: 'https://img.example/p.jpg' }));
    const { json } = await getBoth(t, `requests/${id}`);
    assert.equal(schemaErrors('requests.json', json), '');
    const [r] = json as RequestJson[];
    assert.deepEqual(Object.keys(r!), [
      'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description',
      'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime',
      'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
    ]);
    assert.equal(r!.status, 'open');
    assert.equal(r!.service_name, 'Nid-de-poule');
    assert.equal(r!.agency_responsible, 'Direction de la voirie');
    assert.equal(r!.address, '12 rue Nationale');
    assert.equal(r!.media_url, 'https://img.example/p.jpg');
    assert.equal(schemaErrors('requests.json', (await getBoth(t, 'requests')).json), '');
  });

  test('one request is still a list of one; unknown, malformed or other ids are 404', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const { json } = await getBoth(t, `requests/${id}`);
    assert.equal((json as unknown[]).length, 1);
    for (const bad of ['999999', '0', '-1', 'abc', '1e3', '99999999999999999999']) {
      await assertErrorBoth(t, `requests/${bad}`, '', 404, /was not found/);
    }
  });
});

describe('GET requests: filters and defaults', () => {
  test('the default window is the last 90 days: a request 89 days old is listed, one 91 days old is not', async () => {
    const t = await createTestApp();
    const start = t.clock.ms;
    const id = await file(t, pothole(t));
    t.clock.ms = start + 89 * DAY_MS;
    assert.ok(ids(await list(t)).includes(id), '89 days old: listed');
    t.clock.ms = start + 91 * DAY_MS;
    assert.ok(!ids(await list(t)).includes(id), '91 days old: not listed');
    assert.equal((await t.get(`requests/${id}.json`)).status, 200, 'still reachable by id');
  });

  test('at most 1000 results, newest first', async () => {
    const t = await createTestApp();
    const now = Math.floor(t.clock.ms / 1000);
    await t.engine.transaction(async (tx) => {
      const store = createRequestsStore(tx);
      for (let i = 0; i < 1001; i++) await store.create(draftRequest({ jurisdictionId: 'ville.example', serviceId: 1, lat: 47, long: 1, now: now - i * 60 }));
    });
    const rows = await list(t);
    assert.equal(rows.length, 1000);
    const times = rows.map((r) => r.requested_datetime);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  });

  test('service_request_id=A,B returns exactly those, whatever other filters say', async () => {
    const t = await createTestApp();
    const a = await file(t, pothole(t));
    const b = await file(t, { api_key: t.key, service_code: 'tag-graffiti', address_string: 'mur' });
    await close(t, b);
    const rows = await list(t, `?service_request_id=${a},${b}&status=closed&service_code=lampadaire&start_date=2001-01-01T00:00:00Z&end_date=2001-01-02T00:00:00Z`);
    assert.deepEqual(ids(rows).sort(), [a, b].sort());
    assert.deepEqual(ids(await list(t, `?service_request_id=${a}, 999999 ,zz`)), [a], 'unknown ids are simply absent');
  });

  test('service_code takes a comma list', async () => {
    const t = await createTestApp();
    const rows = await list(t, '?service_code=nid-de-poule,lampadaire');
    assert.ok(rows.length > 0);
    assert.deepEqual([...new Set(rows.map((r) => r.service_code))].sort(), ['lampadaire', 'nid-de-poule']);
    assert.deepEqual(await list(t, '?service_code=inconnu'), []);
  });

  test('status is a case-insensitive comma list of open and closed; anything else is a 400', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    await close(t, id);
    const closed = await list(t, '?status=CLOSED');
    assert.ok(ids(closed).includes(id) && closed.every((r) => r.status === 'closed'), JSON.stringify(closed));
    assert.ok(!ids(await list(t, '?status=OPEN')).includes(id));
    assert.equal((await list(t, '?status=open,Closed')).length, (await list(t)).length);
    await assertErrorBoth(t, 'requests', '?status=foo', 400, /status must be open or closed/);
    await assertErrorBoth(t, 'requests', '?status=open,pending', 400, /pending/);
  });

  test('start_date and end_date bound requested_datetime, zones included', async () => {
    const t = await createTestApp(); // the demo requests are from before 2026-06-01
    t.clock.ms = Date.UTC(2026, 8, 10, 10, 0, 0);
    const id = await file(t, pothole(t));
    t.clock.ms = Date.UTC(2026, 8, 20);
    assert.deepEqual(ids(await list(t, '?start_date=2026-09-10T09:59:59Z&end_date=2026-09-10T10:00:00Z')), [id]);
    assert.deepEqual(ids(await list(t, '?start_date=2026-09-10T12:00:00%2B02:00&end_date=2026-09-10T12:00:00%2B02:00')), [id], '+02:00 is honoured');
    assert.deepEqual(await list(t, '?start_date=2026-09-10T10:00:01Z&end_date=2026-09-11T00:00:00Z'), []);
    assert.deepEqual(ids(await list(t, '?start_date=2026-09-10T00:00:00.5Z')), [id], 'start_date alone opens a 90-day window');
    assert.deepEqual(ids(await list(t, '?end_date=2026-09-11T00:00:00Z')), [id], 'end_date alone closes a 90-day window');
    assert.equal((await list(t, '?end_date=2026-06-02T00:00:00Z')).length, DEMO_REQUESTS, 'the 90 days before end_date');
  });

  test('malformed dates, a reversed range or a span over 90 days are 400s', async () => {
    const t = await createTestApp();
    for (const q of ['?start_date=nonsense', '?end_date=2026-13-01T00:00:00Z', '?start_date=2026-02-30T00:00:00Z', '?start_date=2026-05-01', '?start_date=2026-05-01T10:00:00']) {
      await assertErrorBoth(t, 'requests', q, 400, /W3C datetime/);
    }
    await assertErrorBoth(t, 'requests', '?start_date=2026-05-02T00:00:00Z&end_date=2026-05-01T00:00:00Z', 400, /end_date is before start_date/);
    await assertErrorBoth(t, 'requests', '?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z', 400, /90 days/);
    assert.equal((await t.get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z')).status, 200, 'exactly 90 days is fine');
  });
});
