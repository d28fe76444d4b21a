import type { GeocodeKind } from '../../server/geocode/geocoder.ts';
import { isNearby, REVERSE_LIMIT } from '../../server/geocode/nearby.ts';

/** An address the resident may pick while typing, or the one nearest their pin. */
export interface AddressSuggestion {
  /** What the resident reads and what becomes the report's `address_string`. */
  label: string;
  lat: number;
  long: number;
  /** A numbered door, a street, a named place or a town, when the geocoder says (BAN's `type`). */
  kind?: GeocodeKind | null;
}

export interface GeocodeOptions {
  /** Rank addresses near this point first (the pin, else the map's centre). */
  near?: { lat: number; long: number } | null;
  /** Aborts the lookup (the resident typed on). */
  signal?: AbortSignal;
}

/**
 * Turns typed text into addresses, and a pin into the address near it. The widget ships a Base Adresse
 * Nationale adapter ({@link createBanGeocoder}); a site may set its own on `<georeport-form>.geocoder`.
 * `search` rejects when the lookup failed; an empty array means nothing matched. `reverse` is optional
 * (without it the pin is told by its coordinates); it resolves null when no address is near enough to
 * name the place (see `isNearby`), and rejects when the lookup failed.
 */
export interface Geocoder {
  search(text: string, options?: GeocodeOptions): Promise<AddressSuggestion[]>;
  reverse?(lat: number, long: number, options?: Pick<GeocodeOptions, 'signal'>): Promise<AddressSuggestion | null>;
}

/** Fewer characters than this are not worth a lookup (BAN also refuses them). */
export const MIN_QUERY_LENGTH = 3;
const MAX_QUERY_LENGTH = 200;
const MAX_LABEL_LENGTH = 300;

/**
 * Typed text as a query: single spaces, no leading punctuation (BAN wants a letter or digit first), at
 * most 200 characters; empty when too short to search.
 */
export function toQuery(raw: string): string {
  const q = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
  return q.length >= MIN_QUERY_LENGTH ? q : '';
}

const KINDS: readonly GeocodeKind[] = ['housenumber', 'street', 'locality', 'municipality'];
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const inRange = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max;

/** One GeoJSON feature as a suggestion, or null when its point or label is missing or wrong. */
function toSuggestion(feature: unknown): AddressSuggestion | null {
  if (!isRecord(feature) || !isRecord(feature.geometry) || !isRecord(feature.properties))
    return null;
  const [long, lat] = Array.isArray(feature.geometry.coordinates)
    ? feature.geometry.coordinates
    : [];
  const { label, type } = feature.properties;
  if (!inRange(lat, 90) || !inRange(long, 180) || typeof label !== 'string') return null;
  // Upstream text is shown and stored: one line, no control characters, a sane length.
  const clean = label
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const kind = KINDS.find((k) => k === type) ?? null;
  return clean && clean.length <= MAX_LABEL_LENGTH ? { label: clean, lat, long, kind } : null;
}

/**
 * The suggestions in a BAN answer (a GeoJSON FeatureCollection whose features have
 * `geometry.coordinates = [lon, lat]` and `properties.label`), at most `limit`, bad features skipped.
 *
 * @throws Error when the body is not a FeatureCollection (an error page, another API at that URL).
 */
export function parseBanSuggestions(body: unknown, limit = 5): AddressSuggestion[] {
  if (!isRecord(body) || body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
    throw new Error('the geocoder did not answer a FeatureCollection');
  }
  const found: AddressSuggestion[] = [];
  for (const feature of body.features) {
    const s = toSuggestion(feature);
    if (s) found.push(s);
    if (found.length === limit) break;
  }
  return found;
}

export interface BanGeocoderOptions {
  /** The API's base, below which `search/` and `reverse/` live: `https://api-adresse.data.gouv.fr/` or an addok. */
  url: string;
  /** Most suggestions asked for and shown (default 5). */
  limit?: number;
  fetch?: typeof fetch;
}

/**
 * A {@link Geocoder} for the Base Adresse Nationale API: `GET {url}/search/?q=…&limit=5[&lat=…&lon=…]`
 * and `GET {url}/reverse/?lat=…&lon=…&limit=5`, both answering a GeoJSON FeatureCollection.
 *
 * @example
 * const geocoder = createBanGeocoder({ url: 'https://api-adresse.data.gouv.fr/' });
 * const [first] = await geocoder.search('12 rue Nationale', { near: { lat: 47.39, long: 0.68 } });
 */
export function createBanGeocoder(options: BanGeocoderOptions): Geocoder {
  const base = new URL(options.url, location.href);
  // Without the trailing slash, `search/` would replace the last segment of the path.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const limit = options.limit ?? 5;
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  /** GETs `path` with `params` and reads the FeatureCollection; rejects on any failure. */
  const get = async (path: 'search/' | 'reverse/', params: Record<string, string>, max: number, signal?: AbortSignal) => {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await doFetch(url, {
      credentials: 'omit',
      headers: { Accept: 'application/json' },
      signal: signal ?? null,
    });
    if (!res.ok) throw new Error(`the geocoder answered ${res.status}`);
    return parseBanSuggestions(await res.json(), max);
  };
  return {
    async search(text, { near, signal } = {}) {
      const q = toQuery(text);
      if (!q) return [];
      const params: Record<string, string> = { q, limit: String(limit) };
      if (near) {
        params['lat'] = String(near.lat);
        params['lon'] = String(near.long);
      }
      return get('search/', params, limit, signal);
    },
    async reverse(lat, long, { signal } = {}) {
      // A few, nearest first: a town's own record (its centre point) is no address, the next one is.
      const params = { lat: String(lat), lon: String(long), limit: String(REVERSE_LIMIT) };
      const nearest = (await get('reverse/', params, REVERSE_LIMIT, signal)).find((s) => s.kind !== 'municipality');
      return nearest && isNearby(lat, long, nearest) ? nearest : null;
    },
  };
}
