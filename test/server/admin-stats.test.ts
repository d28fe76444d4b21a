import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetention } from '../../server/admin/retention.ts';
import { createBusPayloads } from '../../server/bus/payload.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
const HOUR = 3600_000;

async function close(t: TestApp, id: string, after: number) {
  t.clock.ms += after;
  const res = await t.post('servicerequestupdates.json', { api_key: t.updatesKey, service_request_id: id, update_id: `close-${id}`, status: 'FIXED', description: 'done' });
  assert.equal(res.status, 200);
}

test('statistics count by status, category and channel, give the median time to close and the share within SLA', async () => {
  const t = createTestApp({ startMs: Date.UTC(2026, 5, 1, 8) });
  const from = new Date(t.clock.ms).toISOString();
  const fast = await file(t, pothole(t)); // nid-de-poule: SLA 120 h
  const slow = await file(t, pothole(t, { lat: '47.3901' }));
  await file(t, { api_key: t.key, service_code: 'tag-graffiti', lat: '47.39', long: '0.68' });
  await admin(t, await staffWith(t, 'agent'), 'POST', `${J}/intake`, { channel: 'phone', service_code: 'tag-graffiti', address_string: '1 rue Haute' });
  await close(t, fast, 10 * HOUR);
  await close(t, slow, 190 * HOUR); // 200 h after filing: past the SLA
  const to = new Date(t.clock.ms).toISOString();
  const s = await staffWith(t, 'readonly');
  const { status, body } = await admin(t, s, 'GET', `${J}/stats?from=${from}&to=${to}`);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.total, 4);
  assert.deepEqual(body.by_status, { open: 2, closed: 2 });
  assert.deepEqual(body.by_channel, { api: 3, phone: 1 });
  const pothole_ = body.by_service.find((x: { service_code: string }) => x.service_code === 'nid-de-poule');
  assert.deepEqual([pothole_.count, pothole_.open, pothole_.median_hours_to_close, pothole_.closed_within_sla], [2, 0, 105, 0.5]);
  assert.equal(body.median_hours_to_close, 105);
  assert.equal(body.heat.reduce((n: number, h: { count: number }) => n + h.count, 0), 3, 'the three located requests');
  assert.deepEqual(body.by_day.map((d: { date: string }) => d.date), ['2026-06-01']);

  const table = await t.app.request(`http://localhost/admin/api/${J}/stats.csv?from=${from}&to=${to}`, { headers: { Cookie: s.cookie } });
  const lines = (await table.text()).trim().split('\r\n');
  assert.equal(lines[0], 'date,service_code,channel,status,department,requests');
  assert.ok(lines.includes('2026-06-01,nid-de-poule,api,closed,,2'), lines.join('\n'));
  assert.equal((await admin(t, s, 'GET', `${J}/stats?from=${to}&to=${from}`)).status, 400);
});

test('the retention purge erases personal data a year after closure, keeps the requests and the rest, and says so in the audit log', async () => {
  const t = createTestApp();
  const retention = createRetention(t.db, 12);
  const now = () => Math.floor(t.clock.ms / 1000);
  // The demo city's requests closed in the last weeks fall due within the year: erased first, out of the way.
  const demo = retention.purge(now() + 360 * 86_400);
  const old = await file(t, pothole(t, { email: 'ancien@exemple.fr', first_name: 'Ana', phone: '0600000000' }));
  const open = await file(t, pothole(t, { email: 'encore@exemple.fr', lat: '47.3901' }));
  await t.post(`requests/${old}/followers.json`, { api_key: t.key, device_id: 'd', email: 'voisin@exemple.fr', email_updates: 'true' });
  await close(t, old, HOUR);
  assert.deepEqual(retention.purge(now() + 300 * 86_400), { reporters: 0, followers: 0, edits: 0, months: 12 }, 'not yet');
  const erased = retention.purge(now() + 361 * 86_400);
  assert.deepEqual(erased, { reporters: 1, followers: 1, edits: 0, months: 12 });
  const payloads = createBusPayloads(t.db, 'http://localhost/media/').requests([Number(old), Number(open)]);
  assert.equal(payloads.get(Number(old))!.reporter, null, 'the CRM no longer gets it either');
  assert.equal(payloads.get(Number(open))!.reporter!.email, 'encore@exemple.fr', 'an open request keeps its reporter');
  assert.equal(t.db.prepare('SELECT email FROM followers WHERE request_id = ?').pluck().get(Number(old)), null);
  assert.equal((await t.get(`requests/${old}.json`)).status, 200, 'the request stays');
  const logged = t.db.prepare("SELECT detail FROM audit_log WHERE action = 'retention.purge'").pluck().all();
  assert.deepEqual(logged.map((d) => JSON.parse(String(d))), [demo, erased].filter((e) => e.reporters + e.followers > 0));
});
