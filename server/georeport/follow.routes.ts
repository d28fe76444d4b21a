import { Hono } from 'hono';
import { FORMATS, respond } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';
import { renderRequests } from './render-requests.ts';
import { END_OF_TIME } from './request-filters.ts';
import { validateFollower } from './validate-request.ts';
import { authorizeWrite } from './write-access.ts';

const DAY = 86_400;
/** Most duplicates offered (the nearest). */
const MAX_DUPLICATES = 10;

function coordinate(fields: Fields, name: 'lat' | 'long'): number {
  const text = one(fields, name, 40);
  const limit = name === 'lat' ? 90 : 180;
  const value = text !== undefined && /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(Math.abs(value) <= limit)) throw refuse('coordinate.invalid', name, { max: limit });
  return value;
}

/**
 * Extensions against duplicates:
 * - `duplicates.{fmt}?service_code&lat&long`: the open requests of that service near the point (within
 *   the service's `duplicate_radius`, filed within its `duplicate_days`), nearest first, each with its
 *   `distance`, so a resident can join one instead of filing it again.
 * - `POST requests/{id}/followers.{fmt}` (`api_key`, optional `device_id`, `email`, `email_updates`,
 *   `locale`): joins a request ("me too"); answers its public follower count, and with `email_updates`
 *   `email_confirmation: required` (the e-mails wait for the address's owner to confirm through a mailed
 *   link). The same device or e-mail joining again counts once.
 */
export function createFollowRoutes(deps: GeoReportDeps) {
  const { catalogue, requests } = deps;
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/duplicates.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = resolveJurisdiction(catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, catalogue.locales(jurisdiction.id));
      const code = one(fields, 'service_code', 200);
      if (code === undefined) throw refuse('field.missing', 'service_code');
      const [lat, long] = [coordinate(fields, 'lat'), coordinate(fields, 'long')];
      const service = catalogue.service(jurisdiction.id, code);
      if (!service) throw refuse('service.unknown', 'service_code', { value: code, jurisdiction: jurisdiction.id });
      const now = Math.floor(deps.now() / 1000);
      const found = await requests.search({
        jurisdictionId: jurisdiction.id, from: now - service.duplicateDays * DAY, to: END_OF_TIME, serviceIds: [service.id],
        statuses: ['open'], updatedAfter: null, updatedBefore: null, bbox: null, near: { lat, long, radius: service.duplicateRadius },
        words: null, agency: null, limit: 200, offset: 0,
      }, locale);
      const nearest = found.sort((a, b) => a.distance! - b.distance!).slice(0, MAX_DUPLICATES);
      return renderRequests(deps, c, format, fields, nearest);
    });

    app.post(`/requests/:id{[1-9][0-9]{0,14}}/followers.${format}`, async (c) => {
      const { body, jurisdiction } = await authorizeWrite(c, deps, 'report');
      const follower = validateFollower(body);
      const id = Number(c.req.param('id'));
      if (!(await requests.byId(jurisdiction.id, id))) throw refuse('request.unknown', 'service_request_id', { value: id });
      const { followers } = deps.followers.follow({
        ...follower, requestId: id, kind: 'supporter', locale: follower.locale ?? jurisdiction.defaultLocale,
        now: Math.floor(deps.now() / 1000),
      });
      // Whether an e-mail went out, or the address was known, is the address owner's business: the answer
      // only says that e-mails wait for a confirmation.
      const confirmation = follower.notify ? { email_confirmation: 'required' } : {};
      return respond(c, format, 'service_requests', [{ service_request_id: String(id), followers, ...confirmation }]);
    });
  }
  return app;
}
