import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { coreStatus, DETAILED_STATUSES, type Channel, type Status } from '../requests/requests.types.ts';
import { QUEUES, type InboxSort, type Queue } from '../shared/inbox.ts';
import { requestSummary, type Visibility } from './casework.store.ts';
import { slaState, type SlaClock } from './sla.ts';
import { pgWordsMatch } from '../db/text-search.ts';
import { jsonIds } from '../db/json-lists.ts';

/** What narrows the inbox's list; a null filter is not applied. */
export interface InboxFilters {
  visibility: Visibility | null;
  status: 'open' | 'closed' | null;
  serviceCode: string | null;
  /** Words in the title, description or address (full text, prefixes). */
  words: string[] | null;
  /** A staff member's id, or `none` for requests no one has. */
  assignee: number | 'none' | null;
  sla: 'overdue' | 'due_today' | null;
}

export interface InboxQuery extends InboxFilters {
  jurisdictionId: string;
  sort: InboxSort;
  /** The exact reverse of the ascending order (see SORTS). */
  descending: boolean;
  limit: number;
  offset: number;
  clock: SlaClock;
}

/** An ORDER BY term; `nullable`: its value may be NULL, placed first ascending as SQLite places it. */
type Term = [expression: string, direction: 'ASC' | 'DESC', nullable?: 'nullable'];
/** Newest first: the order within every sort key, so pages never overlap. */
const NEWEST: Term[] = [['r.requested_at', 'DESC'], ['r.id', 'DESC']];
const HAS_DUE = "r.status = 'open' AND r.expected_at IS NOT NULL";
const CHANNEL_ORDER: Channel[] = ['web', 'mobile', 'phone', 'counter', 'email', 'api'];
type Key = string | number | null;

/** `CASE column WHEN 'a' THEN 0 … END`: a closed vocabulary sorted in its own order, not alphabetically. */
const ranked = (column: string, words: readonly string[]) => `CASE ${column} ${words.map((w, i) => `WHEN '${w}' THEN ${i}`).join(' ')} END`;

/**
 * Each sort in its ascending order: the youngest first for age; the soonest due first for SLA, then the
 * requests that owe nothing (closed, or no SLA); places by the address as written, those without one
 * first; categories and assignees by name (requests no one has first); statuses and channels in the
 * vocabulary's order; within a value, the newest first. Descending is the exact reverse.
 *
 * Each is written twice, for the two ways a page is read (see `pageIds`): `sorted`, the whole order as
 * expressions no index can serve (a unary `+`), so SQLite finds the matches by their most selective
 * index and sorts them; `arms`, index walks read one after the other, each in an index's order (those of
 * migration 011), stopping at the page's end. A keyed sort (`@key`) has an arm per value of its column,
 * in the order above.
 */
interface Arm {
  condition: string | null;
  order: Term[];
  /** False when the filters rule the arm out (it would read its whole range for nothing). */
  applies?: (q: InboxFilters) => boolean;
}

const SORTS: Record<InboxSort, { sorted: Term[]; arms: Arm[] }> = {
  number: { sorted: [['+r.id', 'ASC']], arms: [{ condition: null, order: [['r.id', 'ASC']] }] },
  age: { sorted: [['+r.requested_at', 'DESC'], ['+r.id', 'DESC']], arms: [{ condition: null, order: NEWEST }] },
  place: {
    sorted: [['(+r.address) COLLATE NOCASE', 'ASC', 'nullable'], ...NEWEST],
    arms: [{ condition: null, order: [['r.address COLLATE NOCASE', 'ASC', 'nullable'], ...NEWEST] }],
  },
  sla: {
    sorted: [[`NOT (${HAS_DUE})`, 'ASC'], [`CASE WHEN ${HAS_DUE} THEN r.expected_at END`, 'ASC', 'nullable'], ...NEWEST],
    arms: [
      { condition: HAS_DUE, order: [['r.expected_at', 'ASC'], ...NEWEST], applies: (q) => q.status !== 'closed' },
      { condition: `NOT (${HAS_DUE})`, order: NEWEST, applies: (q) => q.sla === null },
    ],
  },
  category: { sorted: [['s.name COLLATE NOCASE', 'ASC'], ['s.id', 'ASC'], ...NEWEST], arms: [{ condition: 'r.service_id IS @key', order: NEWEST }] },
  assignee: { sorted: [['u.name COLLATE NOCASE', 'ASC', 'nullable'], ['u.id', 'ASC', 'nullable'], ...NEWEST], arms: [{ condition: 'r.assignee_id IS @key', order: NEWEST }] },
  status: { sorted: [[ranked('r.detailed_status', DETAILED_STATUSES), 'ASC', 'nullable'], ...NEWEST], arms: [{ condition: 'r.detailed_status IS @key', order: NEWEST }] },
  channel: { sorted: [[ranked('r.channel', CHANNEL_ORDER), 'ASC', 'nullable'], ...NEWEST], arms: [{ condition: 'r.channel IS @key', order: NEWEST }] },
};

/**
 * Up to this many matches are sorted in memory; beyond, the page is read by index walks. Walking costs
 * about (page end × all requests ÷ matches) rows, sorting about the matches: they cross near
 * √(500 × 100,000) ≈ 7,000 for a page of 500 at 100,000 requests.
 */
export const SORT_IN_MEMORY = 5000;

const flip = (order: Term[]): Term[] => order.map(([e, d, n]) => [e, d === 'ASC' ? 'DESC' : 'ASC', n]);

/**
 * A term as PostgreSQL reads it: without SQLite's planner hint (the unary `+`), NOCASE as SQLite defines
 * it (ASCII letters folded, then bytes compared: `lower` of a `COLLATE "C"` column, pg-migrations/001,
 * which the index `requests_by_place` holds), and NULLs placed where SQLite places them (first
 * ascending, last descending), which PostgreSQL's default reverses.
 */
const forPostgres = ([e, d, nullable]: Term) =>
  `${e.replace(/\+(?=[a-z]\.)/g, '').replace(/\(?([a-z]\.\w+)\)? COLLATE NOCASE/g, 'lower($1)')} ${d}${nullable ? (d === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST') : ''}`;
const orderBy = (kind: Queryable['kind'], order: Term[]) =>
  order.map((t) => (kind === 'sqlite' ? `${t[0]} ${t[1]}` : forPostgres(t))).join(', ');

/** An FTS5 expression matching every word as a prefix, quoted so no FTS syntax gets through. */
const ftsMatch = (words: string[]) => words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');

const VISIBILITIES: Record<Visibility, string> = { pending: 'pending', published: 'published', hidden: 'hidden' };
const STATUSES: Record<Status, string> = { open: 'open', closed: 'closed' };

type Filtered = InboxFilters & { jurisdictionId: string; clock: SlaClock };

/** The conditions of the filters given (fixed SQL; values go in as named parameters). */
function where(kind: Queryable['kind'], q: Filtered) {
  const conditions = ['r.jurisdiction_id = @jurisdiction', 'r.queued = 0'];
  const params: Record<string, Key> = { jurisdiction: q.jurisdictionId };
  const add = (condition: string, values: Record<string, Key> = {}) => {
    conditions.push(condition);
    Object.assign(params, values);
  };
  // Closed vocabularies, written as literals so that SQLite may use the partial indexes they imply.
  if (q.visibility) add(`r.visibility = '${VISIBILITIES[q.visibility]}'`);
  if (q.status) add(`r.status = '${STATUSES[q.status]}'`);
  if (q.serviceCode) add('r.service_id = (SELECT id FROM services WHERE jurisdiction_id = @jurisdiction AND code = @service)', { service: q.serviceCode });
  if (q.words && kind === 'sqlite') add('r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH @match)', { match: ftsMatch(q.words) });
  else if (q.words) add(pgWordsMatch('@words'), { words: JSON.stringify(q.words) });
  if (q.assignee === 'none') add('r.assignee_id IS NULL');
  else if (q.assignee !== null) add('r.assignee_id = @assignee', { assignee: q.assignee });
  if (q.sla === 'overdue') add("r.status = 'open' AND r.expected_at < @now", { now: q.clock.now });
  if (q.sla === 'due_today') add("r.status = 'open' AND r.expected_at >= @now AND r.expected_at < @endOfToday", { now: q.clock.now, endOfToday: q.clock.endOfToday });
  return { conditions, params };
}

type Row = Record<string, string | number | null>;

export type InboxStore = ReturnType<typeof createInboxStore>;

/** The statements whose text differs by engine: JSON lists read with json_each on SQLite, json_array_elements_text on PostgreSQL. */
const TEXTS = {
  sqlite: {
    servicesByName: 'SELECT id FROM services WHERE jurisdiction_id = ? ORDER BY name COLLATE NOCASE, id',
    staffByName: 'SELECT u.id FROM staff_users u JOIN staff_roles r ON r.staff_id = u.id WHERE r.jurisdiction_id = ? ORDER BY u.name COLLATE NOCASE, u.id',
    page: 'FROM json_each(?) k JOIN requests r ON r.id = k.value',
    limit: 'LIMIT +@limit OFFSET +@offset',
    walk: 'LIMIT +@n',
  },
  postgres: {
    servicesByName: 'SELECT id FROM services WHERE jurisdiction_id = ? ORDER BY lower(name), id',
    staffByName: 'SELECT u.id FROM staff_users u JOIN staff_roles r ON r.staff_id = u.id WHERE r.jurisdiction_id = ? ORDER BY lower(u.name), u.id',
    page: 'FROM json_array_elements_text(CAST(CAST(? AS text) AS json)) WITH ORDINALITY AS k(value, key) JOIN requests r ON r.id = CAST(k.value AS bigint)',
    limit: 'LIMIT @limit OFFSET @offset',
    walk: 'LIMIT @n',
  },
};

/**
 * The agent's inbox: a town's requests (whatever their visibility) filtered, sorted by any column and
 * paged, each with its assignee and SLA state; the counts of its queues; and what bulk actions check.
 * Statements are built from fixed fragments for each combination of filters and sort (the engine keeps
 * each prepared). `sortInMemory` moves the line between the two ways of reading a page (tests read both).
 *
 * PostgreSQL reads the same statements less SQLite's planner hints, with its text search (`search`,
 * see `where`), NOCASE and NULL order spelt out (`forPostgres`), and a keyed arm's `IS @key` written
 * `= @key` or `IS NULL` (PostgreSQL's `IS NOT DISTINCT FROM` uses no index).
 */
export function createInboxStore(db: Queryable, options: { sortInMemory?: number } = {}) {
  const sortInMemory = options.sortInMemory ?? SORT_IN_MEMORY;
  const text = TEXTS[db.kind];
  const ids = async (sql: string, params: readonly Key[]) => (await db.query<{ id: number }>(sql, params)).map((r) => Number(r.id));
  const servicesByName = (jurisdictionId: string) => ids(text.servicesByName, [jurisdictionId]);
  // Every staff member with a role in the town (a trigger takes requests from those who lose theirs).
  const staffByName = (jurisdictionId: string) => ids(text.staffByName, [jurisdictionId]);
  const serviceOf = (jurisdictionId: string, code: string) => ids('SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?', [jurisdictionId, code]);
  const page = `SELECT r.id, s.code AS service_code, s.name AS service_name, r.status, r.detailed_status, r.visibility, r.title, r.description,
       r.address, r.lat, r.long, r.channel, r.requested_at, r.updated_at, r.expected_at, r.assigned_department, r.followers,
       r.assignee_id, u.name AS assignee_name
     ${text.page} JOIN services s ON s.id = r.service_id LEFT JOIN staff_users u ON u.id = r.assignee_id
     ORDER BY k.key`;
  const targets = `SELECT id, visibility, duplicate_of FROM requests
     WHERE jurisdiction_id = ? AND queued = 0 AND id IN (${jsonIds(db, '?')})`;

  const count = async (q: Filtered) => {
    const w = where(db.kind, q);
    return Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM requests r WHERE ${w.conditions.join(' AND ')}`, w.params))!.n);
  };

  /**
   * The values of a keyed sort's column, in the order they are shown, less those the filters rule out
   * (an arm that can match nothing would still read its whole range).
   */
  const keys: Partial<Record<InboxSort, (q: InboxQuery) => Promise<Key[]>>> = {
    category: (q) => (q.serviceCode ? serviceOf(q.jurisdictionId, q.serviceCode) : servicesByName(q.jurisdictionId)),
    assignee: async (q) => (q.assignee === null ? [null, ...(await staffByName(q.jurisdictionId))] : [q.assignee === 'none' ? null : q.assignee]),
    status: async (q) => {
      const core = q.sla ? 'open' : q.status;
      return DETAILED_STATUSES.filter((s) => core === null || coreStatus(s) === core);
    },
    channel: async () => CHANNEL_ORDER,
  };

  /** The page's ids, the matches sorted in one statement (few matches). */
  async function sortedIds(q: InboxQuery, w: ReturnType<typeof where>): Promise<number[]> {
    const order = q.descending ? flip(SORTS[q.sort].sorted) : SORTS[q.sort].sorted;
    const joins = { category: 'JOIN services s ON s.id = r.service_id', assignee: 'LEFT JOIN staff_users u ON u.id = r.assignee_id' }[q.sort as string] ?? '';
    const read = `SELECT r.id FROM requests r ${joins} WHERE ${w.conditions.join(' AND ')} ORDER BY ${orderBy(db.kind, order)} ${text.limit}`;
    return (await db.query<{ id: number }>(read, { ...w.params, limit: q.limit, offset: q.offset })).map((r) => Number(r.id));
  }

  /** A keyed arm's condition on this engine: PostgreSQL compares with `=`, or tests `IS NULL` for no value. */
  const armCondition = (condition: string, key: Key) =>
    db.kind === 'sqlite' || !condition.endsWith(' IS @key') ? condition : condition.replace(/ IS @key$/, key === null ? ' IS NULL' : ' = @key');

  /** The page's ids, each arm's index walked in turn, skipping what earlier pages showed (many matches). */
  async function walkedIds(q: InboxQuery, w: ReturnType<typeof where>): Promise<number[]> {
    const values = (await keys[q.sort]?.(q)) ?? [null];
    let arms = SORTS[q.sort].arms.filter((arm) => arm.applies?.(q) ?? true).flatMap((arm) => values.map((key) => ({ ...arm, key })));
    if (q.descending) arms = arms.reverse().map((arm) => ({ ...arm, order: flip(arm.order) }));
    const found: number[] = [];
    let skip = q.offset;
    for (const arm of arms) {
      const condition = arm.condition && armCondition(arm.condition, arm.key);
      const conditions = condition ? [...w.conditions, condition] : w.conditions;
      const read = `SELECT r.id FROM requests r WHERE ${conditions.join(' AND ')} ORDER BY ${orderBy(db.kind, arm.order)} ${text.walk}`;
      const rows = await db.query<{ id: number }>(read, { ...w.params, ...(condition?.includes('@key') ? { key: arm.key } : {}), n: skip + q.limit - found.length });
      if (rows.length <= skip) {
        skip -= rows.length;
        continue;
      }
      found.push(...rows.slice(skip).map((r) => Number(r.id)));
      skip = 0;
      if (found.length === q.limit) break;
    }
    return found;
  }

  return {
    /** A page of the list and how many requests match in all. */
    async list(q: InboxQuery) {
      const w = where(db.kind, q);
      const total = await count(q);
      const pageIds = total <= sortInMemory ? await sortedIds(q, w) : await walkedIds(q, w);
      const rows = await db.query<Row>(page, [JSON.stringify(pageIds)]);
      return {
        total,
        requests: rows.map((r) => {
          const due = r.expected_at === null ? null : Number(r.expected_at);
          return { ...requestSummary(r), sla: { state: slaState(r.status as 'open' | 'closed', due, q.clock), due: due === null ? null : formatDatetime(due) } };
        }),
      };
    },

    /** How many requests each queue holds for `staffId` (whose queue is "mine"), at the clock's time. */
    async queues(jurisdictionId: string, staffId: number, clock: SlaClock): Promise<Record<Queue, number>> {
      const none: InboxFilters = { visibility: null, status: null, serviceCode: null, words: null, assignee: null, sla: null };
      const counted = await Promise.all(Object.entries(QUEUES).map(async ([queue, filters]) => {
        const assignee = 'assignee' in filters ? (filters.assignee === 'me' ? staffId : 'none') : null;
        return [queue, await count({ ...none, ...filters, assignee, jurisdictionId, clock })] as const;
      }));
      return Object.fromEntries(counted) as Record<Queue, number>;
    },

    /** The requests among `ids` that belong to the town, by id, with what bulk actions check. */
    async targets(jurisdictionId: string, ids: number[]) {
      const rows = await db.query<{ id: number; visibility: Visibility; duplicate_of: number | null }>(targets, [jurisdictionId, JSON.stringify(ids)]);
      return new Map(rows.map((r) => [r.id, { visibility: r.visibility, duplicateOf: r.duplicate_of }]));
    },
  };
}
