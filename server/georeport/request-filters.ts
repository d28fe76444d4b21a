import type { RequestQuery } from '../requests/requests.query.ts';
import type { Status } from '../requests/requests.types.ts';
import { parseDatetime } from './datetime.ts';
import { commaList, one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';

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
  if (seconds === undefined) throw refuse('datetime.invalid', name);
  return seconds;
}

/** A window of at most 90 days over `start`/`end` parameters; the last 90 days when neither is given. */
export function dateWindow(fields: Fields, nowSeconds: number, names = ['start_date', 'end_date'] as const): { from: number; to: number } {
  const start = dateParam(fields, names[0]);
  const end = dateParam(fields, names[1]);
  if (start === undefined && end === undefined) return { from: nowSeconds - MAX_SPAN, to: END_OF_TIME };
  if (end === undefined) return { from: start!, to: start! + MAX_SPAN };
  if (start === undefined) return { from: end - MAX_SPAN, to: end };
  if (end < start) throw refuse('dates.order', names[1], { start: names[0] });
  if (end - start > MAX_SPAN) throw refuse('dates.span', names[1], { start: names[0] });
  return { from: start, to: end };
}

function statusParam(fields: Fields): Status[] | null {
  const items = commaList(fields, 'status', 10);
  if (!items) return null;
  const statuses = new Set<Status>();
  for (const item of items) {
    const s = item.toLowerCase();
    if (s !== 'open' && s !== 'closed') throw refuse('status.invalid', 'status', { value: item.slice(0, 40) });
    statuses.add(s);
  }
  return [...statuses];
}

function number(text: string, name: string, min: number, max: number): number {
  const value = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw refuse('number.invalid', name, { min, max });
  return value;
}

function integer(fields: Fields, name: string, min: number, max: number): number | undefined {
  const text = one(fields, name, 20);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw refuse('number.invalid', name, { whole: 1, min, max });
  return Number(text);
}

/** `lat` + `long` + `radius` (metres): all three or none. */
function nearParam(fields: Fields): RequestQuery['near'] {
  const [lat, long, radius] = ['lat', 'long', 'radius'].map((n) => one(fields, n, 100));
  if (lat === undefined && long === undefined && radius === undefined) return null;
  if (lat === undefined || long === undefined || radius === undefined) throw refuse('near.incomplete', [['lat', lat], ['long', long], ['radius', radius]].find(([, v]) => v === undefined)![0]);
  return { lat: number(lat, 'lat', -90, 90), long: number(long, 'long', -180, 180), radius: number(radius, 'radius', 0, MAX_RADIUS) };
}

/** `bbox=minLon,minLat,maxLon,maxLat`; reversed corners are put right. */
function bboxParam(fields: Fields): RequestQuery['bbox'] {
  const text = one(fields, 'bbox', 200);
  if (text === undefined) return null;
  const parts = text.split(',');
  if (parts.length !== 4) throw refuse('bbox.invalid', 'bbox');
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
export async function parseRequestQuery(
  fields: Fields,
  jurisdictionId: string,
  nowSeconds: number,
  serviceIds: (codes: string[]) => Promise<number[]>,
): Promise<{ query: RequestQuery; paging: Paging | null }> {
  const page = integer(fields, 'page', 1, 1_000_000);
  const pageSize = integer(fields, 'page_size', 1, MAX_RESULTS);
  const paging = page === undefined && pageSize === undefined ? null : { page: page ?? 1, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
  const near = nearParam(fields);
  const bbox = bboxParam(fields);
  if (near && bbox) throw refuse('bbox.with_near', 'bbox');
  const codes = commaList(fields, 'service_code', 100);
  return {
    paging,
    query: {
      jurisdictionId,
      ...dateWindow(fields, nowSeconds),
      serviceIds: (codes && (await serviceIds(codes))) ?? null,
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
