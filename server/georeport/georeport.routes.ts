import { Hono } from 'hono';
import { createCreateRequestRoutes } from './create-request.routes.ts';
import { createDiscoveryRoutes } from './discovery.routes.ts';
import { createFollowRoutes } from './follow.routes.ts';
import { createMapRoutes } from './map.routes.ts';
import { createRequestsRoutes } from './requests.routes.ts';
import { createServicesRoutes } from './services.routes.ts';
import { createTrackingRoutes } from './tracking.routes.ts';
import { createUpdatesRoutes } from './updates.routes.ts';
import { createWidgetConfigRoutes } from './widget-config.routes.ts';
import type { GeoReportDeps } from './context.ts';
import { formatOfPath, respond } from './format.ts';
import { Open311Error, refuse } from './georeport.errors.ts';
import { refusalLanguage } from './refusal-language.ts';
import { bodyLimit } from '../http/body.ts';
import { cors } from '../http/cors.ts';
import { unexpectedError } from '../http/unexpected.ts';
import { isStoreFull, STORE_FULL_RETRY_AFTER } from '../db/store-full.ts';

export interface GeoReportOptions extends GeoReportDeps {
  corsOrigins: string[];
}

/**
 * The Open311 GeoReport v2 API, to mount at its base path. Every error, including unknown paths and
 * unexpected failures, is answered in the Open311 error format of the extension asked for (JSON when none),
 * each item with its `reason` and `field` and described in the caller's language (see refusalLanguage).
 */
export function createGeoReportRoutes(options: GeoReportOptions) {
  const app = new Hono();
  app.use(
    cors({
      origins: options.corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposeHeaders: ['Retry-After', 'X-Result-Count', 'X-Result-Count-Estimated', 'X-Page-Count', 'X-Page-Size', 'X-Next-Page-URL', 'Content-Language', 'ETag'],
      maxAge: 86_400,
    }),
  );
  // Text bodies are small; a multipart body may also carry the photos.
  const { maxPhotos, maxPhotoBytes } = options.photoLimits;
  const limits = [options.maxBodyBytes, options.maxBodyBytes + maxPhotos * maxPhotoBytes].map((maxBytes) =>
    bodyLimit({ maxBytes, tooLarge: (max) => refuse('body.too_large', undefined, { max }) }),
  );
  app.post('*', (c, next) => {
    const multipart = (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    return limits[multipart ? 1 : 0]!(c, next);
  });
  app.route('/', createDiscoveryRoutes(options));
  app.route('/', createServicesRoutes(options));
  app.route('/', createRequestsRoutes(options));
  app.route('/', createTrackingRoutes(options));
  app.route('/', createCreateRequestRoutes(options));
  app.route('/', createUpdatesRoutes(options));
  app.route('/', createFollowRoutes(options));
  app.route('/', createMapRoutes(options));
  app.route('/', createWidgetConfigRoutes(options));
  app.all('*', (c) => {
    throw refuse('resource.unknown', undefined, { method: c.req.method, path: new URL(c.req.url).pathname });
  });
  app.onError((caught, c) => {
    const format = formatOfPath(new URL(c.req.url).pathname) ?? 'json';
    const full = isStoreFull(caught);
    if (full) options.logger.error('store full: a write was refused', { path: new URL(c.req.url).pathname });
    const err = full ? refuse('store.full', undefined, { seconds: STORE_FULL_RETRY_AFTER }, STORE_FULL_RETRY_AFTER) : caught;
    if (err instanceof Open311Error) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      return respond(c, format, 'errors', err.items(refusalLanguage(c)), err.status);
    }
    return unexpectedError(options.logger, c, err) ?? respond(c, format, 'errors', refuse('server.internal').items(refusalLanguage(c)), 500);
  });
  return app;
}
