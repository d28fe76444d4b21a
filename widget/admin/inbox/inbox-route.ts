import { INBOX_SORTS, type InboxSort, type SlaState } from '../../../server/shared/inbox.ts';
import type { RequestSummary } from '../request-doc.ts';

/** A request as the inbox lists it (`GET …/requests`): with its SLA state. */
export interface InboxItem extends RequestSummary {
  status: 'open' | 'closed';
  sla: { state: SlaState; due: string | null };
}

export interface InboxPage {
  total: number;
  requests: InboxItem[];
}

/** The list's parameters the hash keeps (the API's own names), in the order they are written. */
export const LIST_PARAMS = ['q', 'status', 'visibility', 'service_code', 'assignee', 'sla', 'sort', 'page'] as const;

/** The sort a query asks for: its column and whether it is reversed (`sort=-sla`); the newest first by default. */
export function sortOf(query: URLSearchParams): { key: InboxSort; descending: boolean } {
  const given = query.get('sort') ?? '';
  const key = given.replace(/^-/, '') as InboxSort;
  return INBOX_SORTS.includes(key) ? { key, descending: given.startsWith('-') } : { key: 'age', descending: false };
}

/** The list's parameters of a hash query, unknown ones and empty values left out. */
export function listQuery(query: string): URLSearchParams {
  const given = new URLSearchParams(query);
  return new URLSearchParams(LIST_PARAMS.flatMap((name) => (given.get(name) ? [[name, given.get(name)!]] : [])));
}

/**
 * The hash of an inbox view: its section (`requests`, or `moderation` whose queue is fixed), the request
 * open beside the list (if any) and the list's parameters, so that reloading, sharing the address or
 * going back shows the same view.
 */
export function inboxHash(section: string, id: string | null, query: URLSearchParams): string {
  const q = query.toString();
  return `#/${section}${id ? `/${encodeURIComponent(id)}` : ''}${q ? `?${q}` : ''}`;
}
