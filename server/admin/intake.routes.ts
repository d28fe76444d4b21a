import { Hono, type Context } from 'hono';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import { GeocoderError, type Geocoder } from '../geocode/index.ts';
import { addField, type Fields } from '../georeport/fields.ts';
import { Open311Error } from '../georeport/georeport.errors.ts';
import { locate } from '../georeport/locate.ts';
import { photoUrls } from '../georeport/photos.ts';
import { describeRefusal } from '../georeport/refusal-texts.ts';
import { validateRequest } from '../georeport/validate-request.ts';
import { readJsonObject } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import type { Logger } from '../logger.ts';
import type { RequestsStore } from '../requests/requests.store.ts';
import { routeNewRequest, type Router } from '../requests/routing.store.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';
import type { AuditLog } from './audit-log.ts';
import type { CaseworkStore } from './casework.store.ts';
import { dueAt } from '../catalogue/catalogue.types.ts';

export interface IntakeDeps {
  casework: CaseworkStore;
  router: Router;
  requests: RequestsStore;
  catalogue: CatalogueStore;
  audit: AuditLog;
  access: AdminAccess;
  /** The server's geocoder (through the outbound module), if one is configured. */
  geocoder: Geocoder | undefined;
  logger: Logger;
  shownPhotoHosts: ReadonlySet<string>;
  now: () => number;
}

/** Suggestions an agent chooses from while typing an address. */
const SUGGESTIONS = 5;

/** The fields of a GeoReport POST from an intake's JSON (`attribute: {CODE: value or [values]}`). */
function intakeFields(b: Record<string, unknown>): Fields {
  const fields: Fields = new Map();
  for (const [k, v] of Object.entries(b)) {
    if (k === 'attribute' && typeof v === 'object' && v !== null) {
      for (const [code, values] of Object.entries(v)) for (const value of [values].flat()) addField(fields, `attribute[${code}]`, String(value));
    } else if (k !== 'channel' && (typeof v === 'string' || typeof v === 'number')) addField(fields, k, String(v)); // staff's channels are checked apart
  }
  return fields;
}

/** A coordinate of the query, in range, or a 400 naming it. */
function coordinate(c: Context, name: 'lat' | 'long', max: number): number {
  const v = c.req.query(name) ?? '';
  const n = /^-?\d{1,3}(\.\d{1,12})?$/.test(v) ? Number(v) : NaN;
  if (!(Math.abs(n) <= max)) throw new JsonError(400, `${name} must be a number from -${max} to ${max}`);
  return n;
}

/** How long a town's box is kept before it is read again. */
const EXTENT_TTL_MS = 10 * 60_000;

/**
 * The intake of a request received by phone, at the counter or by e-mail (agents): what its form needs
 * (`GET intake`: whether addresses can be looked up, the box where the town's requests are, for the map to
 * open on), addresses looked up with the server's geocoder (`GET places?q=` suggests places for an
 * address typed, `GET places?lat&long` names the place near a pin, as a filing would store it), and the
 * filing itself (`POST intake`), located as a resident's filing is: an address alone gets its
 * coordinates, a pin alone the address near it, so it reaches the public map.
 */
export function createIntakeRoutes(deps: IntakeDeps) {
  const { casework, geocoder } = deps;
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const J = TOWN_PATH;
  const actor = (c: Context<AdminEnv>) => `staff:${c.get('session').staff.id}`;

  // A town's box (a scan of its located requests) moves slowly: read at most every ten minutes per town,
  // not on each suggestion asked while an agent types.
  const extents = new Map<string, { at: number; box: Awaited<ReturnType<CaseworkStore['extent']>> }>();
  const extentOf = async (jurisdictionId: string) => {
    const now = deps.now();
    let known = extents.get(jurisdictionId);
    if (!known || now - known.at > EXTENT_TTL_MS) extents.set(jurisdictionId, (known = { at: now, box: await casework.extent(jurisdictionId) }));
    return known.box;
  };

  app.get(`${J}/intake`, role('agent'), async (c) => c.json({ geocoder: geocoder !== undefined, extent: await extentOf(c.get('jurisdiction').id) }));

  app.get(`${J}/places`, role('agent'), async (c) => {
    const jurisdiction = c.get('jurisdiction');
    const q = c.req.query('q');
    if (q !== undefined) {
      const text = q.trim();
      if ([...text].length < 3 || [...text].length > 200) throw new JsonError(400, 'q must be an address of 3 to 200 characters');
      if (!geocoder) return c.json({ geocoder: 'none', places: [] });
      const extent = await extentOf(jurisdiction.id);
      const near = extent ? { lat: (extent.south + extent.north) / 2, long: (extent.west + extent.east) / 2 } : undefined;
      try {
        const found = await geocoder.search(text, { near, limit: SUGGESTIONS });
        // A town's own record is its centre point: it places nothing.
        const places = found.filter((p) => p.kind !== 'municipality')
          .map((p) => ({ label: p.label, lat: p.lat, long: p.long, postcode: p.postcode, address_id: p.addressId, kind: p.kind }));
        return c.json({ geocoder: 'ok', places });
      } catch (e) {
        if (!(e instanceof GeocoderError)) throw e;
        deps.logger.warn('geocoder unavailable for an intake search', { code: e.code, message: e.message });
        return c.json({ geocoder: 'unavailable', places: [] });
      }
    }
    if (c.req.query('lat') === undefined && c.req.query('long') === undefined) throw new JsonError(400, 'give q (an address) or lat and long (a point)');
    const lat = coordinate(c, 'lat', 90);
    const long = coordinate(c, 'long', 180);
    if (!geocoder) return c.json({ geocoder: 'none', places: [] });
    // What a filing with this pin alone would store as its address ("Près du 12 Rue Nationale").
    const place = await locate({ lat, long, address: null, addressId: null, zipcode: null }, geocoder, deps.logger, jurisdiction.defaultLocale);
    return c.json({ geocoder: 'ok', places: place.address === null ? [] : [{ label: place.address, lat, long, postcode: place.zipcode, address_id: null, kind: null }] });
  });

  app.post(`${J}/intake`, role('agent'), async (c) => {
    const jurisdiction = c.get('jurisdiction');
    const b = await readJsonObject(c);
    const channel = b.channel ?? 'phone';
    if (channel !== 'phone' && channel !== 'counter' && channel !== 'email') throw new JsonError(400, 'channel must be phone, counter or email');
    const service = typeof b.service_code === 'string' ? await deps.catalogue.service(jurisdiction.id, b.service_code) : undefined;
    if (!service) throw new JsonError(400, 'service_code must be a service of this jurisdiction');
    let input;
    try {
      input = validateRequest(intakeFields(b), await deps.catalogue.attributes(service));
    } catch (e) {
      if (e instanceof Open311Error) throw new JsonError(400, 'invalid request', e.items('en').map((x) => x.description));
      throw e;
    }
    const { mediaUrls, ...fields } = input;
    const place = await locate({ ...fields, zipcode: null }, geocoder, deps.logger, jurisdiction.defaultLocale);
    const routed = await routeNewRequest(deps.router, jurisdiction.id, service, place.lat, place.long);
    if ('refused' in routed) throw new JsonError(400, describeRefusal(routed.refused, 'en'));
    const now = Math.floor(deps.now() / 1000);
    const id = await deps.requests.create({
      ...fields, ...place, ...routed, media: photoUrls(mediaUrls, deps.shownPhotoHosts), jurisdictionId: jurisdiction.id, serviceId: service.id, token: null,
      visibility: 'published', serviceNotice: service.serviceNotice, channel,
      expectedAt: dueAt(service, now), apiClientId: null, twinSince: null,
      locale: fields.locale ?? jurisdiction.defaultLocale, actor: actor(c), now,
    });
    await deps.audit.record({ jurisdictionId: jurisdiction.id, actor: actor(c), action: 'request.intake', target: `request:${id}`, detail: { channel } });
    return c.json(await casework.get(jurisdiction.id, id), 201);
  });
  return app;
}
