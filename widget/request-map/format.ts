import type { DetailedStatus, PublicRequest } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';

/** A datetime from the API, as a date in the widget's language. */
export const dateOf = (lang: string, iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso));

/** A request's status in words: its detailed status when the server gave it, else open or closed. */
export function statusOf(t: Messages, r: Pick<PublicRequest, 'status' | 'extended_attributes'>): string {
  const detailed: DetailedStatus | undefined = r.extended_attributes?.detailed_status;
  return detailed ? t.statuses[detailed] : r.status === 'open' ? t.map.open : t.map.closed;
}
