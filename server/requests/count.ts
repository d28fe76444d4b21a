import type { Queryable } from '../db/engine.ts';

/**
 * Matches of a query are counted one by one up to this many; past it the total is estimated, because
 * counting the 30,000 requests of a busy neighbourhood, or the million of a whole city, takes tens to
 * hundreds of milliseconds where the page itself takes a tenth of one (`npm run bench`, phase 2).
 */
export const EXACT_COUNT_LIMIT = 200;

const DAY = 86_400;

/** How many requests match a query: exactly, or estimated when there are more than EXACT_COUNT_LIMIT. */
export interface MatchCount {
  value: number;
  exact: boolean;
}

/**
 * Estimates a total from its newest matches: `counted` matches arrived from `oldest` to `end`, and the
 * whole window runs from `from` to `end`. The jurisdiction's arrival profile (`request_days`) says what
 * share of the window's requests arrived from `oldest` on; the matches are taken to arrive in the same
 * proportion (weekends, holidays and growth cancel out; a filter whose matches cluster in time, such as
 * open requests, which are mostly recent, is estimated less well).
 */
export function createCountEstimator(db: Queryable) {
  return async (jurisdictionId: string, window: { from: number; end: number }, oldest: number, counted: number): Promise<number> => {
    const { from, end } = window;
    const rows = await db.query<{ day: number; n: number }>(
      'SELECT day, n FROM request_days WHERE jurisdiction_id = ? AND day BETWEEN ? AND ?',
      [jurisdictionId, Math.floor(from / DAY), Math.floor(end / DAY)],
    );
    /** Requests that arrived from `start` to `end`, a partial day counting in proportion. */
    const arrivals = (start: number) =>
      rows.reduce((sum, { day, n }) => {
        const overlap = Math.min(end + 1, (day + 1) * DAY) - Math.max(start, day * DAY);
        return overlap > 0 ? sum + (n * overlap) / DAY : sum;
      }, 0);
    const recent = arrivals(oldest);
    const share = recent > 0 ? arrivals(from) / recent : (end - from + 1) / Math.max(1, end - oldest + 1);
    return Math.max(counted, Math.round(counted * share));
  };
}
