import { statSync } from 'node:fs';
import { Hono } from 'hono';
import { createCatalogueStore } from './catalogue/catalogue.store.ts';
import type { Config } from './config.ts';
import type { Engine } from './db/engine.ts';
import { createGeoReportRoutes } from './georeport/georeport.routes.ts';
import { isStoreFull } from './db/store-full.ts';
import { storeFullAnswer } from './http/json-error.ts';
import { createAnswerCache } from './georeport/answer-cache.ts';
import { createPublicAnswers } from './georeport/cached-answer.ts';
import { createMetrics } from './http/metrics.ts';
import { createOutbound } from './http/outbound.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import { createStoreRateLimiter } from './http/rate-limit.store.ts';
import { createReadiness, type Readiness } from './http/readiness.ts';
import { requestLog } from './http/request-log.ts';
import { createApiClientsStore } from './keys/api-clients.store.ts';
import { sameSecret } from './keys/secrets.ts';
import type { Logger } from './logger.ts';
import { createBanGeocoder, type Geocoder } from './geocode/index.ts';
import { openMediaStorage } from './media/open-media-storage.ts';
import { createMediaRoutes } from './media/media.routes.ts';
import { createPhotoQueue } from './media/photo-queue.ts';
import { createPhotoIntake } from './georeport/photos.ts';
import { createAssetRoutes } from './assets/assets.routes.ts';
import { createAdminSiteRoutes } from './admin/admin-site.routes.ts';
import { createConfirmRoutes } from './notify/confirm.routes.ts';
import { createRequestPageRoutes } from './request-page/request-page.routes.ts';
import { createUnsubscribeRoutes } from './notify/unsubscribe.routes.ts';
import { createOpenDataRoutes } from './opendata/opendata.routes.ts';
import { createBusRoutes } from './bus/bus.routes.ts';
import { createBusAppsStore } from './bus/bus-apps.store.ts';
import { createOutboxStore } from './bus/outbox.store.ts';
import { createBusAuditStore } from './bus/audit.store.ts';
import { createBusWakeups } from './bus/wakeups.ts';
import { createAdminRoutes } from './admin/admin.routes.ts';
import { createStaffStore } from './admin/staff.store.ts';
import { createCaseworkStore } from './admin/casework.store.ts';
import { createAssignmentStore } from './admin/assignment.store.ts';
import { createInboxStore } from './admin/inbox.store.ts';
import { createTemplatesStore } from './catalogue/templates.store.ts';
import { createAuditLog } from './admin/audit-log.ts';
import { createStatsStore } from './admin/stats.store.ts';
import { createRequestsStore } from './requests/requests.store.ts';
import { createUpdatesStore } from './requests/updates.store.ts';
import { createFollowersStore } from './requests/followers.store.ts';
import { createMapStore } from './requests/map.store.ts';
import { createRouter, createRoutingStore } from './requests/routing.store.ts';
import { createTrackingStore } from './requests/tracking.store.ts';
import { createStoreMetrics } from './requests/metrics.store.ts';
import { unexpectedError } from './http/unexpected.ts';

export interface AppDeps {
  config: Config;
  /** The store: the embedded SQLite file or PostgreSQL (see db/engine.ts). */
  engine: Engine;
  logger: Logger;
  /** Milliseconds since the epoch (tests move time). */
  now?: () => number;
  /** Replaces the geocoder the configuration names. */
  geocoder?: Geocoder;
  /** What `GET /health` answers: serve's own, which it drains on SIGTERM; else one made here. */
  readiness?: Readiness;
}

/** Where the GeoReport API is mounted, below the public URL. */
export const GEOREPORT_BASE = '/open311/v2';

/** Builds the whole HTTP application on an open store. No side effects beyond the store. */
export function createApp({ config, engine, logger, now = Date.now, geocoder, readiness = createReadiness(engine) }: AppDeps) {
  const metrics = createMetrics();
  const outbound = createOutbound({ allowHosts: config.outboundAllow });
  const media = openMediaStorage(config, logger);
  // One process on SQLite counts in its memory; the servers sharing a PostgreSQL count in it, so that a
  // client has one budget whichever server its requests reach.
  const limiter = (name: string, limit: number, windowMs = 60_000) =>
    engine.kind === 'postgres' ? createStoreRateLimiter(engine, { name, limit, windowMs, now, logger }) : createRateLimiter({ limit, windowMs, now });
  const app = new Hono();
  app.use(requestLog({ logger, metrics }));

  const storeMetrics = createStoreMetrics(engine);
  const answerCache = createAnswerCache({ maxBytes: config.answerCacheMb * 1024 * 1024 });
  // For a load balancer: 503 with a short reason when this node should take no traffic (http/readiness.ts).
  app.get('/health', async (c) => {
    const reason = await readiness.check();
    return reason ? c.json({ status: 'unavailable', reason }, 503) : c.json({ status: 'ok' });
  });

  // Traffic per route and counts of held and hidden requests are for the operator: off unless a token is set.
  app.get('/metrics', async (c) => {
    if (!config.metricsToken) return c.json({ error: 'not found' }, 404);
    const given = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, config.metricsToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="georeport metrics"');
      return c.json({ error: 'the metrics need Authorization: Bearer <GEOREPORT_METRICS_TOKEN>' }, 401);
    }
    let walBytes = 0;
    try {
      walBytes = config.dbFile === ':memory:' || engine.kind !== 'sqlite' ? 0 : statSync(`${config.dbFile}-wal`).size;
    } catch {
      walBytes = 0; // no WAL file yet
    }
    const text = metrics.render([
      { name: 'georeport_store_bytes', help: 'Size of the store on disk (SQLite: database and WAL).', value: (await storeMetrics.bytes()) + walBytes },
      { name: 'georeport_answer_cache_bytes', help: 'Memory held by the cache of formatted public answers (GEOREPORT_ANSWER_CACHE_MB).', value: answerCache.bytes },
      { name: 'georeport_answer_cache_entries', help: 'Answers held by the cache of formatted public answers.', value: answerCache.size },
      ...(await storeMetrics.requestsByVisibility()).map((r) => ({
        name: 'georeport_store_requests',
        help: 'Service requests held, by visibility.',
        value: r.n,
        labels: { visibility: r.visibility },
      })),
    ]);
    return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  const requests = createRequestsStore(engine);
  const router = createRouter(engine);
  const followers = createFollowersStore(engine);
  const catalogue = createCatalogueStore(engine);
  const updates = createUpdatesStore(engine);
  const apiClients = createApiClientsStore(engine, { demo: config.demo });
  const mediaBaseUrl = new URL('media/', config.publicUrl).href;
  const shownPhotoHosts = new Set([new URL(mediaBaseUrl).host, ...config.mediaUrlHosts]);
  const limits = {
    ip: limiter('ip', config.rateLimitIpPerMinute),
    key: limiter('key', config.rateLimitKeyPerMinute),
    config: limiter('config', config.rateLimitIpPerMinute),
  };
  const addresses = geocoder ?? (config.geocoderUrl ? createBanGeocoder({ baseUrl: config.geocoderUrl, timeoutMs: config.geocoderTimeoutMs, fetch: outbound.fetch }) : undefined);
  const photoLimits = { maxPhotos: config.maxPhotos, maxPhotoBytes: config.maxPhotoBytes, maxSide: config.photoMaxSide, maxPixels: config.photoMaxPixels };
  app.route(
    GEOREPORT_BASE,
    createGeoReportRoutes({
      catalogue,
      requests,
      updates,
      followers,
      map: createMapStore(engine, requests),
      router,
      tracking: createTrackingStore(engine),
      apiClients,
      metrics,
      media,
      photoLimits,
      photoIntake: createPhotoIntake({
        limits: photoLimits,
        queue: createPhotoQueue({ workers: config.photoWorkers, waiting: config.photoQueue }),
        perAddress: limiter('photos', config.photosPerAddressPerDay, 86_400_000),
        storedBytes: requests.storedMediaBytes,
        maxStoredBytes: config.mediaMaxBytes,
      }),
      geocoder: addresses,
      limits,
      emailUpdates: config.smtpUrl !== '',
      endpointUrl: new URL(`${GEOREPORT_BASE.slice(1)}/`, config.publicUrl).href,
      mediaBaseUrl,
      shownPhotoHosts,
      contact: config.contact,
      keyService: config.keyService,
      endpointType: config.endpointType,
      trustProxy: config.trustProxy,
      twinWindowSeconds: config.duplicateWindowSeconds,
      corsOrigins: config.corsOrigins,
      maxBodyBytes: config.maxBodyBytes,
      answers: createPublicAnswers(engine, answerCache),
      logger,
      now,
    }),
  );

  app.route('/media', createMediaRoutes({ storage: media }));
  app.route('/requests', createRequestPageRoutes({
    catalogue, requests, followers, perAddress: limits.ip, trustProxy: config.trustProxy, publicUrl: config.publicUrl, mediaBaseUrl,
    shownPhotoHosts, canEmail: config.smtpUrl !== '', timeZone: config.timeZone, now,
  }));
  app.route('/unsubscribe', createUnsubscribeRoutes({ followers, now }));
  app.route('/confirm', createConfirmRoutes({ followers, now }));
  const busApps = createBusAppsStore(engine);
  const outbox = createOutboxStore(engine, mediaBaseUrl);
  const wakeups = createBusWakeups(engine, logger, { pollEveryMs: 200, fallbackPollMs: config.busFallbackPollMs, maxWaitingPerApp: 16 });
  app.route('/bus/v1', createBusRoutes({ engine, apps: busApps, outbox, audit: createBusAuditStore(engine), updates, catalogue, logger, now, wakeups }));
  app.route('/admin/api', createAdminRoutes({
    staff: createStaffStore(engine), publicUrl: config.publicUrl, trustProxy: config.trustProxy, now, logger,
    casework: createCaseworkStore(engine), router, requests, updates, catalogue, audit: createAuditLog(engine, now), engine, routing: createRoutingStore(engine),
    apiClients, busApps, outbox, outbound, stats: createStatsStore(engine, config.timeZone), shownPhotoHosts,
    inbox: createInboxStore(engine), assignments: createAssignmentStore(engine), timeZone: config.timeZone, canEmail: config.smtpUrl !== '',
    geocoder: addresses, templates: createTemplatesStore(engine),
  }));
  app.route('/admin', createAdminSiteRoutes({ publicUrl: config.publicUrl, tileUrl: config.tileUrl, tileAttribution: config.tileAttribution }));
  app.route('/', createOpenDataRoutes({
    catalogue, requests, logger, now, publicUrl: config.publicUrl, mediaBaseUrl, corsOrigins: config.corsOrigins,
  }));
  app.route(
    '/widget',
    createAssetRoutes({
      dir: new URL('../dist/widget/', import.meta.url),
      files: ['georeport.js', 'georeport.js.map', 'georeport.mjs', 'georeport.mjs.map'],
      // Stable URLs a page embeds: short freshness, then a cheap revalidation by ETag.
      cacheControl: 'public, max-age=300, stale-while-revalidate=86400',
      // What they load (the core, and the parts loaded when first needed), named by the build with their
      // content hash (`georeport-map-Bx3kq_9Z.js`): cached for good.
      hashed: /^[a-z]+(?:-[a-z]+)*-[\w-]{8}\.js(?:\.map)?$/,
      cors: true,
      missing: 'the widget is not built: run npm run build',
    }),
  );
  app.route(
    '/',
    createAssetRoutes({
      dir: new URL('../demo/site/', import.meta.url),
      files: ['index.html', 'demo.css'],
      cacheControl: 'no-cache',
      missing: 'the demo site is missing',
    }),
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (isStoreFull(err)) return storeFullAnswer(c, logger);
    return unexpectedError(logger, c, err) ?? c.json({ error: 'internal error' }, 500);
  });
  return app;
}
