/**
 * The inbox's vocabulary, shared by the server (the list's parameters, the queue counts) and the back
 * office (its sortable columns, its queue links): TypeScript only, no Node API.
 */

/** The columns the inbox sorts by (`sort=age`, `sort=-age` for the reverse). */
export const INBOX_SORTS = ['number', 'category', 'place', 'age', 'status', 'sla', 'assignee', 'channel'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** A request's standing against its service-level target (see server/admin/sla.ts for the rule). */
export const SLA_STATES = ['on_time', 'due_today', 'overdue', 'none'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/**
 * The inbox's queues, each a set of the list's filters as its query string writes them (`me`: whoever
 * asks): the back office shows them as links, and the server counts them all in one call.
 */
export const QUEUES = {
  mine: { assignee: 'me', status: 'open' },
  unassigned: { assignee: 'none', status: 'open' },
  overdue: { sla: 'overdue' },
  moderation: { visibility: 'pending' },
} as const;
export type Queue = keyof typeof QUEUES;

/** The bulk actions on a selection, and how many requests one selection may hold. */
export const BULK_ACTIONS = ['assign', 'status', 'publish', 'reject', 'merge'] as const;
export type BulkActionName = (typeof BULK_ACTIONS)[number];
/** A selection is at most a page and a half of the inbox: a day's triage, with bounded work per call. */
export const MAX_BULK = 200;
