import { Hono, type Context } from 'hono';
import { parseDatetime } from '../georeport/datetime.ts';
import { JsonError } from '../http/json-error.ts';
import { csv } from '../opendata/csv.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';
import type { StatsStore, StatsWindow } from './stats.store.ts';

const J = TOWN_PATH;
const DAY = 86_400;
/** The default period: the last 30 days, today included. */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 731;

/**
 * Statistics (`readonly`): `stats?from&to` and the same as a CSV table, one row per day, category,
 * channel, status and department. `from` and `to` are dates (`2026-05-01`: the town's day, from its
 * first instant for `from` to its last for `to`) or W3C datetimes with a zone; by default the last 30
 * days, today included; at most two years.
 */
export function createStatsRoutes(deps: { stats: StatsStore; access: AdminAccess; now: () => number }) {
  const { role } = deps.access;
  const { calendar } = deps.stats;
  const app = new Hono<AdminEnv>();
  const window = (c: Context<AdminEnv>): StatsWindow => {
    const now = Math.floor(deps.now() / 1000);
    const at = (name: 'from' | 'to') => {
      const text = c.req.query(name);
      if (text === undefined || text === '') return undefined;
      const day = calendar.day(text);
      if (day) return name === 'from' ? day.start : day.end - 1;
      const s = parseDatetime(text);
      if (s === undefined) throw new JsonError(400, `${name} must be a date (2026-05-01) or a W3C datetime with a zone`);
      return s;
    };
    const to = at('to') ?? now;
    const from = at('from') ?? calendar.day(calendar.dateAt(to - (DEFAULT_DAYS - 1) * DAY))!.start;
    if (from > to || to - from > MAX_DAYS * DAY) throw new JsonError(400, 'from must come before to, at most two years before');
    return { jurisdictionId: c.req.param('jurisdiction')!, from, to, now };
  };
  app.get(`${J}/stats`, role('readonly'), async (c) => c.json(await deps.stats.summary(window(c))));
  app.get(`${J}/stats.csv`, role('readonly'), async (c) => {
    const rows = await deps.stats.table(window(c));
    c.header('Content-Type', 'text/csv; charset=utf-8; header=present');
    c.header('Content-Disposition', 'attachment; filename="statistics.csv"');
    return c.body(csv(['date', 'service_code', 'channel', 'status', 'department', 'requests', 'on_time', 'late'], rows));
  });
  return app;
}
