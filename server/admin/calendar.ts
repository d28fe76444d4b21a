const DAY = 86_400;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A span of the town's calendar: a day or an ISO week, as instants `[start, end)` (Unix seconds). */
export interface Span {
  /** Its first day, `YYYY-MM-DD` in the town's time zone. */
  first: string;
  /** Its last day. */
  last: string;
  start: number;
  end: number;
  /** `2026-W23` for a week; its date for a day. */
  label: string;
}

export type Calendar = ReturnType<typeof createCalendar>;

/** `YYYY-MM-DD` of a day counted from 1970-01-01. */
const dateOfDay = (day: number) => new Date(day * DAY * 1000).toISOString().slice(0, 10);

/** The ISO week (`2026-W01`) of the week starting on Monday `monday` (days since 1970-01-01). */
function isoWeek(monday: number): string {
  // The week belongs to the year of its Thursday, and is numbered from that year's first Thursday's week.
  const thursday = new Date((monday + 3) * DAY * 1000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY * 1000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The town's calendar: its days and ISO weeks (Monday to Sunday) in its time zone (an IANA name, checked
 * at start-up), summer time included. A request filed on Monday at 00:30 in Paris counts in that
 * Monday's week although it is still Sunday in UTC. Built on `Intl` alone.
 */
export function createCalendar(timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  /** Seconds the town's clock is ahead of UTC at `t`. */
  const offsetAt = (t: number): number => {
    const p: Record<string, number> = {};
    for (const { type, value } of parts.formatToParts(t * 1000)) p[type] = Number(value);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) / 1000 - t;
  };
  /** The day (since 1970-01-01) the town's calendar shows at `t`. */
  const dayAt = (t: number) => Math.floor((t + offsetAt(t)) / DAY);
  /**
   * When the town's day `day` starts. Where the clocks jump over midnight (Beirut, Santiago), the day
   * starts at the jump, the first instant it shows.
   */
  const startOfDay = (day: number): number => {
    const midnight = day * DAY;
    const t = midnight - offsetAt(midnight - offsetAt(midnight));
    return dayAt(t) === day ? t : midnight - offsetAt(t);
  };
  /** Consecutive spans of `length` days starting on `firstDays` (each boundary worked out once). */
  const spans = (firstDays: number[], length: number, label: (day: number) => string): Span[] => {
    const starts = [...firstDays, firstDays[firstDays.length - 1]! + length].map(startOfDay);
    return firstDays.map((d, i) => ({ first: dateOfDay(d), last: dateOfDay(d + length - 1), start: starts[i]!, end: starts[i + 1]!, label: label(d) }));
  };
  const range = (first: number, last: number, step: number) => Array.from({ length: Math.floor((last - first) / step) + 1 }, (_, i) => first + i * step);

  return {
    timeZone,
    /** The town's date at `t` (`YYYY-MM-DD`). */
    dateAt: (t: number) => dateOfDay(dayAt(t)),
    /** When the town's day that holds `t` ends: the next midnight there (or the jump that stands for it). */
    endOfDay: (t: number) => startOfDay(dayAt(t) + 1),
    /** When a date (`YYYY-MM-DD`) starts and ends in the town, `[start, end)`; undefined if it is no date. */
    day(date: string): Span | undefined {
      const m = DATE.exec(date);
      if (!m) return undefined;
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (new Date(ms).toISOString().slice(0, 10) !== date) return undefined;
      return spans([ms / 1000 / DAY], 1, dateOfDay)[0];
    },
    /** The days that `[from, to]` touches, in order. */
    days: (from: number, to: number): Span[] => spans(range(dayAt(from), dayAt(to), 1), 1, dateOfDay),
    /** The ISO weeks (Monday to Sunday) that `[from, to]` touches, in order. */
    weeks(from: number, to: number): Span[] {
      const first = dayAt(from);
      // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
      const monday = first - ((first + 3) % 7);
      return spans(range(monday, dayAt(to), 7), 7, isoWeek);
    },
  };
}
