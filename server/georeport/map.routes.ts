import { Hono } from 'hono';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one } from './fields.ts';
import { windowNow } from './cached-answer.ts';
import { FORMATS } from './format.ts';
import { refuse } from './georeport.errors.ts';
import { parseRequestQuery } from './request-filters.ts';

const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

/**
 * `map.{fmt}?bbox=…&zoom=…` (an extension, with every filter of `GET requests`): what the public map shows
 * of its view. At street zoom, or when the view holds few requests, `markers` (the newest, at most 2000,
 * `truncated` when there were more); below, `clusters` on a grid that follows the zoom. Answered through
 * the public answers' cache and HTTP caching (cached-answer.ts): its ETag moves whenever a request or the
 * catalogue of the town changes, the same on every server.
 */
export function createMapRoutes(deps: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/map.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(deps.catalogue, fields);
      const now = Math.floor(deps.now() / 1000);
      const { query } = await parseRequestQuery(fields, jurisdiction.id, windowNow(deps.now()), (codes) => deps.catalogue.serviceIds(jurisdiction.id, codes));
      if (!query.bbox && !query.near) throw refuse('area.missing', 'bbox');
      const zoomText = one(fields, 'zoom', 4);
      if (zoomText === undefined || !/^\d{1,2}$/.test(zoomText) || Number(zoomText) > 22) throw refuse('number.invalid', 'zoom', { whole: 1, min: 0, max: 22 });
      const zoom = Number(zoomText);
      return deps.answers(c, { format, town: jurisdiction.id, counters: ['requests', 'catalogue'], locale: null, query: `map ${zoom} ${JSON.stringify(query)}` }, async () => {
        const view = await deps.map.view(query, zoom, now);
        const total = { total: view.total.value, ...(view.total.exact ? {} : { total_estimated: true }) };
        return {
          root: 'map',
          payload: view.kind === 'clusters'
            ? { ...total, clusters: view.clusters.map((k) => ({ lat: round(k.lat), long: round(k.long), count: k.count, open: k.open })) }
            : {
                ...total,
                truncated: view.truncated,
                markers: view.markers.map((m) => ({
                  service_request_id: String(m.id), lat: round(m.lat), long: round(m.long), status: m.status,
                  detailed_status: m.detailedStatus, service_code: m.serviceCode,
                })),
              },
        };
      });
    });
  }
  return app;
}
