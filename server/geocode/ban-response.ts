import { GeocoderError, type GeocodeKind, type GeocodeResult } from './geocoder.ts';

/**
 * Reading a Base Adresse Nationale answer (an addok GeoCodeJSON FeatureCollection) without
 * trusting it: the collection itself must be there, but each feature is checked on its own and a
 * wrong one is skipped, so one bad row from upstream costs one result, not the whole lookup.
 */

/** Upstream never needs more than this many features for us; the rest is not even looked at. */
const MAX_FEATURES = 100;
const KINDS: readonly GeocodeKind[] = ['housenumber', 'street', 'locality', 'municipality'];
/** BAN ids are `citycode[_street[_number]]`; anything else is not worth storing as `address_id`. */
const ADDRESS_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Control characters (C0, DEL, C1): upstream text ends up in stored addresses and e-mails. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A trimmed, single-line string of 1 to `max` characters, or null. */
function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > 0 && clean.length <= max ? clean : null;
}

/** `[lon, lat]` of a GeoJSON Point, in range, or undefined. */
function point(geometry: unknown): { lat: number; long: number } | undefined {
  if (!isRecord(geometry) || geometry['type'] !== 'Point') return undefined;
  const c = geometry['coordinates'];
  if (!Array.isArray(c) || c.length < 2) return undefined;
  const [long, lat] = c as unknown[];
  if (typeof long !== 'number' || typeof lat !== 'number') return undefined;
  if (!Number.isFinite(long) || !Number.isFinite(lat)) return undefined;
  if (long < -180 || long > 180 || lat < -90 || lat > 90) return undefined;
  return { lat, long };
}

/** One feature as a result, or undefined when anything we rely on is missing or out of range. */
function toResult(feature: unknown): GeocodeResult | undefined {
  if (!isRecord(feature) || feature['type'] !== 'Feature') return undefined;
  const at = point(feature['geometry']);
  const p = feature['properties'];
  if (!at || !isRecord(p)) return undefined;
  const label = text(p['label'], 500);
  const score = p['score'];
  if (label === null) return undefined;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1)
    return undefined;
  const id = text(p['id'], 64);
  const kind = KINDS.find((k) => k === p['type']) ?? null;
  return {
    ...at,
    label,
    postcode: text(p['postcode'], 16),
    city: text(p['city'], 200),
    addressId: id !== null && ADDRESS_ID.test(id) ? id : null,
    score,
    kind,
  };
}

/**
 * The usable results of a BAN answer, in upstream order.
 *
 * @throws GeocoderError `geocoder.bad_response` when the body is not a FeatureCollection at all (an
 *   error page, another API at that URL): that is a failed lookup, not an empty one.
 */
export function parseBanFeatureCollection(body: unknown): GeocodeResult[] {
  if (!isRecord(body) || body['type'] !== 'FeatureCollection' || !Array.isArray(body['features'])) {
    throw new GeocoderError(
      'geocoder.bad_response',
      'the geocoder did not answer a FeatureCollection',
    );
  }
  const results: GeocodeResult[] = [];
  for (const feature of body['features'].slice(0, MAX_FEATURES)) {
    const result = toResult(feature);
    if (result) results.push(result);
  }
  return results;
}
