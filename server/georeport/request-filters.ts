import type { RequestQuery } from '../requests/requests.query.ts';
import type { Status } from '../requests/requests.types.ts';
import { parseDatetime } from './datetime.ts';
import { commaList, one, type Fields } from './fields.ts';
import { badRequest } from './georeport.errors.ts';

const DAY = 86_400;
const MAX_SPAN = 90 * DAY;
export const MAX_RESULTS = 1000;
const DEFAULT_PAGE_SIZE = 50;
const MAX_RADIUS = 100_000;
/** The last second of year 9999: "no upper bound". */
export const END_OF_TIME = 253_402_300_799;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function dateParam(fields: Fields, name: string): number | undefined {
  const text = one(fields, name, 100);
  if (text === undefined) return undefined;
  const seconds = parseDatetime(text);
  if (seconds === undefined) throw badRequest(`${name} must be a W3C datetime with a zone, such as 2026-05-01T08:30:00Z`);
  return seconds;
}

/** A window of at most 90 days over `start`/`end` parameters; the last 90 days when neither is given. */
export function dateWindow(fields: Fields, nowSeconds: number, names = ['start_date', 'end_date'] as const): { from: number; to: number } {
  const start = dateParam(fields, names[0]);
  const end = dateParam(fields, names[1]);
  if (start === undefined && end === undefined) return { from: nowSeconds - MAX_SPAN, to: END_OF_TIME };
  if (end === undefined) return { from: start!, to: start! + MAX_SPAN };
  if (start === undefined) return { from: end - MAX_SPAN, to: end };
  if (end < start) throw badRequest(`${names[1]} is before ${names[0]}`);
  if (end - start > MAX_SPAN) throw badRequest(`${names[0]} and ${names[1]} may not span more than 90 days`);
  return { from: start, to: end };
}

function statusParam(fields: Fields): Status[] | null {
  const items = commaList(fields, 'status', 10);
  if (!items) return null;
  const statuses = new Set<Status>();
  for (const item of items) {
    const s = item.toLowerCase();
    if (s !== 'open' && s !== 'closed') throw badRequest(`status must be open or closed (got ${item.slice(0, 40)})`);
    statuses.add(s);
  }
  return [...statuses];
}

function number(text: string, name: string, min: number, max: number): number {
  const value = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw badRequest(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function integer(fields: Fields, name: string, min: number, max: number): number | undefined {
  const text = one(fields, name, 20);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** `lat` + `long` + `radius` (metres): all three or none. */
function nearParam(fields: Fields): RequestQuery['near'] {
  const [lat, long, radius] = ['lat', 'long', 'radius'].map((n) => one(fields, n, 100));
  if (lat === undefined && long === undefined && radius === undefined) return null;
  if (lat === undefined || long === undefined || radius === undefined) throw badRequest('lat, long and radius must be given together');
  return { lat: number(lat, 'lat', -90, 90), long: number(long, 'long', -180, 180), radius: number(radius, 'radius', 0, MAX_RADIUS) };
}

/** `bbox=minLon,minLat,maxLon,maxLat`; reversed corners are put right. */
function bboxParam(fields: Fields): RequestQuery['bbox'] {
  const text = one(fields, 'bbox', 200);
  if (text === undefined) return null;
  const parts = text.split(',');
  if (parts.length !== 4) throw badRequest('bbox must be minLon,minLat,maxLon,maxLat');
  const [lon1, lat1, lon2, lat2] = parts.map((p, i) => number(p, 'bbox', i % 2 ? -90 : -180, i % 2 ? 90 : 180)) as [number, number, number, number];
  return { minLat: Math.min(lat1, lat2), maxLat: Math.max(lat1, lat2), minLong: Math.min(lon1, lon2), maxLong: Math.max(lon1, lon2) };
}

/** Words of `search` (or its alias `q`) for a full-text match; null when there are none. */
function wordsParam(fields: Fields): string[] | null {
  const text = one(fields, 'search', 500) ?? one(fields, 'q', 500);
  const words = text?.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
  return words && words.length > 0 ? words : null;
}

export interface Paging {
  page: number;
  pageSize: number;
}

/**
 * Reads every filter of `GET requests` (core and extensions) into a query, and the paging asked for
 * (null: the core behaviour, the first 1000 results).
 */
export function parseRequestQuery(
  fields: Fields,
  jurisdictionId: string,
  nowSeconds: number,
  serviceIds: (codes: string[]) => number[],
): { query: RequestQuery; paging: Paging | null } {
  const page = integer(fields, 'page', 1, 1_000_000);
  const pageSize = integer(fields, 'page_size', 1, MAX_RESULTS);
  const paging = page === undefined && pageSize === undefined ? null : { page: page ?? 1, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
  const near = nearParam(fields);
  const bbox = bboxParam(fields);
  if (near && bbox) throw badRequest('give either bbox or lat, long and radius, not both');
  const codes = commaList(fields, 'service_code', 100);
  return {
    paging,
    query: {
      jurisdictionId,
      ...dateWindow(fields, nowSeconds),
      serviceIds: (codes && serviceIds(codes)) ?? null,
      statuses: statusParam(fields),
      updatedAfter: dateParam(fields, 'updated_after') ?? null,
      updatedBefore: dateParam(fields, 'updated_before') ?? null,
      near,
      bbox,
      words: wordsParam(fields),
      agency: one(fields, 'agency_responsible', 200) ?? null,
      limit: paging?.pageSize ?? MAX_RESULTS,
      offset: paging ? (paging.page - 1) * paging.pageSize : 0,
    },
  };
}
