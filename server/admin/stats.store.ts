import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { createCalendar, type Span } from './calendar.ts';
import { addSla, noSla, sla, tally, timeToClose, type SlaCounts } from './stats.figures.ts';
import { streetKey, streetName, streetOf } from './streets.ts';

export interface StatsWindow {
  jurisdictionId: string;
  /** Unix seconds, both inclusive. */
  from: number;
  to: number;
  /** When the figures are read: what is open and past its expected date is late by then. */
  now: number;
}

/** A place is named once this many requests share it: one resident's own words never stand alone. */
const PLACE_MIN_REQUESTS = 2;
const TOP_PLACES = 15;

/** The requests a period counts: filed within it, moderated (a held request is not counted until published or rejected). */
const FILED = `r.jurisdiction_id = @jurisdiction AND r.requested_at BETWEEN @from AND @to AND r.visibility <> 'pending' AND r.queued = 0`;
/**
 * Requests handled by the town: a duplicate's work is counted in the request it joined, and a rejected
 * one asked for no work; neither counts in the time to close or the SLA.
 */
const HANDLED = `r.detailed_status NOT IN ('duplicate', 'rejected')`;
/** The SLA counts of the rows grouped (see `Sla` in stats.figures.ts). */
const SLA_COUNTS = `
  count(*) FILTER (WHERE ${HANDLED} AND r.expected_at IS NOT NULL AND r.closed_at <= r.expected_at) AS on_time,
  count(*) FILTER (WHERE ${HANDLED} AND r.expected_at IS NOT NULL AND (r.closed_at > r.expected_at OR (r.status = 'open' AND r.expected_at < @now))) AS late,
  count(*) FILTER (WHERE r.status = 'open' AND r.expected_at >= @now) AS not_yet_due,
  count(*) FILTER (WHERE ${HANDLED} AND r.expected_at IS NULL) AS without_sla`;
/**
 * Requests filed, or closed, within each span of `@spans` (`[[start, end], …]`, in order): one index
 * range each; `b` is a span, its bounds `bound(0)` and `bound(1)`.
 */
const IN_SPAN = (column: string, bound: (i: number) => string) => `(SELECT count(*) FROM requests r WHERE r.jurisdiction_id = @jurisdiction
  AND r.${column} >= ${bound(0)} AND r.${column} < ${bound(1)} AND r.visibility <> 'pending' AND r.queued = 0)`;
/**
 * The spans as rows `b`, with their position `b.key` (from 0), and their bounds: SQLite's `json_each`;
 * PostgreSQL's `json_array_elements`, numbered from 1, whose `->>` gives text, cast back to integers.
 */
const SPANS = {
  sqlite: { from: 'json_each(@spans) b', key: 'b.key', bound: (i: number) => `b.value ->> ${i}` },
  postgres: {
    // A text placeholder: the driver would write a string given for a json one as a JSON string.
    from: 'json_array_elements(CAST(CAST(@spans AS text) AS json)) WITH ORDINALITY AS b (value, n)',
    key: '(b.n - 1)',
    bound: (i: number) => `CAST(b.value ->> ${i} AS bigint)`,
  },
} as const;

interface Group { total: number; open: number; sla: SlaCounts; seconds: number[] }
const group = (): Group => ({ total: 0, open: 0, sla: noSla(), seconds: [] });
const figures = (g: Group) => ({ total: g.total, open: g.open, time_to_close: timeToClose(g.seconds), sla: sla(g.sla) });

export type StatsStore = ReturnType<typeof createStatsStore>;

/**
 * The figures of a jurisdiction over a period, in the town's time zone (`timeZone`): the requests filed
 * in it by status, channel, category and department, with their time to close and how they stand
 * against their expected date; filed and closed per ISO week; the streets and places requests
 * concentrate on (and a heat map on the coarse grid, 1.7 km × 1.2 km cells). Definitions: README,
 * "Statistics". Each figure is one indexed SQL pass (`requests_by_filing`, `requests_by_closing`).
 * Days and weeks are cut in JavaScript (`calendar.ts`) and given as instants, so both engines count the
 * same spans. `requests.closed_at` is kept by the triggers `requests_closed`/`requests_reopened` on
 * SQLite and by `requests_closed_at()` (`pg-migrations/013-statistics.ts`) on PostgreSQL.
 */
export function createStatsStore(db: Queryable, timeZone: string) {
  const calendar = createCalendar(timeZone);
  const span = SPANS[db.kind];
  // Rows in the order of their groups (department: NULL first, as SQLite puts it), so that the figures'
  // ties come out in one order on both engines; SQLite's plans are the same with the ORDER BY.
  const groups = `SELECT r.service_id, r.assigned_department AS department, r.channel, r.status, r.detailed_status, count(*) AS n, ${SLA_COUNTS}
     FROM requests r WHERE ${FILED} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2 NULLS FIRST, 3, 4, 5`;
  const durations = `SELECT r.service_id, r.assigned_department AS department, r.closed_at - r.requested_at AS seconds FROM requests r
     WHERE ${FILED} AND r.status = 'closed' AND r.closed_at IS NOT NULL AND ${HANDLED}`;
  const perSpan = `SELECT ${IN_SPAN('requested_at', span.bound)} AS filed, ${IN_SPAN('closed_at', span.bound)} AS closed
     FROM ${span.from} ORDER BY ${span.key}`;
  const addresses = `SELECT r.address, count(*) AS n FROM requests r WHERE ${FILED} GROUP BY 1 ORDER BY 1 NULLS FIRST`;
  const cells = `SELECT avg(r.lat) AS lat, avg(r.long) AS long, count(*) AS count FROM requests r WHERE ${FILED} AND r.lat IS NOT NULL
     GROUP BY r.cell_coarse ORDER BY r.cell_coarse`;
  const pending = `SELECT count(*) AS n FROM requests r WHERE r.jurisdiction_id = @jurisdiction AND r.requested_at BETWEEN @from AND @to
       AND r.visibility = 'pending' AND r.queued = 0`;
  const daily = `SELECT ${span.key} AS day, r.service_id, r.channel, r.status, r.assigned_department AS department, count(*) AS n, ${SLA_COUNTS}
     FROM ${span.from} JOIN requests r ON r.jurisdiction_id = @jurisdiction
       AND r.requested_at >= ${span.bound(0)} AND r.requested_at < ${span.bound(1)}
     WHERE r.visibility <> 'pending' AND r.queued = 0 GROUP BY 1, 2, 3, 4, 5`;
  type GroupRow = SlaCounts & { service_id: number; department: number | null; channel: string; status: string; detailed_status: string; n: number };
  type DailyRow = SlaCounts & { day: number; service_id: number; channel: string; status: string; department: number | null; n: number };

  const params = (w: StatsWindow) => ({ jurisdiction: w.jurisdictionId, from: w.from, to: w.to, now: w.now });
  /** The spans as `[start, end)` instants cut to the window. */
  const clipped = (spans: Span[], w: StatsWindow) => JSON.stringify(spans.map((s) => [Math.max(s.start, w.from), Math.min(s.end, w.to + 1)]));

  /**
   * The streets and places named by at least PLACE_MIN_REQUESTS requests, the most first (then in
   * alphabetical order; TOP_PLACES of them), and how many requests have no address or are elsewhere.
   */
  async function places(w: StatsWindow, total: number) {
    const streets = new Map<string, { count: number; spellings: Map<string, number> }>();
    let withoutAddress = 0;
    for (const [address, n] of await db.values<[string | null, number]>(addresses, params(w))) {
      const street = streetOf(address);
      if (street === null) {
        withoutAddress += n;
        continue;
      }
      const key = streetKey(street);
      const s = streets.get(key) ?? streets.set(key, { count: 0, spellings: new Map() }).get(key)!;
      s.count += n;
      s.spellings.set(street, (s.spellings.get(street) ?? 0) + n);
    }
    const top = [...streets.values()].filter((s) => s.count >= PLACE_MIN_REQUESTS).map((s) => ({ street: streetName(s.spellings), count: s.count }))
      .sort((a, b) => b.count - a.count || a.street.localeCompare(b.street, 'fr')).slice(0, TOP_PLACES);
    return { streets: top, without_address: withoutAddress, elsewhere: total - withoutAddress - top.reduce((n, s) => n + s.count, 0) };
  }

  /** The jurisdiction's categories and departments by id. */
  const names = async (jurisdictionId: string) => ({
    service: new Map((await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM services WHERE jurisdiction_id = ?', [jurisdictionId]))
      .map((s) => [s.id, s])),
    department: new Map((await db.query<{ id: number; name: string }>('SELECT id, name FROM departments WHERE jurisdiction_id = ?', [jurisdictionId]))
      .map((d) => [d.id, d.name])),
  });
  const largestFirst = (a: { total: number }, b: { total: number }) => b.total - a.total;
  /**
   * A cell's centre to a millionth of a degree (0.1 m): SQLite sums an average's terms with a compensated
   * sum and PostgreSQL without, so their last digits differ.
   */
  const micro = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

  return {
    calendar,

    async summary(w: StatsWindow) {
      const p = params(w);
      const { service, department } = await names(w.jurisdictionId);
      const all = group();
      const byService = new Map<number, Group>();
      const byDepartment = new Map<number | null, Group>();
      const of = <K>(groups: Map<K, Group>, key: K) => groups.get(key) ?? groups.set(key, group()).get(key)!;
      const rows = await db.query<GroupRow>(groups, p);
      for (const r of rows) {
        for (const g of [all, of(byService, r.service_id), of(byDepartment, r.department)]) {
          g.total += r.n;
          if (r.status === 'open') g.open += r.n;
          addSla(g.sla, r);
        }
      }
      const closed = await db.values<[number, number | null, number]>(durations, p);
      for (const [s, d, seconds] of closed) for (const g of [all, of(byService, s), of(byDepartment, d)]) g.seconds.push(seconds);
      const weeks = calendar.weeks(w.from, w.to);
      const perWeek = await db.query<{ filed: number; closed: number }>(perSpan, { ...p, spans: clipped(weeks, w) });
      const held = (await db.one<{ n: number }>(pending, p))!.n;
      return {
        period: {
          from: formatDatetime(w.from), to: formatDatetime(w.to), first_day: calendar.dateAt(w.from), last_day: calendar.dateAt(w.to),
          time_zone: calendar.timeZone, as_of: formatDatetime(w.now),
        },
        total: all.total,
        pending: held,
        by_status: tally(rows, (r) => r.status, (r) => r.n),
        by_detailed_status: tally(rows, (r) => r.detailed_status, (r) => r.n),
        by_channel: tally(rows, (r) => r.channel, (r) => r.n),
        time_to_close: timeToClose(all.seconds),
        sla: sla(all.sla),
        by_category: [...byService].map(([id, g]) => ({ service_code: service.get(id)!.code, service_name: service.get(id)!.name, ...figures(g) })).sort(largestFirst),
        by_department: [...byDepartment].map(([id, g]) => ({
          department_id: id === null ? null : String(id), name: id === null ? null : department.get(id) ?? null, ...figures(g),
        })).sort(largestFirst),
        weeks: weeks.map((s, i) => ({
          week: s.label, first_day: s.first, last_day: s.last, filed: perWeek[i]!.filed, closed: perWeek[i]!.closed,
          partial: s.start < w.from || s.end > w.to + 1,
        })),
        places: await places(w, all.total),
        heat: (await db.query<{ lat: number; long: number; count: number }>(cells, p)).map((c) => ({ ...c, lat: micro(c.lat), long: micro(c.long) })),
      };
    },

    /**
     * One row per day (the town's), category, channel, status and department, with how many requests
     * were filed and how many of them were on time and late: a table ready for a spreadsheet.
     */
    async table(w: StatsWindow): Promise<(string | number)[][]> {
      const { service, department } = await names(w.jurisdictionId);
      const days = calendar.days(w.from, w.to);
      const rows = (await db.query<DailyRow>(daily, { ...params(w), spans: clipped(days, w) })).map((r) => [
        days[r.day]!.first, service.get(r.service_id)!.code, r.channel, r.status,
        r.department === null ? '' : department.get(r.department) ?? '', r.n, r.on_time, r.late,
      ]);
      const key = (row: (string | number)[]) => row.slice(0, 5).join('\u0000');
      return rows.sort((a, b) => key(a).localeCompare(key(b)));
    },
  };
}
