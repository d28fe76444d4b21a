import type { Queryable } from '../db/engine.ts';
import { cellsCovering, GRIDS } from './grid.ts';
import { conditionsOf, keysQuery, limitOf, type RequestQuery } from './requests.query.ts';
import type { MatchCount } from './count.ts';
import type { RequestsStore } from './requests.store.ts';
import type { DetailedStatus, Status } from './requests.types.ts';

/** From this zoom on (streets), the map gets every request in view and the browser groups them. */
export const STREET_ZOOM = 16;
/** At lower zooms too, a view with at most this many requests gets them one by one. */
const FEW = 300;
/** Most requests one answer carries (the newest); `truncated` says when there were more. */
export const MAX_MARKERS = 2000;
/** Server clusters are squares of a quarter of a 256-pixel map tile. */
const CLUSTERS_PER_TILE = 4;

export interface Marker {
  id: number;
  lat: number;
  long: number;
  status: Status;
  detailedStatus: DetailedStatus;
  serviceCode: string;
}

export interface Cluster {
  /** The mean position of its requests, so a cluster sits where they are. */
  lat: number;
  long: number;
  count: number;
  open: number;
}

export type MapView =
  | { kind: 'markers'; total: MatchCount; truncated: boolean; markers: Marker[] }
  | { kind: 'clusters'; total: MatchCount; clusters: Cluster[] };

export type MapStore = ReturnType<typeof createMapStore>;

/**
 * What the public map shows of a box at a zoom: the requests themselves at street level (or when few),
 * else counts on a grid whose squares shrink as the map zooms in. Not cached here: the route's answers
 * are, formatted, by the public answers' cache (georeport/cached-answer.ts), under the town's versions.
 * Clusters group by truncation on both engines (PostgreSQL's plain cast would round) and, on PostgreSQL,
 * come in the order SQLite's grouping gives them.
 */
export function createMapStore(db: Queryable, requests: RequestsStore) {
  const { kind } = db;
  const coarse = GRIDS[1]!;
  // On SQLite, CROSS JOIN keeps the keys first in the join order; PostgreSQL spells it JOIN.
  const keysThenRows = kind === 'sqlite' ? 'CROSS JOIN' : 'JOIN';

  async function markers(q: RequestQuery, now: number): Promise<MapView> {
    const keys = keysQuery(q, kind, MAX_MARKERS + 1);
    const rows = await db.values<[number, number, number, Status, DetailedStatus, string]>(
      `SELECT r.id, r.lat, r.long, r.status, r.detailed_status, s.code
       FROM (${keys.sql} ${limitOf(kind, 'limit')}) k ${keysThenRows} requests r ON r.id = k.id JOIN services s ON s.id = r.service_id
       ORDER BY k.requested_at DESC, k.id DESC`,
      { ...keys.params, limit: MAX_MARKERS + 1 },
    );
    const truncated = rows.length > MAX_MARKERS;
    const list = rows.slice(0, MAX_MARKERS).map(([id, lat, long, status, detailedStatus, serviceCode]) => ({
      id, lat, long, status, detailedStatus, serviceCode,
    }));
    const total = truncated ? await requests.count(q, now) : { value: list.length, exact: true };
    return { kind: 'markers', total, truncated, markers: list };
  }

  /** Whether at most `n` requests match. */
  async function atMost(q: RequestQuery, n: number): Promise<boolean> {
    const keys = keysQuery(q, kind, n + 1);
    const row = await db.one<{ n: number }>(`SELECT count(*) AS n FROM (${keys.sql} ${limitOf(kind, 'limit')}) k`, { ...keys.params, limit: n + 1 });
    return row!.n <= n;
  }

  async function clusters(q: RequestQuery, zoom: number): Promise<MapView> {
    const { conditions, params, box } = conditionsOf(q, kind);
    // The coarse grid's index holds every field tested here: one pass over the cells in view.
    const cells = box && cellsCovering(coarse, box);
    if (cells) conditions.push(`r.${coarse.column} IN (${cells.map((c, i) => ((params[`cell${i}`] = c), `@cell${i}`)).join(', ')})`);
    const size = 360 / 2 ** zoom / CLUSTERS_PER_TILE;
    const rows = await db.query<{ lat: number; long: number; n: number; open: number }>(
      kind === 'sqlite'
        ? `SELECT avg(r.lat) AS lat, avg(r.long) AS long, count(*) AS n, sum(r.status = 'open') AS open FROM requests r INDEXED BY ${coarse.index}
           WHERE ${conditions.join(' AND ')}
           GROUP BY CAST((r.lat + 90) / @size AS INTEGER), CAST((r.long + 180) / @size AS INTEGER)`
        : `SELECT avg(r.lat) AS lat, avg(r.long) AS long, count(*) AS n, sum(CASE WHEN r.status = 'open' THEN 1 ELSE 0 END) AS open
           FROM requests r WHERE ${conditions.join(' AND ')}
           GROUP BY trunc((r.lat + 90) / @size), trunc((r.long + 180) / @size)
           ORDER BY trunc((r.lat + 90) / @size), trunc((r.long + 180) / @size)`,
      { ...params, size },
    );
    const list = rows.map(({ lat, long, n, open }) => ({ lat, long, count: n, open }));
    return { kind: 'clusters', total: { value: list.reduce((sum, c) => sum + c.count, 0), exact: true }, clusters: list };
  }

  return {
    /** The view of `q` (which should have a box) at `zoom`; `now`: Unix seconds. */
    async view(q: RequestQuery, zoom: number, now: number): Promise<MapView> {
      return zoom >= STREET_ZOOM || (await atMost(q, FEW)) ? markers(q, now) : clusters(q, zoom);
    },
  };
}
