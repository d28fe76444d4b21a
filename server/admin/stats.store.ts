import type { Db } from '../db/database.ts';
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
/** Requests filed, or closed, within each span of `@spans` (`[[start, end], …]`, in order): one index range each. */
const IN_SPAN = (column: string) => `(SELECT count(*) FROM requests r WHERE r.jurisdiction_id = @jurisdiction
  AND r.${column} >= b.value ->> 0 AND r.${column} < b.value ->> 1 AND r.visibility <> 'pending' AND r.queued = 0)`;

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
 */
export function createStatsStore(db: Db, timeZone: string) {
  const calendar = createCalendar(timeZone);
  const groups = db.prepare<Record<string, unknown>, SlaCounts & {
    service_id: number; department: number | null; channel: string; status: string; detailed_status: string; n: number;
  }>(
    `SELECT r.service_id, r.assigned_department AS department, r.channel, r.status, r.detailed_status, count(*) AS n, ${SLA_COUNTS}
     FROM requests r WHERE ${FILED} GROUP BY 1, 2, 3, 4, 5`,
  );
  const durations = db.prepare<Record<string, unknown>, [number, number | null, number]>(
    `SELECT r.service_id, r.assigned_department, r.closed_at - r.requested_at FROM requests r
     WHERE ${FILED} AND r.status = 'closed' AND r.closed_at IS NOT NULL AND ${HANDLED}`,
  ).raw();
  const perSpan = db.prepare<Record<string, unknown>, { filed: number; closed: number }>(
    `SELECT ${IN_SPAN('requested_at')} AS filed, ${IN_SPAN('closed_at')} AS closed FROM json_each(@spans) b ORDER BY b.key`,
  );
  const addresses = db.prepare<Record<string, unknown>, [string | null, number]>(
    `SELECT r.address, count(*) FROM requests r WHERE ${FILED} GROUP BY 1`,
  ).raw();
  const cells = db.prepare<Record<string, unknown>, { lat: number; long: number; count: number }>(
    `SELECT avg(r.lat) AS lat, avg(r.long) AS long, count(*) AS count FROM requests r WHERE ${FILED} AND r.lat IS NOT NULL GROUP BY r.cell_coarse`,
  );
  const pending = db.prepare<Record<string, unknown>, number>(
    `SELECT count(*) FROM requests r WHERE r.jurisdiction_id = @jurisdiction AND r.requested_at BETWEEN @from AND @to
       AND r.visibility = 'pending' AND r.queued = 0`,
  ).pluck();
  const daily = db.prepare<Record<string, unknown>, SlaCounts & {
    day: number; service_id: number; channel: string; status: string; department: number | null; n: number;
  }>(
    `SELECT b.key AS day, r.service_id, r.channel, r.status, r.assigned_department AS department, count(*) AS n, ${SLA_COUNTS}
     FROM json_each(@spans) b JOIN requests r ON r.jurisdiction_id = @jurisdiction
       AND r.requested_at >= b.value ->> 0 AND r.requested_at < b.value ->> 1
     WHERE r.visibility <> 'pending' AND r.queued = 0 GROUP BY 1, 2, 3, 4, 5`,
  );
  const services = db.prepare<[string], { id: number; code: string; name: string }>('SELECT id, code, name FROM services WHERE jurisdiction_id = ?');
  const departments = db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM departments WHERE jurisdiction_id = ?');

  const params = (w: StatsWindow) => ({ jurisdiction: w.jurisdictionId, from: w.from, to: w.to, now: w.now });
  /** The spans as `[start, end)` instants cut to the window. */
  const clipped = (spans: Span[], w: StatsWindow) => JSON.stringify(spans.map((s) => [Math.max(s.start, w.from), Math.min(s.end, w.to + 1)]));

  /**
   * The streets and places named by at least PLACE_MIN_REQUESTS requests, the most first (then in
   * alphabetical order; TOP_PLACES of them), and how many requests have no address or are elsewhere.
   */
  function places(w: StatsWindow, total: number) {
    const streets = new Map<string, { count: number; spellings: Map<string, number> }>();
    let withoutAddress = 0;
    for (const [address, n] of addresses.all(params(w))) {
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
  const names = (jurisdictionId: string) => ({
    service: new Map(services.all(jurisdictionId).map((s) => [s.id, s])),
    department: new Map(departments.all(jurisdictionId).map((d) => [d.id, d.name])),
  });
  const largestFirst = (a: { total: number }, b: { total: number }) => b.total - a.total;

  return {
    calendar,

    summary(w: StatsWindow) {
      const p = params(w);
      const { service, department } = names(w.jurisdictionId);
      const all = group();
      const byService = new Map<number, Group>();
      const byDepartment = new Map<number | null, Group>();
      const of = <K>(groups: Map<K, Group>, key: K) => groups.get(key) ?? groups.set(key, group()).get(key)!;
      const rows = groups.all(p);
      for (const r of rows) {
        for (const g of [all, of(byService, r.service_id), of(byDepartment, r.department)]) {
          g.total += r.n;
          if (r.status === 'open') g.open += r.n;
          addSla(g.sla, r);
        }
      }
      for (const [s, d, seconds] of durations.all(p)) for (const g of [all, of(byService, s), of(byDepartment, d)]) g.seconds.push(seconds);
      const weeks = calendar.weeks(w.from, w.to);
      const perWeek = perSpan.all({ ...p, spans: clipped(weeks, w) });
      return {
        period: {
          from: formatDatetime(w.from), to: formatDatetime(w.to), first_day: calendar.dateAt(w.from), last_day: calendar.dateAt(w.to),
          time_zone: calendar.timeZone, as_of: formatDatetime(w.now),
        },
        total: all.total,
        pending: pending.get(p)!,
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
        places: places(w, all.total),
        heat: cells.all(p),
      };
    },

    /**
     * One row per day (the town's), category, channel, status and department, with how many requests
     * were filed and how many of them were on time and late: a table ready for a spreadsheet.
     */
    table(w: StatsWindow): (string | number)[][] {
      const { service, department } = names(w.jurisdictionId);
      const days = calendar.days(w.from, w.to);
      const rows = daily.all({ ...params(w), spans: clipped(days, w) }).map((r) => [
        days[r.day]!.first, service.get(r.service_id)!.code, r.channel, r.status,
        r.department === null ? '' : department.get(r.department) ?? '', r.n, r.on_time, r.late,
      ]);
      const key = (row: (string | number)[]) => row.slice(0, 5).join('\u0000');
      return rows.sort((a, b) => key(a).localeCompare(key(b)));
    },
  };
}
