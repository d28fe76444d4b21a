import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, DEMO_OPEN_REQUESTS, DEMO_REQUESTS } from '../helpers/app.ts';

interface Item {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  extended_attributes: {
    detailed_status: string;
    history: { type: string; detailed_status: string | null; note: string | null; datetime: string }[];
  };
}

const DAY = 86_400_000;
const OPEN = ['received', 'in_progress', 'planned'];

async function demo() {
  const t = await createTestApp();
  const res = await t.get('requests.json?extensions=true&page_size=1000');
  assert.equal(res.status, 200);
  return { t, items: (await res.json()) as Item[], now: t.clock.ms };
}

test('the demo city shows requests received, planned, in progress, fixed and closed otherwise, over the last three months', async () => {
  const { items, now } = await demo();
  assert.equal(items.length, DEMO_REQUESTS, 'every demo request is public, within the default 90 days');
  const count = (status: string) => items.filter((r) => r.extended_attributes.detailed_status === status).length;
  for (const status of ['received', 'in_progress', 'planned', 'fixed', 'not_fixed', 'duplicate', 'referred']) {
    assert.ok(count(status) > 0, `a ${status} request`);
  }
  assert.ok(count('fixed') >= items.length / 3, `the demo map says things get fixed: ${count('fixed')} of ${items.length}`);
  assert.equal(items.filter((r) => r.status === 'open').length, DEMO_OPEN_REQUESTS);
  const ages = items.map((r) => (now - Date.parse(r.requested_datetime)) / DAY);
  assert.ok(Math.min(...ages) < 1 && Math.max(...ages) > 60 && Math.max(...ages) < 89, `filed from today to about three months ago: ${Math.min(...ages)}–${Math.max(...ages)} days`);
});

test("each demo request's public timeline leads to its status, notes and last change, in order", async () => {
  const { items, now } = await demo();
  for (const r of items) {
    const what = `request ${r.service_request_id}`;
    const history = r.extended_attributes.history;
    assert.deepEqual([history[0]!.type, history[0]!.detailed_status, history[0]!.datetime], ['created', 'received', r.requested_datetime], what);
    const times = history.map((e) => Date.parse(e.datetime));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), `${what}: in time order`);
    assert.ok(times.every((at) => at <= now), `${what}: nothing in the future`);
    const last = history.at(-1)!;
    assert.equal(r.updated_datetime, last.datetime, `${what}: updated when the city last said something`);
    assert.equal(r.extended_attributes.detailed_status, history.findLast((e) => e.detailed_status)!.detailed_status, what);
    assert.equal(r.status, OPEN.includes(r.extended_attributes.detailed_status) ? 'open' : 'closed', what);
    assert.equal(r.status_notes, history.findLast((e) => e.note)?.note ?? null, `${what}: the last public note`);
    if (r.status === 'closed') assert.ok(last.note, `${what}: closed with a word from the city`);
  }
  assert.ok(items.some((r) => r.extended_attributes.history.length >= 3), 'some went through several steps');
});

test('planned demo requests announce a date ahead; notes staff keep to themselves stay out of the public timeline', async () => {
  const { t, items, now } = await demo();
  const planned = items.filter((r) => r.extended_attributes.detailed_status === 'planned');
  assert.ok(planned.length > 0 && planned.every((r) => r.expected_datetime && Date.parse(r.expected_datetime) > now), JSON.stringify(planned.map((r) => r.expected_datetime)));
  const internal = await t.engine.query<{ request_id: number; note: string }>('SELECT request_id, note FROM request_events WHERE public = 0');
  assert.ok(internal.length > 0, 'the back office sees internal notes');
  for (const { request_id, note } of internal) {
    const r = items.find((x) => x.service_request_id === String(request_id))!;
    assert.ok(!r.extended_attributes.history.some((e) => e.note === note) && r.status_notes !== note, `"${note}" is not public`);
  }
});
