import { Hono } from 'hono';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import { queryFields, resolveJurisdiction } from '../georeport/context.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { Open311Error, refuse } from '../georeport/georeport.errors.ts';
import { refusalLanguage } from '../georeport/refusal-language.ts';
import { resolveLocale } from '../georeport/locale.ts';
import { parseRequestQuery } from '../georeport/request-filters.ts';
import { mediaUrl } from '../georeport/serialize.ts';
import type { Logger } from '../logger.ts';
import type { RequestsStore } from '../requests/requests.store.ts';
import type { PublicRequest } from '../requests/requests.types.ts';
import { atomFeed } from './atom.ts';
import { csv } from './csv.ts';
import { statusLabel } from '../notify/messages.ts';
import { cors } from '../http/cors.ts';
import { unexpectedError } from '../http/unexpected.ts';

/** Most requests one export answers (the newest); narrower filters or date windows give the rest. */
export const EXPORT_LIMIT = 10_000;
/** Entries of a feed. */
const FEED_ENTRIES = 50;

export interface OpenDataDeps {
  catalogue: CatalogueStore;
  requests: RequestsStore;
  logger: Logger;
  now: () => number;
  publicUrl: string;
  mediaBaseUrl: string;
  corsOrigins: string[];
}

/** The columns of the CSV export, in order: the properties of each GeoJSON feature. */
const COLUMNS = ['service_request_id', 'status', 'detailed_status', 'service_code', 'service_name', 'title', 'description',
  'status_notes', 'agency_responsible', 'address', 'zipcode', 'lat', 'long', 'requested_datetime', 'updated_datetime',
  'expected_datetime', 'media_url', 'followers'] as const;

/** The public fields of a request, flat, as both exports carry them. */
function record(r: PublicRequest, mediaBase: string): Record<(typeof COLUMNS)[number], string | number | null> {
  const when = (s: number | null) => (s === null ? null : formatDatetime(s));
  return {
    service_request_id: String(r.id), status: r.status, detailed_status: r.detailedStatus, service_code: r.serviceCode,
    service_name: r.serviceName, title: r.title, description: r.description, status_notes: r.statusNotes,
    agency_responsible: r.agencyResponsible, address: r.address, zipcode: r.zipcode, lat: r.lat, long: r.long,
    requested_datetime: when(r.requestedAt), updated_datetime: when(r.updatedAt), expected_datetime: when(r.expectedAt),
    media_url: r.mediaUrl === null ? null : mediaUrl(r.mediaUrl, mediaBase), followers: r.followers,
  };
}

/**
 * Open data, without any personal data: `GET /export/requests.geojson` and `.csv` take the filters of
 * `GET requests` (the newest 10,000 matches), and `GET /feeds/requests.atom` lists the requests created
 * or updated last, for a jurisdiction or an area (`bbox`, or `lat`+`long`+`radius`). Bad filters get a
 * 400 with an Open311 JSON error body.
 */
export function createOpenDataRoutes(deps: OpenDataDeps) {
  const app = new Hono();
  const open = cors({ origins: deps.corsOrigins, methods: ['GET', 'OPTIONS'], exposeHeaders: [], maxAge: 86_400 });
  app.use('/export/*', open);
  app.use('/feeds/*', open);
  const matching = async (url: string, c: Parameters<typeof queryFields>[0], limit: number) => {
    const fields = queryFields(c);
    const jurisdiction = await resolveJurisdiction(deps.catalogue, fields);
    const locale = resolveLocale(c, fields, jurisdiction, await deps.catalogue.locales(jurisdiction.id));
    const { query } = await parseRequestQuery(fields, jurisdiction.id, Math.floor(deps.now() / 1000), (codes) =>
      deps.catalogue.serviceIds(jurisdiction.id, codes));
    return { jurisdiction, locale, query: { ...query, limit, offset: 0 }, url };
  };

  app.get('/export/requests.geojson', async (c) => {
    const { query, locale } = await matching(c.req.url, c, EXPORT_LIMIT);
    const features = (await deps.requests.search(query, locale)).map((r) => ({
      type: 'Feature',
      id: String(r.id),
      geometry: r.lat === null || r.long === null ? null : { type: 'Point', coordinates: [r.long, r.lat] },
      properties: record(r, deps.mediaBaseUrl),
    }));
    c.header('Content-Type', 'application/geo+json; charset=utf-8');
    return c.body(JSON.stringify({ type: 'FeatureCollection', features }));
  });

  app.get('/export/requests.csv', async (c) => {
    const { query, locale } = await matching(c.req.url, c, EXPORT_LIMIT);
    const records = (await deps.requests.search(query, locale)).map((r) => record(r, deps.mediaBaseUrl));
    c.header('Content-Type', 'text/csv; charset=utf-8; header=present');
    c.header('Content-Disposition', 'attachment; filename="requests.csv"');
    return c.body(csv([...COLUMNS], records.map((r) => COLUMNS.map((k) => r[k]))));
  });

  app.get('/feeds/requests.atom', async (c) => {
    const { query, locale, jurisdiction, url } = await matching(c.req.url, c, FEED_ENTRIES);
    const found = await deps.requests.recentlyUpdated(query, locale);
    const base = new URL('open311/v2/', deps.publicUrl).href;
    const feed = atomFeed({
      id: url, self: url, title: jurisdiction.name,
      updated: formatDatetime(found[0]?.updatedAt ?? Math.floor(deps.now() / 1000)),
      entries: found.map((r) => ({
        id: `${base}requests/${r.id}.json`,
        title: [r.serviceName, r.address, statusLabel(r.detailedStatus, locale)].filter(Boolean).join(' — '),
        published: formatDatetime(r.requestedAt),
        updated: formatDatetime(r.updatedAt),
        content: [r.title, r.description, r.statusNotes].filter(Boolean).join('\n\n'),
        point: r.lat === null || r.long === null ? null : { lat: r.lat, long: r.long },
      })),
    });
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(feed);
  });

  app.onError((err, c) => {
    if (err instanceof Open311Error) return c.json(err.items(refusalLanguage(c)), err.status);
    return unexpectedError(deps.logger, c, err) ?? c.json(refuse('server.internal').items(refusalLanguage(c)), 500);
  });
  return app;
}
