import type { Db } from '../db/database.ts';
import { cellOf, GRIDS } from '../requests/grid.ts';

const DAY = 86_400;
/** The detailed statuses that close a request: the first event with one of them is its closing. */
const CLOSING = "('fixed', 'not_fixed', 'duplicate', 'referred', 'rejected')";

export interface StatsWindow {
  jurisdictionId: string;
  /** Unix seconds, inclusive. */
  from: number;
  to: number;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Hours, with one decimal. */
const hours = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 360) / 10);

export type StatsStore = ReturnType<typeof createStatsStore>;

/**
 * The numbers of a jurisdiction over a period (requests filed within it, whatever their visibility but
 * pending ones): by status, category, department (zone) and channel, per day; the median time to close
 * and the share closed within the service's SLA; and the places where requests concentrate (a heat map
 * on the coarse grid, 1.7 km × 1.2 km cells).
 */
export function createStatsStore(db: Db) {
  const rows = db.prepare<[string, number, number], {
    id: number; day: number; service: string; name: string; status: string; detailed_status: string; channel: string;
    department: string | null; requested_at: number; expected_at: number | null; closed_at: number | null; lat: number | null; long: number | null;
  }>(
    `SELECT r.id, r.requested_at / ${DAY} AS day, s.code AS service, s.name, r.status, r.detailed_status, r.channel, d.name AS department,
       r.requested_at, r.expected_at, r.lat, r.long,
       (SELECT min(e.created_at) FROM request_events e WHERE e.request_id = r.id AND e.detailed_status IN ${CLOSING}) AS closed_at
     FROM requests r JOIN services s ON s.id = r.service_id LEFT JOIN departments d ON d.id = r.assigned_department
     WHERE r.jurisdiction_id = ? AND r.requested_at BETWEEN ? AND ? AND r.visibility <> 'pending'`,
  );

  return {
    summary(w: StatsWindow) {
      const all = rows.all(w.jurisdictionId, w.from, w.to);
      const count = <K extends string>(key: (r: (typeof all)[number]) => K) => {
        const out: Record<string, number> = {};
        for (const r of all) out[key(r)] = (out[key(r)] ?? 0) + 1;
        return out;
      };
      const byService = new Map<string, typeof all>();
      for (const r of all) {
        const list = byService.get(r.service);
        if (list) list.push(r);
        else byService.set(r.service, [r]);
      }
      const heat = new Map<number, { lat: number; long: number; count: number }>();
      const coarse = GRIDS[1]!;
      for (const r of all) {
        if (r.lat === null || r.long === null) continue;
        const cell = cellOf(coarse, r.lat, r.long);
        const h = heat.get(cell) ?? { lat: 0, long: 0, count: 0 };
        h.lat += r.lat;
        h.long += r.long;
        h.count++;
        heat.set(cell, h);
      }
      const closedIn = (list: typeof all) => list.filter((r) => r.closed_at !== null).map((r) => r.closed_at! - r.requested_at);
      return {
        from: w.from, to: w.to, total: all.length,
        by_status: count((r) => r.status), by_detailed_status: count((r) => r.detailed_status), by_channel: count((r) => r.channel),
        by_department: count((r) => r.department ?? '(none)'),
        by_day: Object.entries(count((r) => String(r.day))).map(([day, n]) => ({ date: new Date(Number(day) * DAY * 1000).toISOString().slice(0, 10), count: n })),
        median_hours_to_close: hours(median(closedIn(all))),
        by_service: [...byService].map(([code, list]) => {
          const withSla = list.filter((r) => r.expected_at !== null && r.closed_at !== null);
          return {
            service_code: code, service_name: list[0]!.name, count: list.length, open: list.filter((r) => r.status === 'open').length,
            median_hours_to_close: hours(median(closedIn(list))),
            closed_within_sla: withSla.length === 0 ? null : Math.round((withSla.filter((r) => r.closed_at! <= r.expected_at!).length / withSla.length) * 1000) / 1000,
          };
        }).sort((a, b) => b.count - a.count),
        heat: [...heat.values()].map((h) => ({ lat: h.lat / h.count, long: h.long / h.count, count: h.count })),
      };
    },

    /** One row per day, service, channel and status, with its count: a table ready for a spreadsheet. */
    table(w: StatsWindow): (string | number)[][] {
      const out = new Map<string, number>();
      for (const r of rows.all(w.jurisdictionId, w.from, w.to)) {
        const key = [new Date(r.day * DAY * 1000).toISOString().slice(0, 10), r.service, r.channel, r.status, r.department ?? ''].join('\u0000');
        out.set(key, (out.get(key) ?? 0) + 1);
      }
      return [...out].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => [...key.split('\u0000'), n]);
    },
  };
}
