import { createOutbound } from '../http/outbound.ts';
import { parseBanFeatureCollection } from './ban-response.ts';
import { fetchJson } from './fetch-json.ts';
import type { GeocodeResult, GeocodeSearchOptions, Geocoder } from './geocoder.ts';
import { REVERSE_LIMIT } from './nearby.ts';

/** Options of {@link createBanGeocoder}. */
export interface BanGeocoderOptions {
  /**
   * Where the API lives, `/search/` and `/reverse/` being below it: the public
   * `https://api-adresse.data.gouv.fr/` or a self-hosted addok. Must be http(s).
   */
  baseUrl: string;
  /** Budget for one lookup, connection and body included (default 3000 ms). */
  timeoutMs?: number;
  /**
   * Search results scoring below this are dropped (default 0.5: under it, BAN's best guess is
   * usually another street or another town).
   */
  minScore?: number;
  /** Keep search results to one commune (INSEE code, e.g. `37261`): a town's reports are in town. */
  citycode?: string;
  /** Keep search results to one postcode. */
  postcode?: string;
  /** Largest body read from upstream (default 1 MiB); a larger one is a bad response. */
  maxResponseBytes?: number;
  /**
   * The fetch to use: the server's outbound one, which allows the hosts named in its settings (default:
   * one that calls public addresses only, and never follows a redirect).
   */
  fetch?: typeof globalThis.fetch;
}

/** BAN answers 400 to a `q` outside 3–200 characters or not starting with a letter or digit. */
const Q_MIN = 3;
const Q_MAX = 200;

/**
 * The query BAN accepts, made from free text: single spaces, no leading punctuation, cut at a word
 * boundary under 200 characters (the start of an address carries the number and street). Empty when
 * nothing searchable is left.
 */
export function toBanQuery(raw: string): string {
  let q = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^\p{L}\p{N}]+/u, '');
  if (q.length > Q_MAX) {
    const cut = q.slice(0, Q_MAX + 1);
    const space = cut.lastIndexOf(' ');
    q = (space >= Q_MIN ? cut.slice(0, space) : cut.slice(0, Q_MAX)).trim();
  }
  return q.length >= Q_MIN ? q : '';
}

function checkPoint(lat: number, long: number): void {
  if (
    !Number.isFinite(lat) ||
    !Number.isFinite(long) ||
    Math.abs(lat) > 90 ||
    Math.abs(long) > 180
  ) {
    throw new RangeError(`not a WGS 84 point: ${lat}, ${long}`);
  }
}

/** Bad configuration fails when the factory runs, not at the first report. */
function checkOptions(o: BanGeocoderOptions): URL {
  let base: URL;
  try {
    base = new URL(o.baseUrl);
  } catch {
    throw new TypeError(`geocoder baseUrl is not a URL: ${JSON.stringify(o.baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`geocoder baseUrl must be http(s): ${base.href}`);
  }
  // Without the trailing slash, `new URL('search/', base)` would replace the last path segment.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const positive = (v: number | undefined) => v === undefined || (Number.isSafeInteger(v) && v > 0);
  if (!positive(o.timeoutMs)) throw new RangeError('geocoder timeoutMs must be a positive integer');
  if (!positive(o.maxResponseBytes))
    throw new RangeError('geocoder maxResponseBytes must be a positive integer');
  if (o.minScore !== undefined && !(o.minScore >= 0 && o.minScore <= 1)) {
    throw new RangeError('geocoder minScore must be between 0 and 1');
  }
  if (o.citycode !== undefined && !/^\d[\dAB]\d{3}$/.test(o.citycode)) {
    throw new TypeError(`geocoder citycode is not an INSEE code: ${JSON.stringify(o.citycode)}`);
  }
  if (o.postcode !== undefined && !/^\d{5}$/.test(o.postcode)) {
    throw new TypeError(
      `geocoder postcode is not a French postcode: ${JSON.stringify(o.postcode)}`,
    );
  }
  return base;
}

/**
 * A {@link Geocoder} speaking the Base Adresse Nationale API (addok): `GET {base}/search/?q=…` and
 * `GET {base}/reverse/?lat=…&lon=…`, answering GeoCodeJSON FeatureCollections.
 *
 * @throws TypeError or RangeError at once on bad options (URL, timeout, score, filters).
 * @example
 * const geocoder = createBanGeocoder({
 *   baseUrl: 'https://api-adresse.data.gouv.fr/',
 *   citycode: '37261',
 * });
 * const [best] = await geocoder.search('12 rue Nationale', { near: { lat: 47.39, long: 0.68 } });
 */
export function createBanGeocoder(options: BanGeocoderOptions): Geocoder {
  const base = checkOptions(options);
  const {
    timeoutMs = 3000,
    minScore = 0.5,
    maxResponseBytes = 1024 * 1024,
    fetch = createOutbound().fetch,
  } = options;

  const limits = { fetch, timeoutMs, maxBytes: maxResponseBytes };
  const get = async (path: 'search/' | 'reverse/', params: Record<string, string>) => {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return parseBanFeatureCollection(await fetchJson(url, limits));
  };

  return {
    async search(query: string, opts: GeocodeSearchOptions = {}): Promise<GeocodeResult[]> {
      const q = toBanQuery(query);
      if (q === '') return []; // BAN would answer 400: nothing to look up is not an outage
      const limit = Number.isFinite(opts.limit)
        ? Math.min(100, Math.max(1, Math.trunc(opts.limit!)))
        : 5;
      // autocomplete=0: a posted address is complete text, not a prefix being typed.
      const params: Record<string, string> = { q, limit: String(limit), autocomplete: '0' };
      if (opts.near) {
        checkPoint(opts.near.lat, opts.near.long);
        params['lat'] = String(opts.near.lat);
        params['lon'] = String(opts.near.long);
      }
      if (options.citycode) params['citycode'] = options.citycode;
      if (options.postcode) params['postcode'] = options.postcode;
      const results = await get('search/', params);
      return results
        .filter((r) => r.score >= minScore)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },

    async reverse(lat: number, long: number): Promise<GeocodeResult | undefined> {
      checkPoint(lat, long);
      // No minScore here: a reverse score says how close the address is, not how well text matched.
      // A few, nearest first: a town's own record (its centre point) is no address, the next one is.
      const nearest = await get('reverse/', { lat: String(lat), lon: String(long), limit: String(REVERSE_LIMIT) });
      return nearest.find((r) => r.kind !== 'municipality');
    },
  };
}
