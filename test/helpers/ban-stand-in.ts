/**
 * A local stand-in for the Base Adresse Nationale API (addok), speaking its exact wire format over
 * real HTTP on loopback, so the geocoder and the demo run with no internet. It answers
 * `GET /search/?q=&limit=&autocomplete=&lat=&lon=&citycode=&postcode=&type=` and
 * `GET /reverse/?lat=&lon=&limit=` from an in-memory list (by default `demo/city/addresses.json`)
 * with simple accent- and case-insensitive token matching; it is not addok's ranking.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One known address, as stored in `demo/city/addresses.json`. */
export interface BanStandInAddress {
  /** BAN id: `citycode`, `citycode_street` or `citycode_street_number`. */
  id: string;
  type: 'housenumber' | 'street' | 'locality' | 'municipality';
  housenumber?: string;
  street?: string;
  /** `12 Rue Nationale`, `Quai du Port`, or the town's name for a municipality. */
  name: string;
  postcode: string;
  citycode: string;
  city: string;
  context: string;
  lat: number;
  long: number;
  importance: number;
}

/** A running stand-in. */
export interface BanStandIn {
  /** Base URL ending in `/` (`http://127.0.0.1:PORT/`), to give to `createBanGeocoder`. */
  url: string;
  /** Every URL asked so far, in order (to check what the adapter sends). */
  requests: URL[];
  /** Stops listening and drops open connections, pending delayed answers included. */
  close(): Promise<void>;
}

/** The demo city's addresses (Montclair-sur-Loire, 37000). */
export const DEMO_ADDRESSES: BanStandInAddress[] = JSON.parse(
  readFileSync(new URL('../../demo/city/addresses.json', import.meta.url), 'utf8'),
);

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (s: string) =>
  fold(s)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Metres between two WGS 84 points (haversine). */
function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

/** Lambert-93 (EPSG:2154) `x`, `y`, which BAN sends alongside WGS 84. */
function lambert93(lat: number, lon: number): { x: number; y: number } {
  const e = 0.0818191910428158;
  const rad = Math.PI / 180;
  const m = (p: number) => Math.cos(p) / Math.sqrt(1 - (e * Math.sin(p)) ** 2);
  const t = (p: number) =>
    Math.tan(Math.PI / 4 - p / 2) / ((1 - e * Math.sin(p)) / (1 + e * Math.sin(p))) ** (e / 2);
  const [p1, p2, p0] = [44 * rad, 49 * rad, 46.5 * rad];
  const n = (Math.log(m(p1)) - Math.log(m(p2))) / (Math.log(t(p1)) - Math.log(t(p2)));
  const rho = (p: number) => ((6_378_137 * m(p1)) / (n * t(p1) ** n)) * t(p) ** n;
  const angle = n * (lon - 3) * rad;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    x: round(700_000 + rho(lat * rad) * Math.sin(angle)),
    y: round(6_600_000 + rho(p0) - rho(lat * rad) * Math.cos(angle)),
  };
}

/** The GeoJSON feature BAN sends for an address (property order as BAN's). */
function feature(a: BanStandInAddress, score: number, distance?: number) {
  const label = a.type === 'municipality' ? a.name : `${a.name} ${a.postcode} ${a.city}`;
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [a.long, a.lat] },
    properties: {
      label,
      score,
      ...(a.housenumber !== undefined && { housenumber: a.housenumber }),
      id: a.id,
      name: a.name,
      postcode: a.postcode,
      citycode: a.citycode,
      ...lambert93(a.lat, a.long),
      city: a.city,
      context: a.context,
      type: a.type,
      importance: a.importance,
      ...(a.street !== undefined && { street: a.street }),
      ...(distance !== undefined && { distance }),
    },
  };
}

/** Share of query tokens found, blended with share of the address name covered. */
function score(query: string[], a: BanStandInAddress, autocomplete: boolean): number {
  const name = tokens(a.name);
  const all = new Set([...name, ...tokens(a.postcode), ...tokens(a.city)]);
  const found = query.filter(
    (q, i) =>
      all.has(q) ||
      (autocomplete &&
        i === query.length - 1 &&
        q.length > 1 &&
        [...all].some((c) => c.startsWith(q))),
  ).length;
  if (found === 0) return 0;
  const covered = name.filter((n) => query.includes(n)).length / name.length;
  return 0.6 * (found / query.length) + 0.4 * covered;
}

class BadParam extends Error {}

function number(
  params: URLSearchParams,
  keys: string[],
  min: number,
  max: number,
): number | undefined {
  const key = keys.find((k) => params.has(k));
  if (key === undefined) return undefined;
  const n = Number(params.get(key));
  if (params.get(key) === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new BadParam(`${key}: must be a number between ${min} and ${max}`);
  }
  return n;
}

function limitOf(params: URLSearchParams, fallback: number): number {
  const n = number(params, ['limit'], 1, 100) ?? fallback;
  if (!Number.isInteger(n)) throw new BadParam('limit: must be an integer between 1 and 100');
  return n;
}

/** BAN's filters (only those given), applied to a candidate. */
function filtersOf(params: URLSearchParams) {
  const filters: Partial<Record<'citycode' | 'postcode' | 'type', string>> = {};
  for (const k of ['citycode', 'postcode', 'type'] as const) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  // A filter may list several values (`type=street housenumber`), any of which matches.
  const keep = (a: BanStandInAddress) =>
    (['citycode', 'postcode', 'type'] as const).every(
      (k) => filters[k] === undefined || filters[k].split(/[ +]/).includes(a[k]),
    );
  return { filters, keep };
}

function search(params: URLSearchParams, addresses: BanStandInAddress[]) {
  const q = (params.get('q') ?? '').trim();
  if (q.length < 3 || q.length > 200 || !/^[\p{L}\p{N}]/u.test(q)) {
    throw new BadParam(
      'q: must contain between 3 and 200 chars and start with a number or a letter',
    );
  }
  const limit = limitOf(params, 5);
  const lat = number(params, ['lat'], -90, 90);
  const lon = number(params, ['lon', 'lng'], -180, 180);
  const center = lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
  const autocomplete = params.get('autocomplete') !== '0';
  const { filters, keep } = filtersOf(params);
  const query = tokens(q);
  const found = addresses
    .filter(keep)
    .map((a) => ({
      a,
      s: score(query, a, autocomplete),
      d: center ? metres(center.lat, center.lon, a.lat, a.long) : 0,
    }))
    .filter((r) => r.s > 0)
    // The centre only breaks ties here; addok also mixes it into the score.
    .sort((x, y) => y.s - x.s || x.d - y.d)
    .slice(0, limit);
  return {
    type: 'FeatureCollection',
    version: 'draft',
    features: found.map((r) => feature(r.a, r.s)),
    attribution: 'BAN',
    licence: 'ETALAB-2.0',
    query: q,
    ...(Object.keys(filters).length > 0 && { filters }),
    ...(center && { center: [center.lon, center.lat] }),
    limit,
  };
}

function reverse(params: URLSearchParams, addresses: BanStandInAddress[]) {
  const lat = number(params, ['lat'], -90, 90);
  const lon = number(params, ['lon', 'lng'], -180, 180);
  if (lat === undefined || lon === undefined) throw new BadParam('lat, lon: both are required');
  const limit = limitOf(params, 1);
  const { filters, keep } = filtersOf(params);
  const nearest = addresses
    .filter(keep)
    .map((a) => ({ a, d: metres(lat, lon, a.lat, a.long) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, limit);
  return {
    type: 'FeatureCollection',
    version: 'draft',
    // addok's reverse score falls with distance; `distance` is in whole metres.
    features: nearest.map((r) => feature(r.a, 1 / (1 + r.d / 1000), Math.round(r.d))),
    attribution: 'BAN',
    licence: 'ETALAB-2.0',
    ...(Object.keys(filters).length > 0 && { filters }),
    limit,
  };
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  addresses: BanStandInAddress[],
  url: URL,
) {
  const send = (status: number, body: unknown) => {
    // As BAN does: the widget asks it straight from the resident's browser.
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
    });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') return send(405, { code: 405, message: 'Method Not Allowed' });
  const route = {
    '/search/': search,
    '/search': search,
    '/reverse/': reverse,
    '/reverse': reverse,
  }[url.pathname];
  if (!route) return send(404, { code: 404, message: 'Not Found' });
  try {
    send(200, route(url.searchParams, addresses));
  } catch (err) {
    if (!(err instanceof BadParam)) throw err;
    send(400, { code: 400, detail: [err.message], message: 'Failed parsing query' });
  }
}

/**
 * Starts the stand-in on 127.0.0.1, on a free port. `delayMs` holds every answer that long (a slow
 * or hung upstream, to test timeouts); a request whose client gives up is dropped.
 *
 * @example
 * const ban = await startBanStandIn();
 * try { createBanGeocoder({ baseUrl: ban.url }) … } finally { await ban.close(); }
 */
export async function startBanStandIn(
  addresses: BanStandInAddress[] = DEMO_ADDRESSES,
  options: { delayMs?: number } = {},
): Promise<BanStandIn> {
  const requests: URL[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    if (!options.delayMs) return answer(req, res, addresses, url);
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(req, res, addresses, url);
    }, options.delayMs);
    timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
