import { Hono } from 'hono';
import type { TrackedRequest } from '../requests/tracking.store.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { formatDatetime } from './datetime.ts';
import { one } from './fields.ts';
import { FORMATS, respond } from './format.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';

/** A tracked request as its filer reads it: its state, never its texts. */
const trackedOut = (r: TrackedRequest) => ({
  service_request_id: String(r.id),
  visibility: r.visibility,
  status: r.status,
  detailed_status: r.detailedStatus,
  status_notes: r.statusNotes,
  service_code: r.serviceCode,
  service_name: r.serviceName,
  requested_datetime: formatDatetime(r.requestedAt),
  updated_datetime: formatDatetime(r.updatedAt),
  expected_datetime: r.expectedAt === null ? null : formatDatetime(r.expectedAt),
});

/**
 * `requests/{id}/tracking.{fmt}?tracking_token=…` (an extension): the state of a request for the device
 * that filed it, whatever its visibility, so "my reports" can say "awaiting approval" of a held report or
 * give a rejection's reason. A wrong or missing token, another request's token or an unknown id all
 * answer exactly as `requests/{id}` does for an unknown request: to anyone else a held request stays
 * unknown. Never cached (the token is in the URL; query strings are not logged).
 */
export function createTrackingRoutes(deps: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/requests/:id{[1-9][0-9]{0,14}}/tracking.${format}`, async (c) => {
      c.header('Cache-Control', 'no-store');
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(deps.catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, await deps.catalogue.locales(jurisdiction.id));
      const token = one(fields, 'tracking_token', 100);
      if (token === undefined) throw refuse('field.missing', 'tracking_token');
      const id = c.req.param('id');
      const found = await deps.tracking.tracked(jurisdiction.id, Number(id), token, locale);
      if (!found) throw refuse('request.unknown', 'service_request_id', { value: id });
      return respond(c, format, 'service_requests', [trackedOut(found)]);
    });
  }
  return app;
}
