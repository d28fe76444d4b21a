import type { Context } from 'hono';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import type { ApiClient, Scope } from '../keys/api-clients.store.ts';
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

/** What each scope lets a key do, as a refusal says it. */
const NEEDS: Record<Scope, string> = {
  report: 'this api_key may not file or follow requests (it lacks the report scope)',
  updates: 'this api_key may not post status updates (it lacks the updates scope: ask the city for an integration key)',
};

/**
 * What every GeoReport write goes through, in this order: the per-address limit, the body, the API key
 * (body or query; 403 before any other check), its scope for this write (403), the per-key limit, then the
 * jurisdiction the key may write to. A key that may only report is published in city pages, so its limit
 * counts per address (a few addresses using up a city-wide budget would lock every resident out); an
 * integration's key has one budget.
 */
export async function authorizeWrite(c: Context, deps: GeoReportDeps, scope: Scope): Promise<WriteAccess> {
  const limit = (kind: 'ip' | 'key', key: string, max?: number) => {
    const result = deps.limits[kind].hit(key, max);
    if (result.allowed) return;
    deps.metrics.rateLimited(kind);
    c.header('Retry-After', String(result.retryAfter));
    throw tooManyRequests(`too many requests; try again in ${result.retryAfter} seconds`);
  };
  const address = addressGroup(clientIp(c, deps.trustProxy));
  limit('ip', address);
  const query = queryFields(c);
  const { fields: body, form } = await readFormBody(c);
  const key = one(body, 'api_key', 200) ?? one(query, 'api_key', 200);
  const client = key === undefined ? undefined : deps.apiClients.verify(key);
  if (!client) throw forbidden(key === undefined ? 'api_key was not provided' : 'api_key is not valid');
  if (!client.scopes.includes(scope)) throw forbidden(NEEDS[scope]);
  const published = !client.scopes.includes('updates');
  limit('key', published ? `${client.id} ${address}` : String(client.id), client.rateLimitPerMinute ?? undefined);
  const jurisdiction = resolveJurisdiction(deps.catalogue, body.has('jurisdiction_id') ? body : query);
  if (client.jurisdictionId !== null && client.jurisdictionId !== jurisdiction.id) {
    throw forbidden(`api_key is not valid for jurisdiction_id ${jurisdiction.id}`);
  }
  return { body, form, client, jurisdiction };
}
