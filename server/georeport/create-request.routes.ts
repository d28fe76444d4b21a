import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { clientIp } from '../http/client-ip.ts';
import { FORMATS, respond } from './format.ts';
import { readFormBody } from './body.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one } from './fields.ts';
import { badRequest, forbidden, notFound, tooManyRequests } from './georeport.errors.ts';
import { validateRequest } from './validate-request.ts';

/** `POST requests.{fmt}`: files a service request (key, rate limits, validation, then one transaction). */
export function createCreateRequestRoutes(deps: GeoReportDeps) {
  const { catalogue, requests, apiClients, limits, metrics } = deps;

  const limit = (c: Context, scope: 'ip' | 'key', key: string, max?: number) => {
    const result = limits[scope].hit(key, max);
    if (result.allowed) return;
    metrics.rateLimited(scope);
    c.header('Retry-After', String(result.retryAfter));
    throw tooManyRequests(`too many requests; try again in ${result.retryAfter} seconds`);
  };

  const app = new Hono();
  for (const format of FORMATS) {
    app.post(`/requests.${format}`, async (c) => {
      limit(c, 'ip', clientIp(c, deps.trustProxy));
      const query = queryFields(c);
      const body = await readFormBody(c);

      const key = one(body, 'api_key', 200) ?? one(query, 'api_key', 200);
      const client = key === undefined ? undefined : apiClients.verify(key);
      if (!client) throw forbidden(key === undefined ? 'api_key was not provided' : 'api_key is not valid');
      limit(c, 'key', String(client.id), client.rateLimitPerMinute ?? undefined);

      const jurisdiction = resolveJurisdiction(catalogue, body.has('jurisdiction_id') ? body : query);
      if (client.jurisdictionId !== null && client.jurisdictionId !== jurisdiction.id) {
        throw forbidden(`api_key is not valid for jurisdiction_id ${jurisdiction.id}`);
      }
      const code = one(body, 'service_code', 200);
      if (code === undefined) throw badRequest('service_code was not provided');
      const service = catalogue.service(jurisdiction.id, code);
      if (!service) throw notFound(`service_code ${code} is not a service of ${jurisdiction.id}`);

      const { mediaUrls, ...input } = validateRequest(body, catalogue.attributes(service.id));
      const token = service.type === 'batch' ? randomUUID() : null;
      const now = Math.floor(deps.now() / 1000);
      const id = requests.create({
        ...input,
        media: mediaUrls.map((url) => ({ url })),
        expectedAt: service.slaHours === null ? null : now + service.slaHours * 3600,
        jurisdictionId: jurisdiction.id,
        serviceId: service.id,
        token,
        visibility: service.moderation === 'hold' ? 'pending' : 'published',
        agencyResponsible: service.agencyResponsible,
        serviceNotice: service.serviceNotice,
        channel: 'api',
        apiClientId: client.id,
        now,
      });
      const reference =
        service.type === 'realtime' ? { service_request_id: String(id) } : service.type === 'batch' ? { token } : {};
      return respond(c, format, 'service_requests', [
        { ...reference, service_notice: service.serviceNotice, account_id: input.reporter.accountId },
      ]);
    });
  }
  return app;
}
