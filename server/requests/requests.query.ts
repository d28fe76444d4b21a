import type { Queryable } from '../db/engine.ts';
import { planBox, type Box, type BoxPlan } from './grid.ts';
import type { Status } from './requests.types.ts';
import { pgWordsMatch } from '../db/text-search.ts';
import { jsonTexts } from '../db/json-lists.ts';

/** Every filter of a public request query; a null filter is not applied. */
export interface RequestQuery {
  jurisdictionId: string;
  /** `requested_at` window, Unix seconds, inclusive. */
  from: number;
  to: number;
  /** Ids of the services asked for (empty: none exists, so nothing matches). */
  serviceIds: number[] | null;
  statuses: Status[] | null;
  updatedAfter: number | null;
  updatedBefore: number | null;
  bbox: Box | null;
  /** Within `radius` metres of a point; results then carry their distance. */
  near: { lat: number; long: number; radius: number } | null;
  /** Words that must all appear in the title, description or address (prefix match, accents ignored). */
  words: string[] | null;
  agency: string | null;
  limit: number;
  offset: number;
}

const EARTH_RADIUS = 6_371_000;

/**
 * The smallest box holding every point within `radius` metres (great-circle) of (lat, long): the box
 * narrows the search, the exact distance is checked after. The widest longitude of such a circle is
 * asin(sin(d) / cos(lat)), a little wider than d / cos(lat).
 */
export function boxAround(lat: number, long: number, radius: number): Box {
  const d = radius / EARTH_RADIUS;
  const dLat = (d * 180) / Math.PI;
  const ratio = Math.sin(d) / Math.max(Math.cos((lat * Math.PI) / 180), 1e-9);
  const dLong = ratio >= 1 ? 180 : (Math.asin(ratio) * 180) / Math.PI;
  return { minLat: lat - dLat, maxLat: lat + dLat, minLong: long - dLong, maxLong: long + dLong };
}

/** Great-circle distance in metres (haversine on a spherical Earth, ample for a city). */
export function distanceMetres(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((long2 - long1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** An FTS5 expression matching every word as a prefix; each word is quoted, so no FTS syntax gets through. */
const ftsMatch = (words: string[]) => words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');

export type Params = Record<string, string | number>;
/** The engine a statement is written for: the few conditions below that differ are chosen by it. */
export type Kind = Queryable['kind'];

/** The conditions of every filter but the place, over `requests r`; only present filters add one. */
function filters(q: RequestQuery, kind: Kind): { conditions: string[]; params: Params } {
  const conditions = ['r.jurisdiction_id = @jurisdiction', "r.visibility = 'published'", 'r.queued = 0', 'r.requested_at BETWEEN @from AND @to'];
  const params: Params = { jurisdiction: q.jurisdictionId, from: q.from, to: q.to };
  if (q.serviceIds) {
    // One placeholder per id, so SQLite knows how few there are and walks the by-service index in
    // date order (stopping at the page's end) instead of the whole date window.
    const names = q.serviceIds.map((id, i) => ((params[`service${i}`] = id), `@service${i}`));
    conditions.push(names.length === 0 ? (kind === 'sqlite' ? '0' : 'false') : `r.service_id IN (${names.join(', ')})`);
  }
  if (q.statuses) {
    conditions.push(`r.status IN (${jsonTexts({ kind }, '@statuses')})`);
    params.statuses = JSON.stringify(q.statuses);
  }
  if (q.updatedAfter !== null) {
    conditions.push('r.updated_at > @updatedAfter');
    params.updatedAfter = q.updatedAfter;
  }
  if (q.updatedBefore !== null) {
    conditions.push('r.updated_at < @updatedBefore');
    params.updatedBefore = q.updatedBefore;
  }
  if (q.words && kind === 'sqlite') {
    conditions.push('r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH @match)');
    params.match = ftsMatch(q.words);
  } else if (q.words) {
    conditions.push(pgWordsMatch('@words'));
    params.words = JSON.stringify(q.words);
  }
  if (q.agency !== null) {
    // NOCASE folds ASCII letters only, as lower() does under the C collation.
    conditions.push(kind === 'sqlite' ? 'r.agency_responsible = @agency COLLATE NOCASE' : 'lower(r.agency_responsible) = lower(CAST(@agency AS text) COLLATE "C")');
    params.agency = q.agency;
  }
  return { conditions, params };
}

/**
 * `distanceMetres(...) <= radius` in SQL, so the radius is checked inside SQLite: the haversine's `a`
 * compared with the `a` of the radius (d <= r exactly when a <= sin²(r / 2R)), which spares the square
 * root and arcsine of every row.
 */
export const WITHIN_RADIUS = `pow(sin((r.lat - @nearLat) * ${Math.PI / 360}), 2)
  + @nearCos * cos(r.lat * ${Math.PI / 180}) * pow(sin((r.long - @nearLong) * ${Math.PI / 360}), 2) <= @nearMaxA`;

/** The parameters of WITHIN_RADIUS (`@nearLat`, `@nearLong`, `@nearCos`, `@nearMaxA`). */
export const radiusParams = ({ lat, long, radius }: NonNullable<RequestQuery['near']>) => ({
  nearLat: lat, nearLong: long, nearCos: Math.cos((lat * Math.PI) / 180), nearMaxA: Math.sin(radius / (2 * EARTH_RADIUS)) ** 2,
});

/**
 * Whether a box may hold points of the circle: the box's point nearest the centre on a flat map is within
 * the radius. On the sphere the nearest point can be a little off that one; the margin (0.1% and 1 m)
 * covers it up to the largest radius (100 km: 3 m).
 */
const reaches = ({ lat, long, radius }: NonNullable<RequestQuery['near']>) => (b: Box) =>
  distanceMetres(lat, long, Math.min(Math.max(lat, b.minLat), b.maxLat), Math.min(Math.max(long, b.minLong), b.maxLong)) <= radius * 1.001 + 1;

const KEYS = 'SELECT r.requested_at AS requested_at, r.id AS id';
const NEWEST_FIRST = 'ORDER BY r.requested_at DESC, r.id DESC';

/**
 * Every condition of the query over `requests r`, the place included, with its parameters and the box
 * searched (null without a place).
 */
export function conditionsOf(q: RequestQuery, kind: Kind): { conditions: string[]; params: Params; box: Box | null } {
  const { conditions, params } = filters(q, kind);
  const box = q.near ? boxAround(q.near.lat, q.near.long, q.near.radius) : q.bbox;
  if (!box) return { conditions, params, box };
  Object.assign(params, box);
  conditions.push('r.lat BETWEEN @minLat AND @maxLat', 'r.long BETWEEN @minLong AND @maxLong');
  if (q.near) {
    conditions.push(WITHIN_RADIUS);
    Object.assign(params, radiusParams(q.near));
  }
  return { conditions, params, box };
}

/**
 * `LIMIT`/`OFFSET` bound to parameters: `+@n` on SQLite, where a bare bound LIMIT makes SQLite plan the
 * statement again at every run (≈ 7 µs); PostgreSQL takes the bare parameter (its `+` could not type it).
 */
export const limitOf = (kind: Kind, limit: string, offset?: string): string => {
  const plus = kind === 'sqlite' ? '+' : '';
  return `LIMIT ${plus}@${limit}${offset ? ` OFFSET ${plus}@${offset}` : ''}`;
};

/** A cell no point is in: cells count rows and columns from the south pole and the antimeridian, from 0. */
const NO_CELL = -1;
/** PostgreSQL's unions of cells have a multiple of this many arms (see padded). */
const ARMS_STEP = 8;

/**
 * The cells, then NO_CELL up to a multiple of ARMS_STEP, for PostgreSQL. It plans a union arm by arm
 * (10 to 20 ms of CPU for the 40 cells of a 500 m box, against 1 to 2 ms to run it) and plans a
 * prepared statement anew, per connection, until five runs have shown its generic plan no worse. With
 * a text per count of cells, the boxes of one map made dozens of texts, each planned five times on each
 * connection of the pool: most map reads of a fresh server were planned. Padded, 8 texts serve every
 * count (ARMS_STEP × 8 = MAX_CELLS), and an arm of NO_CELL costs one probe of the index. (One statement
 * of a LATERAL join over the cells plans in 2 ms but reads up to `reach` keys of every cell: measured
 * slower once the plans are made.)
 */
function padded(cells: number[]): number[] {
  const arms = Math.ceil(cells.length / ARMS_STEP) * ARMS_STEP;
  return [...cells, ...Array<number>(arms - cells.length).fill(NO_CELL)];
}

/**
 * The `(requested_at, id)` of every public request matching the query, newest first, as one statement
 * to which a LIMIT of at most `reach` rows (offset included) may be added. Values always go as
 * parameters. With a place, the statement follows `planBox`: the R*Tree (PostgreSQL: the GiST index of
 * `geom`, the exact `BETWEEN` kept), the cells of a grid merged in date order (a UNION ALL whose arms
 * each walk one cell's index range newest first, so the engine reads little more than the page; on
 * PostgreSQL each arm carries its own `ORDER BY … LIMIT @reach`, so that it merges the arms instead of
 * sorting them all), or the date index. A text search leaves the choice to the engine: the words
 * usually narrow more than the place. SQLite's planner hints (`INDEXED BY`) are SQLite's only.
 */
export function keysQuery(q: RequestQuery, kind: Kind, reach: number): { sql: string; params: Params } {
  const { conditions, params, box } = conditionsOf(q, kind);
  const where = conditions.join(' AND ');
  // No service matched (`service_code` of unknown codes): the condition is a constant false, under which
  // SQLite finds no plan for an INDEXED BY arm; the date plan answers the empty list at once.
  const nothing = q.serviceIds?.length === 0;
  const plan: BoxPlan = !box || q.words || nothing ? { kind: 'date' } : planBox(box, q.near ? reaches(q.near) : undefined);
  if (plan.kind === 'date') return { sql: `${KEYS} FROM requests r WHERE ${where} ${NEWEST_FIRST}`, params };
  if (plan.kind === 'rtree' && kind === 'postgres') {
    const envelope = 'r.geom && ST_MakeEnvelope(@minLong, @minLat, @maxLong, @maxLat, 4326)';
    return { sql: `${KEYS} FROM requests r WHERE ${envelope} AND ${where} ${NEWEST_FIRST}`, params };
  }
  if (plan.kind === 'rtree') {
    // The R*Tree keeps 32-bit boxes rounded outwards: ask it for overlap, the exact test is on the row.
    const overlap = 't.max_lat >= @minLat AND t.min_lat <= @maxLat AND t.max_long >= @minLong AND t.min_long <= @maxLong';
    return { sql: `${KEYS} FROM requests_rtree t CROSS JOIN requests r ON r.id = t.id WHERE ${overlap} AND ${where} ${NEWEST_FIRST}`, params };
  }
  const { grid, cells } = plan;
  if (kind === 'postgres') params.reach = reach;
  const arms = (kind === 'postgres' ? padded(cells) : cells).map((cell, i) => {
    params[`cell${i}`] = cell;
    return kind === 'sqlite'
      ? `${KEYS} FROM requests r INDEXED BY ${grid.index} WHERE r.${grid.column} = @cell${i} AND ${where}`
      : `(${KEYS} FROM requests r WHERE r.${grid.column} = @cell${i} AND ${where} ${NEWEST_FIRST} LIMIT @reach)`;
  });
  return { sql: `${arms.join(' UNION ALL ')} ORDER BY 1 DESC, 2 DESC`, params };
}
