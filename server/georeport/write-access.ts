import type { Context } from 'hono';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { clientIp } from '../http/client-ip.ts';
import type { ApiClient } from '../keys/api-clients.store.ts';
import { readFormBody } from './body.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one, type Fields } from './fields.ts';
import { forbidden, tooManyRequests } from './georeport.errors.ts';

export interface WriteAccess {
  body: Fields;
  form: FormData | undefined;
  client: ApiClient;
  jurisdiction: Jurisdiction;
}

/**
 * What every GeoReport write goes through, in this order: the per-address limit, the body, the API key
 * (body or query; 403 before any other check), the per-key limit, then the jurisdiction the key may write to.
 */
export async function authorizeWrite(c: Context, deps: GeoReportDeps): Promise<WriteAccess> {
  const limit = (scope: 'ip' | 'key', key: string, max?: number) => {
    const result = deps.limits[scope].hit(key, max);
    if (result.allowed) return;
    deps.metrics.rateLimited(scope);
    c.header('Retry-After', String(result.retryAfter));
    throw tooManyRequests(`too many requests; try again in ${result.retryAfter} seconds`);
  };
  limit('ip', clientIp(c, deps.trustProxy));
  const query = queryFields(c);
  const { fields: body, form } = await readFormBody(c);
  const key = one(body, 'api_key', 200) ?? one(query, 'api_key', 200);
  const client = key === undefined ? undefined : deps.apiClients.verify(key);
  if (!client) throw forbidden(key === undefined ? 'api_key was not provided' : 'api_key is not valid');
  limit('key', String(client.id), client.rateLimitPerMinute ?? undefined);
  const jurisdiction = resolveJurisdiction(deps.catalogue, body.has('jurisdiction_id') ? body : query);
  if (client.jurisdictionId !== null && client.jurisdictionId !== jurisdiction.id) {
    throw forbidden(`api_key is not valid for jurisdiction_id ${jurisdiction.id}`);
  }
  return { body, form, client, jurisdiction };
}
