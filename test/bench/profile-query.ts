/**
 * Why a `GET requests` query is slow: the query plans SQLite picks for the statements the server builds
 * from it (`keysQuery`: the page, and the count behind X-Result-Count), and how long each takes in
 * this process over the same store. Run with the server stopped.
 */
import { openDatabase } from '../../server/db/database.ts';
import { parseForm } from '../../server/georeport/fields.ts';
import { parseRequestQuery } from '../../server/georeport/request-filters.ts';
import { keysQuery } from '../../server/requests/requests.query.ts';
import { EXACT_COUNT_LIMIT } from '../../server/requests/count.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';

export interface QueryProfile {
  /** The page (`requests.search`) and the count (`requests.count`), in milliseconds (best of the runs). */
  searchMs: number;
  countMs: number;
  /** EXPLAIN QUERY PLAN of the page's keys (… ORDER BY … LIMIT), and of the count. */
  searchPlan: string[];
  countPlan: string[];
}


/** Profiles the query string of `path` (…/requests.json?…), the first run of each statement left out. */
export async function profileQuery(file: string, path: string, runs = 3): Promise<QueryProfile> {
  const db = openDatabase(file);
  try {
    const requests = createRequestsStore(createSqliteEngine(db));
    const { id } = db.prepare<[], { id: string }>('SELECT id FROM jurisdictions LIMIT 1').get()!;
    const fields = parseForm(path.slice(path.indexOf('?') + 1));
    const { query } = await parseRequestQuery(fields, id, Math.floor(Date.now() / 1000), async () => []);
    const keys = keysQuery(query, 'sqlite', query.limit + query.offset);
    const now = Math.floor(Date.now() / 1000);
    const plan = (sql: string, p: object) =>
      db.prepare<[object], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(p).map((r) => r.detail);
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
      searchPlan: plan(`${keys.sql} LIMIT +@limit OFFSET +@offset`, { ...keys.params, limit: query.limit, offset: query.offset }),
      countPlan: plan(`SELECT count(*) FROM (${keys.sql} LIMIT +@cap)`, { ...keys.params, cap: EXACT_COUNT_LIMIT + 1 }),
    };
  } finally {
    db.close();
  }
}
