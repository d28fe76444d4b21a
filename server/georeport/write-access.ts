import type { Context } from 'hono';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { ApiClient, ApiClientsStore, Scope } from '../keys/api-clients.store.ts';
import type { ProcessedPhoto } from '../media/process-photo.ts';
import { readFormBody } from './body.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { noteBodyLanguage } from './refusal-language.ts';

export interface WriteAccess {
  body: Fields;
  /** The photos of a multipart body, re-encoded (only for writes that take photos). */
  photos: ProcessedPhoto[];
  client: ApiClient;
  jurisdiction: Jurisdiction;
}

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
  const limit = (kind: 'ip' | 'key', key: string, max?: number) => spend(deps, deps.limits[kind], kind, key, max);
  const address = addressGroup(clientIp(c, deps.trustProxy));
  await limit('ip', address);
  const query = queryFields(c);
  const key = (fields: Fields) => one(fields, 'api_key', 200) ?? one(query, 'api_key', 200);
  const identify = async (fields: Fields) => {
    const given = key(fields);
    return given === undefined ? undefined : deps.apiClients.verify(given);
  };
  const authenticate = (fields: Fields) => keyHolder(deps.apiClients, key(fields), scope);
  const { fields: body, photos } = await readFormBody(c, {
    identify,
    authenticate,
    maxAnonymousBytes: deps.maxBodyBytes,
    photoLimits: deps.photoLimits,
    photos: options.photos ? () => deps.photoIntake.open(address) : undefined,
  });
  noteBodyLanguage(c, body);
  const client = await authenticate(body);
  const published = !client.scopes.includes('updates');
  await limit('key', published ? `${client.id} ${address}` : String(client.id), client.rateLimitPerMinute ?? undefined);
  const jurisdiction = await resolveJurisdiction(deps.catalogue, body.has('jurisdiction_id') ? body : query);
  keyServes(client, jurisdiction);
  return { body, photos, client, jurisdiction };
}

/** Counts one call of `key` (an address group, a client) against `limiter`: a 429 past its limit. */
export async function spend(deps: Pick<GeoReportDeps, 'metrics'>, limiter: RateLimiter, kind: 'ip' | 'key', key: string, max?: number): Promise<void> {
  const result = await limiter.hit(key, max);
  if (result.allowed) return;
  deps.metrics.rateLimited(kind);
  throw refuse('rate.requests', undefined, { seconds: result.retryAfter }, result.retryAfter);
}

/** The client holding `given` as its key, when it holds `scope` too: else the 403 (missing, not valid, lacking the scope). */
export async function keyHolder(apiClients: ApiClientsStore, given: string | undefined, scope: Scope): Promise<ApiClient> {
  const client = given === undefined ? undefined : await apiClients.verify(given);
  if (!client) throw refuse(given === undefined ? 'key.missing' : 'key.invalid', 'api_key');
  if (!client.scopes.includes(scope)) throw refuse('key.scope', 'api_key', { scope });
  return client;
}

/** A key bound to a jurisdiction writes to that one only (403 elsewhere). */
export function keyServes(client: ApiClient, jurisdiction: Jurisdiction): void {
  if (client.jurisdictionId !== null && client.jurisdictionId !== jurisdiction.id) {
    throw refuse('key.jurisdiction', 'api_key', { jurisdiction: jurisdiction.id });
  }
}
