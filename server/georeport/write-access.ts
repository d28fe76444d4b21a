import type { Context } from 'hono';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import type { ApiClient, Scope } from '../keys/api-clients.store.ts';
import type { ProcessedPhoto } from '../media/process-photo.ts';
import { readFormBody } from './body.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one, type Fields } from './fields.ts';
import { forbidden, tooManyRequests } from './georeport.errors.ts';

export interface WriteAccess {
  body: Fields;
  /** The photos of a multipart body, re-encoded (only for writes that take photos). */
  photos: ProcessedPhoto[];
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
 * jurisdiction the key may write to. The body is read through the capped edge; in a multipart body the key
 * and its scope are checked as soon as a photo part begins (403 before any of its bytes is read), and for
 * writes that take photos (`photos: true`) each is admitted and re-encoded as it arrives (see
 * `createPhotoIntake`). A key that may only report is published in city pages, so its limit counts per
 * address (a few addresses using up a city-wide budget would lock every resident out); an integration's
 * key has one budget.
 */
export async function authorizeWrite(c: Context, deps: GeoReportDeps, scope: Scope, options: { photos?: boolean } = {}): Promise<WriteAccess> {
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
  const key = (fields: Fields) => one(fields, 'api_key', 200) ?? one(query, 'api_key', 200);
  const identify = (fields: Fields) => {
    const given = key(fields);
    return given === undefined ? undefined : deps.apiClients.verify(given);
  };
  const authenticate = (fields: Fields) => {
    const client = identify(fields);
    if (!client) throw forbidden(key(fields) === undefined ? 'api_key was not provided' : 'api_key is not valid');
    if (!client.scopes.includes(scope)) throw forbidden(NEEDS[scope]);
    return client;
  };
  const { fields: body, photos } = await readFormBody(c, {
    identify,
    authenticate,
    maxAnonymousBytes: deps.maxBodyBytes,
    photoLimits: deps.photoLimits,
    photos: options.photos ? () => deps.photoIntake.open(address) : undefined,
  });
  const client = authenticate(body);
  const published = !client.scopes.includes('updates');
  limit('key', published ? `${client.id} ${address}` : String(client.id), client.rateLimitPerMinute ?? undefined);
  const jurisdiction = resolveJurisdiction(deps.catalogue, body.has('jurisdiction_id') ? body : query);
  if (client.jurisdictionId !== null && client.jurisdictionId !== jurisdiction.id) {
    throw forbidden(`api_key is not valid for jurisdiction_id ${jurisdiction.id}`);
  }
  return { body, photos, client, jurisdiction };
}
