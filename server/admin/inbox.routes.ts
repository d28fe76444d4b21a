import { Hono, type Context } from 'hono';
import { readJsonObject } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { BULK_ACTIONS, INBOX_SORTS, MAX_BULK, QUEUES, type InboxSort } from '../shared/inbox.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';
import type { AssignmentStore, StaffRef } from './assignment.store.ts';
import { createBulkActions, type BulkAction, type BulkDeps } from './bulk.ts';
import type { CaseworkStore, Visibility } from './casework.store.ts';
import { detailedStatus, text } from './casework.routes.ts';
import type { InboxFilters, InboxStore } from './inbox.store.ts';
import { slaClock } from './sla.ts';

export interface InboxDeps extends BulkDeps {
  inbox: InboxStore;
  casework: CaseworkStore;
  assignments: AssignmentStore;
  access: AdminAccess;
  /** The towns' time zone: "due today" ends at its midnight. */
  timeZone: string;
  /** Whether the server sends e-mail (then assignees are told). */
  canEmail: boolean;
  now: () => number;
}

const J = TOWN_PATH;
const ID = /^[1-9][0-9]{0,14}$/;

/** A request or staff id given as a number or a string of digits, or undefined. */
const idOf = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && ID.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * The agent's inbox (`/admin/api/j/:jurisdiction/…`): the list of a town's requests filtered, sorted by
 * any column and paged, each with its assignee and SLA state (`GET requests`; `GET moderation` is its
 * queue of requests waiting for moderation); the counts of the inbox's queues in one call (`GET queues`);
 * who may be given requests (`GET assignees`); assignment to a person (`PUT requests/:id/assignee`);
 * and bulk actions on a selection (`POST requests/bulk`). Reading needs `readonly`, acting `agent`.
 */
export function createInboxRoutes(deps: InboxDeps) {
  const { inbox } = deps;
  const { role } = deps.access;
  const bulk = createBulkActions(deps);
  const app = new Hono<AdminEnv>();
  const seconds = () => Math.floor(deps.now() / 1000);
  const me = (c: Context<AdminEnv>): StaffRef => ({ id: c.get('session').staff.id, name: c.get('session').staff.name });

  /** `staff_id` of a body: someone who may be given the town's requests, or null (nobody); else 400. */
  const assignee = async (c: Context<AdminEnv>, b: Record<string, unknown>): Promise<StaffRef | null> => {
    if (!('staff_id' in b)) throw new JsonError(400, 'staff_id is required (null takes the request from whoever has it)');
    if (b.staff_id === null) return null;
    const id = idOf(b.staff_id);
    const found = (await deps.access.assignees(c.get('jurisdiction').id)).find((s) => s.id === id);
    if (!found) throw new JsonError(400, `staff_id must be the id of staff who may act in ${c.get('jurisdiction').id}, or null`);
    return found;
  };

  /** The list's filters, sort and page from the query string; anything else given is refused with 400. */
  const listQuery = async (c: Context<AdminEnv>, fixed: Partial<InboxFilters> = {}) => {
    const q = c.req.query();
    const j = c.get('jurisdiction').id;
    const problems: string[] = [];
    const one = <T extends string>(name: string, allowed: readonly T[]): T | null => {
      const v = q[name];
      if (v === undefined || v === '') return null;
      if (!(allowed as readonly string[]).includes(v)) problems.push(`${name} must be one of ${allowed.join(', ')}`);
      return v as T;
    };
    const whole = (name: string, fallback: number, max: number) => {
      const v = Number(q[name] ?? fallback);
      if (!Number.isInteger(v) || v < 1 || v > max) problems.push(`${name} must be a whole number from 1 to ${max}`);
      return v;
    };
    const visibility = one<Visibility>('visibility', ['pending', 'published', 'hidden']);
    const status = one('status', ['open', 'closed'] as const);
    const sla = one('sla', ['overdue', 'due_today'] as const);
    const sort = one('sort', [...INBOX_SORTS, ...INBOX_SORTS.map((s) => `-${s}` as const)]) ?? 'age';
    const page = whole('page', 1, 100_000);
    const perPage = whole('per_page', 50, 500);
    let assigned: InboxFilters['assignee'] = null;
    if (q.assignee === 'me') assigned = me(c).id;
    else if (q.assignee === 'none') assigned = 'none';
    else if (q.assignee) {
      assigned = (await deps.access.assignees(j)).find((s) => s.id === idOf(q.assignee))?.id ?? null;
      if (assigned === null) problems.push(`assignee must be me, none or the id of staff who may act in ${j}`);
    }
    if (problems.length) throw new JsonError(400, problems.length === 1 ? problems[0]! : 'the query has errors', problems.length === 1 ? [] : problems);
    const words = q.q?.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
    return {
      jurisdictionId: j, visibility, status, sla, serviceCode: q.service_code || null, words: words?.length ? words : null, assignee: assigned,
      ...fixed, sort: sort.replace(/^-/, '') as InboxSort, descending: sort.startsWith('-'), limit: perPage, offset: (page - 1) * perPage,
      clock: slaClock(seconds(), deps.timeZone),
    };
  };

  app.get(`${J}/requests`, role('readonly'), async (c) => c.json(await inbox.list(await listQuery(c))));
  app.get(`${J}/moderation`, role('agent'), async (c) => c.json(await inbox.list(await listQuery(c, { visibility: 'pending' }))));

  app.get(`${J}/queues`, role('readonly'), async (c) => {
    const counts = await inbox.queues(c.get('jurisdiction').id, me(c).id, slaClock(seconds(), deps.timeZone));
    return c.json({ queues: Object.entries(QUEUES).map(([id, filters]) => ({ id, count: counts[id as keyof typeof QUEUES], filters })) });
  });

  app.get(`${J}/assignees`, role('readonly'), async (c) =>
    c.json({ assignees: (await deps.access.assignees(c.get('jurisdiction').id)).map((s) => ({ id: String(s.id), name: s.name })) }));

  app.put(`${J}/requests/:id{[1-9][0-9]{0,14}}/assignee`, role('agent'), async (c) => {
    const j = c.get('jurisdiction').id;
    const id = Number(c.req.param('id'));
    if (!(await deps.casework.get(j, id))) throw new JsonError(404, `request ${id} is not a request of ${j}`);
    const to = await assignee(c, await readJsonObject(c));
    await deps.assignments.assign({ jurisdictionId: j, ids: [id], to, by: me(c), mail: deps.canEmail, now: seconds() });
    return c.json(await deps.casework.get(j, id));
  });

  app.post(`${J}/requests/bulk`, role('agent'), async (c) => {
    const b = await readJsonObject(c);
    const ids = Array.isArray(b.ids) ? b.ids.map(idOf) : [];
    if (!Array.isArray(b.ids) || ids.length < 1 || ids.length > MAX_BULK || ids.some((id) => id === undefined)) {
      throw new JsonError(400, `ids must be a list of 1 to ${MAX_BULK} request ids`);
    }
    const action = async (): Promise<BulkAction> => {
      switch (b.action) {
        case 'assign':
          return { action: 'assign', to: await assignee(c, b) };
        case 'status':
          return { action: 'status', detailedStatus: detailedStatus(b), note: text(b, 'note', false) ?? null };
        case 'publish':
          return { action: 'publish' };
        case 'reject':
          return { action: 'reject', reason: text(b, 'reason', true, 500)! };
        case 'merge': {
          const into = idOf(b.into);
          if (into === undefined) throw new JsonError(400, 'into must be the id of the request the others join');
          return { action: 'merge', into };
        }
        default:
          throw new JsonError(400, `action must be one of ${BULK_ACTIONS.join(', ')}`);
      }
    };
    const changed = await bulk.run(c.get('jurisdiction').id, ids as number[], await action(), me(c), { mail: deps.canEmail, now: seconds() });
    return c.json({ action: b.action, changed: changed.map(String) });
  });
  return app;
}
