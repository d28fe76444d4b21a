import { Hono } from 'hono';
import type { Status } from '../requests/requests.types.ts';
import { FILE_PARAM, FORMATS, respond, splitFile } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { commaList, one, type Fields } from './fields.ts';
import { parseDatetime } from './datetime.ts';
import { badRequest, notFound } from './georeport.errors.ts';
import { requestOut } from './serialize.ts';

const DAY = 86_400;
const MAX_SPAN = 90 * DAY;
const MAX_RESULTS = 1000;
/** The last second of year 9999: "no upper bound". */
const END_OF_TIME = 253_402_300_799;
const REQUEST_ID = /^[1-9][0-9]{0,14}$/;

function dateParam(fields: Fields, name: string): number | undefined {
  const text = one(fields, name, 100);
  if (text === undefined) return undefined;
  const seconds = parseDatetime(text);
  if (seconds === undefined) throw badRequest(`${name} must be a W3C datetime with a zone, such as 2026-05-01T08:30:00Z`);
  return seconds;
}

/** The `requested_datetime` window: at most 90 days, the last 90 days by default. */
function dateWindow(fields: Fields, nowSeconds: number): { from: number; to: number } {
  const start = dateParam(fields, 'start_date');
  const end = dateParam(fields, 'end_date');
  if (start === undefined && end === undefined) return { from: nowSeconds - MAX_SPAN, to: END_OF_TIME };
  if (end === undefined) return { from: start!, to: start! + MAX_SPAN };
  if (start === undefined) return { from: end - MAX_SPAN, to: end };
  if (end < start) throw badRequest('end_date is before start_date');
  if (end - start > MAX_SPAN) throw badRequest('start_date and end_date may not span more than 90 days');
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

/** `requests.{fmt}` (query), `requests/{id}.{fmt}` (one request) and `tokens/{token}.{fmt}`. */
export function createRequestsRoutes({ catalogue, requests, now }: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/requests.${format}`, (c) => {
      const fields = queryFields(c);
      const jurisdiction = resolveJurisdiction(catalogue, fields);
      const ids = commaList(fields, 'service_request_id', MAX_RESULTS);
      if (ids) {
        const numeric = ids.filter((id) => REQUEST_ID.test(id)).map(Number);
        return respond(c, format, 'service_requests', requests.byIds(jurisdiction.id, numeric).map(requestOut));
      }
      const found = requests.search({
        jurisdictionId: jurisdiction.id,
        ...dateWindow(fields, Math.floor(now() / 1000)),
        serviceCodes: commaList(fields, 'service_code') ?? null,
        statuses: statusParam(fields),
        limit: MAX_RESULTS,
      });
      return respond(c, format, 'service_requests', found.map(requestOut));
    });
  }
  app.get(`/requests/${FILE_PARAM}`, (c) => {
    const { name: id, format } = splitFile(c.req.param('file'));
    const jurisdiction = resolveJurisdiction(catalogue, queryFields(c));
    const found = REQUEST_ID.test(id) ? requests.byIds(jurisdiction.id, [Number(id)]) : [];
    if (found.length === 0) throw notFound(`service_request_id ${id.slice(0, 40)} was not found`);
    return respond(c, format, 'service_requests', found.map(requestOut));
  });
  app.get(`/tokens/${FILE_PARAM}`, (c) => {
    const { name: token, format } = splitFile(c.req.param('file'));
    const jurisdiction = resolveJurisdiction(catalogue, queryFields(c));
    const found = requests.byToken(jurisdiction.id, token);
    if (!found) throw notFound(`token ${token.slice(0, 60)} was not found`);
    return respond(c, format, 'service_requests', [
      { service_request_id: found.id === null ? '' : String(found.id), token },
    ]);
  });
  return app;
}
