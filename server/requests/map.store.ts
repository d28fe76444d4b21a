import type { Db } from '../db/database.ts';
import { createVersionedCacheSync } from '../db/versioned-cache.ts';
import { cellsCovering, GRIDS } from './grid.ts';
import { conditionsOf, keysQuery, type RequestQuery } from './requests.query.ts';
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
 * else counts on a grid whose squares shrink as the map zooms in. Answers are cached until a request
 * changes (`version` is their ETag).
 */
export function createMapStore(db: Db, requests: RequestsStore) {
  const cache = createVersionedCacheSync(db, 'requests');
  const prepared = new Map<string, ReturnType<Db['prepare']>>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) {
      if (prepared.size >= 256) prepared.clear();
      prepared.set(sql, (s = db.prepare(sql).raw()));
    }
    return s;
  };

  function markers(q: RequestQuery, now: number): MapView {
    const keys = keysQuery(q);
    const rows = statement(
      `SELECT r.id, r.lat, r.long, r.status, r.detailed_status, s.code
       FROM (${keys.sql} LIMIT +@limit) k CROSS JOIN requests r ON r.id = k.id JOIN services s ON s.id = r.service_id
       ORDER BY k.requested_at DESC, k.id DESC`,
    ).all({ ...keys.params, limit: MAX_MARKERS + 1 }) as [number, number, number, Status, DetailedStatus, string][];
    const truncated = rows.length > MAX_MARKERS;
    const list = rows.slice(0, MAX_MARKERS).map(([id, lat, long, status, detailedStatus, serviceCode]) => ({
      id, lat, long, status, detailedStatus, serviceCode,
    }));
    const total = truncated ? requests.count(q, now) : { value: list.length, exact: true };
    return { kind: 'markers', total, truncated, markers: list };
  }

  /** Whether at most `n` requests match. */
  function atMost(q: RequestQuery, n: number): boolean {
    const keys = keysQuery(q);
    return (statement(`SELECT count(*) FROM (${keys.sql} LIMIT +@limit)`).get({ ...keys.params, limit: n + 1 }) as [number])[0] <= n;
  }

  function clusters(q: RequestQuery, zoom: number): MapView {
    const { conditions, params, box } = conditionsOf(q);
    const coarse = GRIDS[1]!;
    // The coarse grid's index holds every field tested here: one pass over the cells in view.
    const cells = box && cellsCovering(coarse, box);
    if (cells) conditions.push(`r.${coarse.column} IN (${cells.map((c, i) => ((params[`cell${i}`] = c), `@cell${i}`)).join(', ')})`);
    const size = 360 / 2 ** zoom / CLUSTERS_PER_TILE;
    const rows = statement(
      `SELECT avg(r.lat), avg(r.long), count(*), sum(r.status = 'open') FROM requests r INDEXED BY ${coarse.index}
       WHERE ${conditions.join(' AND ')}
       GROUP BY CAST((r.lat + 90) / @size AS INTEGER), CAST((r.long + 180) / @size AS INTEGER)`,
    ).all({ ...params, size }) as [number, number, number, number][];
    const list = rows.map(([lat, long, n, open]) => ({ lat, long, count: n, open }));
    return { kind: 'clusters', total: { value: list.reduce((sum, c) => sum + c.count, 0), exact: true }, clusters: list };
  }

  return {
    /** Changes whenever any request does. */
    version: () => cache.version(),
    /** The view of `q` (which should have a box) at `zoom`; `key` names the query for the cache; `now`: Unix seconds. */
    view(q: RequestQuery, zoom: number, key: string, now: number): MapView {
      return cache.get(`${zoom} ${key}`, () => (zoom >= STREET_ZOOM || atMost(q, FEW) ? markers(q, now) : clusters(q, zoom)));
    },
  };
}
