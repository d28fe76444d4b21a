import type { Context } from 'hono';
import type { RequestsStore } from '../requests/requests.store.ts';
import type { PublicRequest } from '../requests/requests.types.ts';
import { respond, type Format } from './format.ts';
import { one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import type { RequestFragments } from './request-fragments.ts';
import { extendedAttributesOut, requestOut } from './serialize.ts';
import { xmlItem } from './xml.ts';

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

/**
 * The serialised requests of a list in `format` (see request-fragments.ts), reusing those already
 * serialised under the town's current versions (`stamp`).
 */
export async function requestTexts(
  deps: { requests: RequestsStore; mediaBaseUrl: string },
  fragments: RequestFragments,
  what: { format: Format; extensions: boolean; locale: string | null; town: string; stamp: string },
  found: PublicRequest[],
): Promise<string[]> {
  const { format, extensions } = what;
  const serialise = async (list: PublicRequest[]) =>
    (await requestsPayload(deps, extensions, list)).map((o) => (format === 'xml' ? xmlItem('service_requests', o) : JSON.stringify(o)));
  // A radius query's items carry their distance from its centre: theirs alone.
  if (found.some((r) => r.distance !== undefined)) return serialise(found);
  return fragments.texts(what.town, what.stamp, `${format} ${extensions} ${what.locale ?? ''}`, found, serialise);
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
