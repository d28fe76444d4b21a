import type { Context } from 'hono';
import type { RequestsStore } from '../requests/requests.store.ts';
import type { PublicRequest } from '../requests/requests.types.ts';
import { respond, type Format } from './format.ts';
import { one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { extendedAttributesOut, requestOut } from './serialize.ts';

/** `extensions=true` (or `false`, the default): whether the client asks for the extension fields; anything else is a 400. */
export function wantsExtensions(fields: Fields): boolean {
  const extensions = one(fields, 'extensions', 10);
  if (extensions !== undefined && extensions !== 'true' && extensions !== 'false') throw refuse('extensions.invalid', 'extensions');
  return extensions === 'true';
}

/**
 * Requests as every GeoReport list shows them: core fields, plus `extended_attributes` when the client
 * asks with `extensions=true`.
 */
export async function requestsPayload(deps: { requests: RequestsStore; mediaBaseUrl: string }, extensions: boolean, found: PublicRequest[]) {
  if (!extensions) return found.map((r) => requestOut(r, deps.mediaBaseUrl));
  const extras = await deps.requests.extras(found.map((r) => r.id));
  return found.map((r) => ({
    ...requestOut(r, deps.mediaBaseUrl),
    extended_attributes: extendedAttributesOut(r, extras.get(r.id)!, deps.mediaBaseUrl),
  }));
}

/** `requestsPayload` answered at once, uncached (for answers that are not public reads). */
export async function renderRequests(
  deps: { requests: RequestsStore; mediaBaseUrl: string },
  c: Context,
  format: Format,
  fields: Fields,
  found: PublicRequest[],
) {
  return respond(c, format, 'service_requests', await requestsPayload(deps, wantsExtensions(fields), found));
}
