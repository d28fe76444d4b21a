/**
 * The figures of the statistics, from counts and durations the store reads: pure functions, so that each
 * definition is written once and tested on its own.
 */

/**
 * The `p`-quantile of ascending `sorted` values, interpolated between the two nearest ranks (a
 * spreadsheet's PERCENTILE.INC; `p` = 0.5 is the usual median); null when there are none.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (rank - below) * (sorted[above]! - sorted[below]!);
}

/** Seconds as hours with one decimal. */
const hours = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 360) / 10);

/** How long closing took, over the requests closed: how many, the median and the 90th percentile, in hours. */
export interface TimeToClose {
  closed: number;
  median_hours: number | null;
  p90_hours: number | null;
}

/** The time to close of `seconds` (each request's, in any order). */
export function timeToClose(seconds: number[]): TimeToClose {
  const sorted = [...seconds].sort((a, b) => a - b);
  return { closed: sorted.length, median_hours: hours(percentile(sorted, 0.5)), p90_hours: hours(percentile(sorted, 0.9)) };
}

/**
 * Requests against their expected date (see the README, "Statistics"): closed by it (`on_time`), closed
 * after it or still open past it (`late`), open and not yet due (`not_yet_due`), or without one
 * (`without_sla`). The share on time counts the requests whose outcome is known: on time / (on time +
 * late), with three decimals; null when there are none.
 */
export interface Sla {
  on_time: number;
  late: number;
  not_yet_due: number;
  without_sla: number;
  on_time_share: number | null;
}

export type SlaCounts = Omit<Sla, 'on_time_share'>;

export const noSla = (): SlaCounts => ({ on_time: 0, late: 0, not_yet_due: 0, without_sla: 0 });

/** Adds `more` to `into`. */
export function addSla(into: SlaCounts, more: SlaCounts): SlaCounts {
  for (const k of Object.keys(into) as (keyof SlaCounts)[]) into[k] += more[k];
  return into;
}

export function sla(c: SlaCounts): Sla {
  const known = c.on_time + c.late;
  return { ...c, on_time_share: known === 0 ? null : Math.round((c.on_time / known) * 1000) / 1000 };
}

/** Counts by key, the largest first. */
export function tally<T>(rows: Iterable<T>, key: (row: T) => string, weight: (row: T) => number): Record<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + weight(r));
  return Object.fromEntries([...out].sort((a, b) => b[1] - a[1]));
}
