import type { SlaState } from '../shared/inbox.ts';

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

/** Wall-clock parts of a moment in a time zone. */
const parts = (ms: number, timeZone: string) => {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
};

/** How far the time zone's wall clock is ahead of UTC at `ms`, in milliseconds. */
const offsetAt = (ms: number, timeZone: string) => {
  const p = parts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
};

/**
 * The next midnight after `now` (Unix seconds) in `timeZone`, in Unix seconds: the end of "today" for
 * staff of a town there. Midnight's offset is found from the offset an hour earlier and checked once,
 * so a day that changes to or from summer time ends at its real midnight.
 */
export function endOfDay(now: number, timeZone: string): number {
  const today = parts(now * 1000, timeZone);
  const wallMidnight = Date.UTC(today.year, today.month - 1, today.day + 1);
  let guess = wallMidnight - offsetAt(wallMidnight - 3_600_000, timeZone);
  guess = wallMidnight - offsetAt(guess, timeZone);
  return Math.floor(guess / 1000);
}

/** The SLA clock at `now` (Unix seconds) for a town in `timeZone`. */
export const slaClock = (now: number, timeZone: string): SlaClock => ({ now, endOfToday: endOfDay(now, timeZone) });
