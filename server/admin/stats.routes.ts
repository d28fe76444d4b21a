import { Hono, type Context } from 'hono';
import { parseDatetime } from '../georeport/datetime.ts';
import { JsonError } from '../http/json-error.ts';
import { csv } from '../opendata/csv.ts';
import type { AdminAccess, AdminEnv } from './access.ts';
import type { StatsStore } from './stats.store.ts';

const J = '/j/:jurisdiction{[a-z0-9.-]+}';
const DAY = 86_400;

/**
 * Statistics (`readonly`): `stats?from&to` (default: the last 30 days; at most 2 years) and the same as a
 * CSV table, one row per day, service, channel, status and department.
 */
export function createStatsRoutes(deps: { stats: StatsStore; access: AdminAccess; now: () => number }) {
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const window = (c: Context<AdminEnv>) => {
    const at = (name: string) => {
      const text = c.req.query(name);
      if (text === undefined || text === '') return undefined;
      const s = parseDatetime(text);
      if (s === undefined) throw new JsonError(400, `${name} must be a W3C datetime with a zone`);
      return s;
    };
    const to = at('to') ?? Math.floor(deps.now() / 1000);
    const from = at('from') ?? to - 30 * DAY;
    if (from > to || to - from > 731 * DAY) throw new JsonError(400, 'from must come before to, at most two years before');
    return { jurisdictionId: c.req.param('jurisdiction')!, from, to };
  };
  app.get(`${J}/stats`, role('readonly'), (c) => c.json(deps.stats.summary(window(c))));
  app.get(`${J}/stats.csv`, role('readonly'), (c) => {
    c.header('Content-Type', 'text/csv; charset=utf-8; header=present');
    c.header('Content-Disposition', 'attachment; filename="statistics.csv"');
    return c.body(csv(['date', 'service_code', 'channel', 'status', 'department', 'requests'], deps.stats.table(window(c))));
  });
  return app;
}
