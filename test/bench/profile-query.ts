/**
 * Why a `GET requests` query is slow: the query plans the engine picks for the statements the server
 * builds from it (`keysQuery`: the page, and the count behind X-Result-Count), and how long each takes in
 * this process over the same store. Run with the server stopped (SQLite) or idle (PostgreSQL).
 */
import type { Engine, Params } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { parseForm } from '../../server/georeport/fields.ts';
import { parseRequestQuery } from '../../server/georeport/request-filters.ts';
import { keysQuery, limitOf } from '../../server/requests/requests.query.ts';
import { EXACT_COUNT_LIMIT } from '../../server/requests/count.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';

export interface QueryProfile {
  /** The page (`requests.search`) and the count (`requests.count`), in milliseconds (best of the runs). */
  searchMs: number;
  countMs: number;
  /**
   * The plan of the page's keys (… ORDER BY … LIMIT), and of the count: SQLite's EXPLAIN QUERY PLAN, or
   * PostgreSQL's EXPLAIN (ANALYZE, COSTS OFF) summed up (see PLAN_TOP).
   */
  searchPlan: string[];
  countPlan: string[];
}

/**
 * PostgreSQL's plan of a union of many grid cells runs to a hundred lines: its top nodes, each kind of
 * scan with how many times it stands, and the planning and execution times say where the time goes.
 */
const PLAN_TOP = 3;

/** The plan of `sql` as the engine reads it. */
async function planOf(engine: Engine, sql: string, params: Params): Promise<string[]> {
  if (engine.kind === 'sqlite') {
    return (await engine.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
  }
  const lines = (await engine.query<Record<string, string>>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params)).map((r) => r['QUERY PLAN']!.trim());
  const scans = new Map<string, number>();
  for (const line of lines) {
    const scan = /^->\s+(.*? on \w+)/.exec(line)?.[1]?.replace(/ on \w+$/, '');
    if (scan && / using | Scan/.test(scan)) scans.set(scan, (scans.get(scan) ?? 0) + 1);
  }
  const top = lines.filter((l) => !/^(Planning|Execution) Time/.test(l)).slice(0, PLAN_TOP);
  return [...top, ...[...scans].map(([scan, n]) => `${n} × ${scan}`), ...lines.filter((l) => /^(Planning|Execution) Time/.test(l))];
}

/**
 * Profiles the query string of `path` (…/requests.json?…) on the SQLite `file`, or on PostgreSQL when
 * `databaseUrl` is given; the first run of each statement left out.
 */
export async function profileQuery(store: { file: string; databaseUrl?: string }, path: string, runs = 3): Promise<QueryProfile> {
  const engine = await openEngine({ dbFile: store.file, databaseUrl: store.databaseUrl, migrate: false, poolSize: 1 });
  try {
    const requests = createRequestsStore(engine);
    const { id } = (await engine.one<{ id: string }>('SELECT id FROM jurisdictions LIMIT 1'))!;
    const fields = parseForm(path.slice(path.indexOf('?') + 1));
    const { query } = await parseRequestQuery(fields, id, Math.floor(Date.now() / 1000), async () => []);
    const keys = keysQuery(query, engine.kind, query.limit + query.offset);
    const now = Math.floor(Date.now() / 1000);
    const best = async (f: () => Promise<unknown>) => {
      await f();
      let ms = Infinity;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await f();
        ms = Math.min(ms, performance.now() - started);
      }
      return ms;
    };
    return {
      searchMs: await best(() => requests.search(query)),
      countMs: await best(() => requests.count(query, now)),
      searchPlan: await planOf(engine, `${keys.sql} ${limitOf(engine.kind, 'limit', 'offset')}`, { ...keys.params, limit: query.limit, offset: query.offset }),
      countPlan: await planOf(engine, `SELECT count(*) FROM (${keys.sql} ${limitOf(engine.kind, 'cap')}) k`, { ...keys.params, cap: EXACT_COUNT_LIMIT + 1 }),
    };
  } finally {
    await engine.close();
  }
}
