import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createInboxStore, type InboxFilters, type InboxQuery } from '../../server/admin/inbox.store.ts';
import { INBOX_SORTS, type InboxSort } from '../../server/shared/inbox.ts';
import { endOfDay, slaClock, slaState } from '../../server/admin/sla.ts';
import { DETAILED_STATUSES } from '../../server/requests/requests.types.ts';
import type { Params, Queryable } from '../../server/db/engine.ts';
import { createTestApp, DEMO, type TestApp } from '../helpers/app.ts';
import { admin, createStaff, staffWith } from '../helpers/admin.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = `j/${DEMO}`;
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
type Item = Record<string, any>;
const ids = (items: Item[]) => items.map((r) => r.service_request_id as string);
const set = (t: TestApp, id: string, fields: Record<string, string | number | null>) =>
  t.engine.run(`UPDATE requests SET ${Object.keys(fields).map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`, { ...fields, id: Number(id) });

describe('SLA states', () => {
  test('the day ends at midnight in the town’s time zone, summer time changes included', () => {
    assert.equal(endOfDay(at('2026-06-01T21:30:00Z'), 'Europe/Paris'), at('2026-06-01T22:00:00Z'), '23:30 in Paris: today ends in half an hour');
    assert.equal(endOfDay(at('2026-06-01T22:30:00Z'), 'Europe/Paris'), at('2026-06-02T22:00:00Z'), '00:30 in Paris is already tomorrow');
    assert.equal(endOfDay(at('2026-06-01T21:30:00Z'), 'UTC'), at('2026-06-02T00:00:00Z'));
    assert.equal(endOfDay(at('2026-03-28T12:00:00Z'), 'Europe/Paris'), at('2026-03-28T23:00:00Z'), 'the eve of summer time: midnight at +01:00');
    assert.equal(endOfDay(at('2026-03-29T12:00:00Z'), 'Europe/Paris'), at('2026-03-29T22:00:00Z'), 'a 23-hour day ends at +02:00');
    assert.equal(endOfDay(at('2026-10-25T12:00:00Z'), 'Europe/Paris'), at('2026-10-25T23:00:00Z'), 'a 25-hour day ends at +01:00');
    assert.equal(endOfDay(at('2026-06-01T08:00:00Z'), 'America/New_York'), at('2026-06-02T04:00:00Z'));
  });

  test('an open request is overdue past its due time, due today until midnight, on time after; closed or without SLA it owes nothing', () => {
    const clock = slaClock(at('2026-06-01T21:30:00Z'), 'Europe/Paris');
    assert.equal(slaState('open', at('2026-06-01T21:29:59Z'), clock), 'overdue');
    assert.equal(slaState('open', clock.now, clock), 'due_today', 'due this very second: not late yet');
    assert.equal(slaState('open', at('2026-06-01T21:59:59Z'), clock), 'due_today');
    assert.equal(slaState('open', at('2026-06-01T22:00:00Z'), clock), 'on_time', 'midnight in Paris is tomorrow');
    assert.equal(slaState('closed', at('2026-05-01T00:00:00Z'), clock), 'none', 'closed late: a statistic, nothing to act on');
    assert.equal(slaState('open', null, clock), 'none');
  });

  test('the list says each request’s state and due time, and filters overdue or due today, in the town’s time zone', async () => {
    const HAND: [name: string, status: 'open' | 'closed', due: string | null][] = [
      ['late', 'open', '2026-06-01T20:00:00Z'], ['tonight', 'open', '2026-06-01T21:45:00Z'], ['afterMidnightInParis', 'open', '2026-06-01T22:30:00Z'],
      ['nextWeek', 'open', '2026-06-08T10:00:00Z'], ['closedLate', 'closed', '2026-05-20T10:00:00Z'], ['noSla', 'open', null],
    ];
    /** The hand-built requests, on a fresh town whose clock reads 23:30 in Paris: their SLA by name, as the list shows them. */
    const town = async (timeZone: string) => {
      const t = await createTestApp({ startMs: Date.parse('2026-06-01T21:30:00Z'), config: { timeZone } });
      await t.engine.run('UPDATE requests SET expected_at = NULL'); // the demo's own requests owe nothing here
      const names = new Map<string, string>();
      for (const [name, status, due] of HAND) {
        const id = await file(t, pothole(t, { description: name }));
        await set(t, id, { status, detailed_status: status === 'open' ? 'received' : 'fixed', expected_at: due && at(due) });
        names.set(id, name);
      }
      const s = await staffWith(t, 'readonly');
      return async (query = '') => {
        const { body } = await admin(t, s, 'GET', `${J}/requests?per_page=500${query}`);
        return Object.fromEntries((body.requests as Item[]).filter((r) => names.has(r.service_request_id)).map((r) => [names.get(r.service_request_id), r.sla]));
      };
    };
    const paris = await town('Europe/Paris');
    assert.deepEqual(await paris(), {
      late: { state: 'overdue', due: '2026-06-01T20:00:00Z' }, tonight: { state: 'due_today', due: '2026-06-01T21:45:00Z' },
      afterMidnightInParis: { state: 'on_time', due: '2026-06-01T22:30:00Z' }, nextWeek: { state: 'on_time', due: '2026-06-08T10:00:00Z' },
      closedLate: { state: 'none', due: '2026-05-20T10:00:00Z' }, noSla: { state: 'none', due: null },
    });
    assert.deepEqual(Object.keys(await paris('&sla=overdue')), ['late']);
    assert.deepEqual(Object.keys(await paris('&sla=due_today')), ['tonight']);
    assert.deepEqual(Object.keys(await paris('&sort=sla')), ['late', 'tonight', 'afterMidnightInParis', 'nextWeek', 'noSla', 'closedLate'],
      'the soonest due first, then those owing nothing, newest first');
    const utc = await town('UTC');
    assert.deepEqual(Object.keys(await utc('&sla=due_today&sort=sla')), ['tonight', 'afterMidnightInParis'], 'in UTC, 22:30 is still today');
  });
});

/** A town with requests of every status, channel, visibility and assignee, some without address or SLA, some sharing a date. */
async function variedTown() {
  const t = await createTestApp();
  const agents = [
    await createStaff(t, 'zoe@ville.example', { [DEMO]: 'agent' }), await createStaff(t, 'adele@ville.example', { [DEMO]: 'agent' }),
    await createStaff(t, 'Bruno@ville.example', { [DEMO]: 'administrator' }),
  ];
  const all = (await t.engine.query<{ id: number; address: string }>("SELECT id, address FROM requests WHERE jurisdiction_id = 'ville.example' ORDER BY id")).map((r) => [r.id, r.address] as const);
  const channels = ['web', 'mobile', 'phone', 'counter', 'email', 'api'];
  const now = Math.floor(t.clock.ms / 1000);
  const sameMoment = (await t.engine.one<{ at: number }>('SELECT requested_at AS at FROM requests ORDER BY id LIMIT 1'))!.at;
  for (const [i, [id, address]] of all.entries()) {
    await set(t, String(id), {
      channel: channels[i % channels.length]!, assignee_id: i % 4 === 0 ? null : agents[i % agents.length]!,
      visibility: i % 9 === 0 ? 'pending' : i % 13 === 0 ? 'hidden' : 'published',
      detailed_status: DETAILED_STATUSES[i % DETAILED_STATUSES.length]!, status: ['received', 'in_progress', 'planned'].includes(DETAILED_STATUSES[i % DETAILED_STATUSES.length]!) ? 'open' : 'closed',
      address: i % 7 === 0 ? null : i % 5 === 0 ? `près de l'${['Église', 'église', 'école'][i % 3]}` : address,
      ...(i % 6 === 0 ? { requested_at: sameMoment } : {}),
      // Some late, some due later, some (every eighth) without SLA; a few share a due time.
      expected_at: i % 8 === 0 ? null : now + ((i % 5) - 2) * 86_400 + (i % 10 === 3 ? 0 : i * 60),
    });
  }
  return t;
}

const CHANNELS = ['web', 'mobile', 'phone', 'counter', 'email', 'api'];
/** SQLite's NOCASE: ASCII letters folded, everything else compared as is. */
const nocase = (s: string | null) => (s === null ? null : s.replace(/[A-Z]/g, (c) => c.toLowerCase()));
const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
const newest = (a: Item, b: Item) => cmp(b.requested_datetime, a.requested_datetime) || cmp(Number(b.service_request_id), Number(a.service_request_id));
const owes = (r: Item) => r.status === 'open' && r.expected_datetime !== null;

/** Each sort's ascending order as the API documents it, written again without SQL. */
const REFERENCE: Record<InboxSort, (a: Item, b: Item) => number> = {
  number: (a, b) => Number(a.service_request_id) - Number(b.service_request_id),
  age: newest,
  place: (a, b) => cmp(nocase(a.address), nocase(b.address)) || newest(a, b),
  sla: (a, b) => cmp(owes(a) ? 0 : 1, owes(b) ? 0 : 1) || (owes(a) ? cmp(a.expected_datetime, b.expected_datetime) : 0) || newest(a, b),
  category: (a, b) => cmp(nocase(a.service_name), nocase(b.service_name)) || newest(a, b),
  assignee: (a, b) => cmp(nocase(a.assignee?.name ?? null), nocase(b.assignee?.name ?? null)) || newest(a, b),
  status: (a, b) => DETAILED_STATUSES.indexOf(a.detailed_status) - DETAILED_STATUSES.indexOf(b.detailed_status) || newest(a, b),
  channel: (a, b) => CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel) || newest(a, b),
};

describe('the inbox’s list', () => {
  test('every sort, both ways, with and without filters, reads pages in the documented order, by index walks or in memory alike', async () => {
    const t = await variedTown();
    const agent = (await t.engine.one<{ id: number }>("SELECT id FROM staff_users WHERE email = 'adele@ville.example'"))!.id;
    const clock = slaClock(Math.floor(t.clock.ms / 1000), 'Europe/Paris');
    const none: InboxFilters = { visibility: null, status: null, serviceCode: null, words: null, assignee: null, sla: null };
    const filters: Partial<InboxFilters>[] = [{}, { status: 'open' }, { status: 'closed' }, { assignee: 'none' }, { assignee: agent, status: 'open' },
      { sla: 'overdue' }, { visibility: 'pending' }, { serviceCode: 'nid-de-poule' }, { serviceCode: 'nid-de-poule', assignee: 'none' }];
    const walking = createInboxStore(t.engine, { sortInMemory: 0 });
    const sorting = createInboxStore(t.engine, { sortInMemory: Infinity });
    let compared = 0;
    for (const f of filters) {
      const base = { ...none, ...f, jurisdictionId: DEMO, clock, limit: 500, offset: 0 };
      const everything = (await sorting.list({ ...base, sort: 'number', descending: false } as InboxQuery)).requests;
      assert.ok(everything.length > 0 || f.visibility === 'pending', JSON.stringify(f));
      for (const sort of INBOX_SORTS) {
        const expected = ids([...everything].sort(REFERENCE[sort]));
        for (const descending of [false, true]) {
          const want = descending ? [...expected].reverse() : expected;
          for (const store of [walking, sorting]) {
            const pages: string[] = [];
            for (let offset = 0; offset < want.length + 5; offset += 5) pages.push(...ids((await store.list({ ...base, sort, descending, limit: 5, offset } as InboxQuery)).requests));
            assert.deepEqual(pages, want, `${JSON.stringify(f)} ${descending ? '-' : ''}${sort} ${store === walking ? 'walking' : 'in memory'}`);
            compared++;
          }
        }
      }
    }
    assert.equal(compared, filters.length * INBOX_SORTS.length * 4);
  });

  // Without it, a page of a walked sort reads and sorts every request of the town (seen on PostgreSQL
  // before migration 020: the place's index kept NULLs last ascending, the walk wants them first).
  test('every sort, both ways, is walked along an index in the page’s own order, never sorted', async () => {
    const t = await variedTown();
    const walks: [string, Params][] = [];
    const watched = new Proxy(t.engine, {
      get: (engine, name) => (name === 'query'
        ? (sql: string, params?: Params) => (/LIMIT \+?@n$/.test(sql) && walks.push([sql, params!]), engine.query(sql, params))
        : Reflect.get(engine, name, engine)),
    }) as Queryable;
    const walking = createInboxStore(watched, { sortInMemory: 0 });
    const clock = slaClock(Math.floor(t.clock.ms / 1000), 'Europe/Paris');
    const none: InboxFilters = { visibility: null, status: null, serviceCode: null, words: null, assignee: null, sla: null };
    for (const sort of INBOX_SORTS) {
      for (const descending of [false, true]) await walking.list({ ...none, jurisdictionId: DEMO, clock, limit: 5, offset: 0, sort, descending });
    }
    assert.ok(walks.length >= INBOX_SORTS.length * 2);
    for (const [sql, params] of walks) {
      // Sorting made as dear as it can be (and scanning the table too): a plan that still sorts has no index in that order.
      const plan = t.engine.kind === 'sqlite'
        ? t.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((r) => r.detail)
        : await t.engine.transaction(async (tx) => {
          await tx.run('SET LOCAL enable_sort = off');
          await tx.run('SET LOCAL enable_incremental_sort = off');
          await tx.run('SET LOCAL enable_seqscan = off');
          return (await tx.query<Record<string, string>>(`EXPLAIN (COSTS OFF) ${sql}`, params)).map((r) => r['QUERY PLAN']!);
        });
      assert.doesNotMatch(plan.join('\n'), /USE TEMP B-TREE FOR ORDER BY|Sort/, `${sql}\n${plan.join('\n')}`);
    }
  });

  test('items carry their assignee by name and their SLA; the API takes assignee, sla and sort, and refuses what it does not know', async () => {
    const t = await variedTown();
    const s = await staffWith(t, 'agent');
    const [mine, other] = [await file(t, pothole(t)), await file(t, pothole(t))];
    await set(t, mine, { assignee_id: s.id });
    const got = (await admin(t, s, 'GET', `${J}/requests?assignee=me`)).body;
    assert.deepEqual(ids(got.requests), [mine]);
    assert.equal(got.total, 1);
    assert.deepEqual(got.requests[0].assignee, { id: String(s.id), name: (await t.engine.one<{ name: string }>('SELECT name FROM staff_users WHERE id = ?', [s.id]))!.name });
    assert.deepEqual(Object.keys(got.requests[0].sla), ['state', 'due']);
    const unassigned = (await admin(t, s, 'GET', `${J}/requests?assignee=none&per_page=500`)).body.requests as Item[];
    assert.ok(unassigned.some((r) => r.service_request_id === other) && unassigned.every((r) => r.assignee === null));
    const byId = (await admin(t, s, 'GET', `${J}/requests?assignee=${s.id}`)).body;
    assert.deepEqual(ids(byId.requests), [mine]);
    const sorted = (await admin(t, s, 'GET', `${J}/requests?sort=-sla&per_page=500`)).body.requests as Item[];
    assert.deepEqual(ids(sorted), ids([...sorted].sort(REFERENCE.sla).reverse()));
    for (const bad of ['sort=oldest', 'sort=--age', 'sla=late', 'assignee=everyone', 'assignee=999999', 'assignee=0', 'status=done', 'per_page=501']) {
      const { status, body } = await admin(t, s, 'GET', `${J}/requests?${bad}`);
      assert.equal(status, 400, bad);
      assert.match(body.error.message, new RegExp(bad.split('=')[0]!), bad);
    }
    const many = await admin(t, s, 'GET', `${J}/requests?sort=x&sla=y`);
    assert.deepEqual([many.status, many.body.error.problems.length], [400, 2], 'each problem named');
    const elsewhere = await createStaff(t, 'ailleurs@autre.example', {});
    assert.equal((await admin(t, s, 'GET', `${J}/requests?assignee=${elsewhere}`)).status, 400, 'not staff of this town');
  });

  test('the queues are counted in one call, each as the list counts its filters', async () => {
    const t = await variedTown();
    const s = await staffWith(t, 'agent');
    for (const id of [await file(t, pothole(t)), await file(t, pothole(t))]) await set(t, id, { assignee_id: s.id });
    const { status, body } = await admin(t, s, 'GET', `${J}/queues`);
    assert.equal(status, 200);
    assert.deepEqual(body.queues.map((q: Item) => q.id), ['mine', 'unassigned', 'overdue', 'moderation']);
    for (const q of body.queues as { id: string; count: number; filters: Record<string, string> }[]) {
      const listed = (await admin(t, s, 'GET', `${J}/requests?${new URLSearchParams(q.filters)}`)).body.total;
      assert.equal(q.count, listed, q.id);
    }
    assert.equal(body.queues[0].count, 2, 'mine: the two given to me');
    assert.ok(body.queues.every((q: Item) => q.count > 0), JSON.stringify(body.queues));
  });

  test('the moderation queue is the list of requests waiting for moderation, with the same sorts', async () => {
    const t = await variedTown();
    const s = await staffWith(t, 'agent');
    const queue = (await admin(t, s, 'GET', `${J}/moderation?sort=-number`)).body;
    const pending = (await admin(t, s, 'GET', `${J}/requests?visibility=pending&sort=-number`)).body;
    assert.ok(queue.total > 0);
    assert.deepEqual(queue, pending);
  });
});
