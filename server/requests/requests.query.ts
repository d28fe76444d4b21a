import type { Status } from './requests.types.ts';

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
  bbox: { minLat: number; maxLat: number; minLong: number; maxLong: number } | null;
  /** Within `radius` metres of a point; results then carry their distance. */
  near: { lat: number; long: number; radius: number } | null;
  /** Words that must all appear in the title, description or address (prefix match, accents ignored). */
  words: string[] | null;
  agency: string | null;
  limit: number;
  offset: number;
}

const METRES_PER_DEGREE = 111_320;

/** The bounding box around a circle, for the R*Tree prefilter (exact distance is checked after). */
export function boxAround(lat: number, long: number, radius: number): NonNullable<RequestQuery['bbox']> {
  const dLat = radius / METRES_PER_DEGREE;
  const cos = Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
  const dLong = Math.min(radius / (METRES_PER_DEGREE * cos), 360);
  return { minLat: lat - dLat, maxLat: lat + dLat, minLong: long - dLong, maxLong: long + dLong };
}

/** Great-circle distance in metres (haversine on a spherical Earth, ample for a city). */
export function distanceMetres(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((long2 - long1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** An FTS5 expression matching every word as a prefix; each word is quoted, so no FTS syntax gets through. */
const ftsMatch = (words: string[]) => words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');

/**
 * The WHERE clause and named parameters of a query. Only present filters add conditions, so SQLite can
 * drive the search from whichever index fits (date, R*Tree, full text); values always go as parameters.
 */
export function whereClause(q: RequestQuery): { sql: string; params: Record<string, string | number> } {
  const conditions = ['r.jurisdiction_id = @jurisdiction', "r.visibility = 'published'", 'r.queued = 0', 'r.requested_at BETWEEN @from AND @to'];
  const params: Record<string, string | number> = { jurisdiction: q.jurisdictionId, from: q.from, to: q.to };
  if (q.serviceIds) {
    // One placeholder per id, so SQLite knows how few there are and walks the by-service index in
    // date order (stopping at the page's end) instead of the whole date window.
    const names = q.serviceIds.map((id, i) => ((params[`service${i}`] = id), `@service${i}`));
    conditions.push(names.length === 0 ? '0' : `r.service_id IN (${names.join(', ')})`);
  }
  if (q.statuses) {
    conditions.push('r.status IN (SELECT value FROM json_each(@statuses))');
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
  const box = q.near ? boxAround(q.near.lat, q.near.long, q.near.radius) : q.bbox;
  if (box) {
    conditions.push(`r.id IN (SELECT id FROM requests_rtree WHERE min_lat >= @minLat AND max_lat <= @maxLat
      AND min_long >= @minLong AND max_long <= @maxLong)`);
    Object.assign(params, box);
  }
  if (q.near) {
    conditions.push('geo_distance(r.lat, r.long, @nearLat, @nearLong) <= @radius');
    Object.assign(params, { nearLat: q.near.lat, nearLong: q.near.long, radius: q.near.radius });
  }
  if (q.words) {
    conditions.push('r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH @match)');
    params.match = ftsMatch(q.words);
  }
  if (q.agency !== null) {
    conditions.push('r.agency_responsible = @agency COLLATE NOCASE');
    params.agency = q.agency;
  }
  return { sql: conditions.join(' AND '), params };
}
