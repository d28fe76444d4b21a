import type { SlaState } from '../shared/inbox.ts';
import { createCalendar, type Calendar } from './calendar.ts';

/** The moments the SLA rule compares a due time with, in Unix seconds. */
export interface SlaClock {
  now: number;
  /** The next midnight in the town's time zone: what falls before it is due today. */
  endOfToday: number;
}

/**
 * The SLA rule, one for the list, its filters (`sla=overdue|due_today`) and its queue counts. The due
 * time is the request's expected date (`expected_datetime`): set at filing from its category's SLA hours,
 * and moved when staff or the CRM announce another date. An open request (held for moderation or not)
 * with a due time is:
 * - `overdue` once its due time has passed (`due < now`);
 * - `due_today` when it falls from now to the next midnight in the town's time zone;
 * - `on_time` when it falls later.
 *
 * A closed request is `none` (nothing is owed any more: whether it closed in time is a statistic, not
 * something to act on), and so is an open one without a due time (its category has no SLA).
 */
export function slaState(status: 'open' | 'closed', due: number | null, clock: SlaClock): SlaState {
  if (status !== 'open' || due === null) return 'none';
  if (due < clock.now) return 'overdue';
  return due < clock.endOfToday ? 'due_today' : 'on_time';
}

/** The server's towns share one time zone (checked at start-up): its calendar is made once. */
const calendars = new Map<string, Calendar>();

/** The next midnight after `now` (Unix seconds) in `timeZone`: the end of "today" for staff of a town there. */
export function endOfDay(now: number, timeZone: string): number {
  let calendar = calendars.get(timeZone);
  if (!calendar) calendars.set(timeZone, (calendar = createCalendar(timeZone)));
  return calendar.endOfDay(now);
}

/** The SLA clock at `now` (Unix seconds) for a town in `timeZone`. */
export const slaClock = (now: number, timeZone: string): SlaClock => ({ now, endOfToday: endOfDay(now, timeZone) });
