import type { Context } from 'hono';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import type { ApiClientsStore } from '../keys/api-clients.store.ts';
import type { RequestsStore } from '../requests/requests.store.ts';
import type { UpdatesStore } from '../requests/updates.store.ts';
import type { FollowersStore } from '../requests/followers.store.ts';
import type { MapStore } from '../requests/map.store.ts';
import type { Router } from '../requests/routing.store.ts';
import type { TrackingStore } from '../requests/tracking.store.ts';
import type { Geocoder } from '../geocode/index.ts';
import type { Logger } from '../logger.ts';
import type { MediaStorage } from '../media/media.storage.ts';
import type { PhotoIntake, PhotoLimits } from './photos.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Metrics } from '../http/metrics.ts';
import type { PublicAnswers } from './cached-answer.ts';
import { parseForm, one, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';

export interface GeoReportDeps {
  catalogue: CatalogueStore;
  requests: RequestsStore;
  updates: UpdatesStore;
  followers: FollowersStore;
  map: MapStore;
  router: Router;
  /** Requests as their filer follows them, by tracking token. */
  tracking: TrackingStore;
  apiClients: ApiClientsStore;
  metrics: Metrics;
  logger: Logger;
  media: MediaStorage;
  photoLimits: PhotoLimits;
  /** Where photos come in (caps, queue, re-encoding). */
  photoIntake: PhotoIntake;
  /** The limit of a text body, and of what a multipart body may carry before a valid key. */
  maxBodyBytes: number;
  /** Locates requests sent with an address only; none: they are stored without coordinates. */
  geocoder: Geocoder | undefined;
  /** Per-IP and per-key limits on writes; per-IP on key checks (`widget-config`), apart so that page views never use up a write budget. */
  limits: { ip: RateLimiter; key: RateLimiter; config: RateLimiter };
  /** Whether this server sends e-mail (SMTP is configured): only then may clients offer e-mail updates. */
  emailUpdates: boolean;
  /** Where the API is reachable from outside, ending in `/` (`https://311.ville.example/open311/v2/`). */
  endpointUrl: string;
  /** Where stored photos are served, ending in `/` (`https://311.ville.example/media/`). */
  mediaBaseUrl: string;
  /** Hosts whose photo URLs (`media_url`) the public sees: this server's and those the city names. */
  shownPhotoHosts: ReadonlySet<string>;
  contact: string;
  keyService: string;
  endpointType: 'production' | 'test';
  trustProxy: boolean;
  /** A filing repeated within this many seconds answers the first one (see TWIN_RADIUS); 0: never. */
  twinWindowSeconds: number;
  /** How every public read answers: cached formatted answers, ETag, 304 and Cache-Control (cached-answer.ts). */
  answers: PublicAnswers;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** The query string's fields, parsed strictly (a malformed escape is a 400). */
export function queryFields(c: Context): Fields {
  const url = c.req.url;
  const q = url.indexOf('?');
  return q < 0 ? new Map() : parseForm(url.slice(q + 1));
}

/**
 * The jurisdiction a call is about: the one named by `jurisdiction_id`, or the only one this server hosts.
 * Missing while several are hosted → 400; unknown → 404.
 */
export async function resolveJurisdiction(catalogue: CatalogueStore, fields: Fields): Promise<Jurisdiction> {
  const id = one(fields, 'jurisdiction_id', 200);
  if (id !== undefined) {
    const found = await catalogue.jurisdiction(id);
    if (!found) throw refuse('jurisdiction.unknown', 'jurisdiction_id', { value: id });
    return found;
  }
  const all = await catalogue.jurisdictions();
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw refuse('jurisdiction.none');
  throw refuse('field.missing', 'jurisdiction_id');
}
