import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { FORMATS, respond } from './format.ts';
import type { GeoReportDeps } from './context.ts';
import { one } from './fields.ts';
import { Open311Error, refuse } from './georeport.errors.ts';
import { locate } from './locate.ts';
import { photoUrls, storePhotos } from './photos.ts';
import { NO_LOCATION, validateRequest } from './validate-request.ts';
import { authorizeWrite } from './write-access.ts';
import { routeNewRequest } from '../requests/routing.store.ts';
import { newTrackingToken } from '../requests/tracking.store.ts';
import { formatDatetime } from './datetime.ts';
import { wantsExtensions } from './render-requests.ts';
import { dueAt } from '../catalogue/catalogue.types.ts';

/**
 * `POST requests.{fmt}`: files a service request (key, rate limits, validation, then one transaction).
 * With `extensions=true` the answer also carries `extended_attributes`: `visibility` (`pending` while a
 * moderator has to approve it), `expected_datetime`, and for a realtime service the filer's
 * `tracking_token` (see `requests/{id}/tracking`).
 */
export function createCreateRequestRoutes(deps: GeoReportDeps) {
  const { catalogue, requests } = deps;
  const app = new Hono();
  for (const format of FORMATS) {
    app.post(`/requests.${format}`, async (c) => {
      const { body, photos, client, jurisdiction } = await authorizeWrite(c, deps, 'report', { photos: true });
      const code = one(body, 'service_code', 200);
      if (code === undefined) throw refuse('field.missing', 'service_code');
      const service = await catalogue.service(jurisdiction.id, code);
      if (!service) throw refuse('service.unknown', 'service_code', { value: code, jurisdiction: jurisdiction.id });

      const extended = wantsExtensions(body);
      const { mediaUrls, ...input } = validateRequest(body, await catalogue.attributes(service), photos.length);
      const gps = input.lat === null ? photos.find((p) => p.gps)?.gps : undefined;
      if (input.lat === null && !gps && input.address === null && input.addressId === null) throw new Open311Error([NO_LOCATION]);
      const token = service.type === 'batch' ? randomUUID() : null;
      const place = await locate({ ...input, ...gps, zipcode: null }, deps.geocoder, deps.logger, jurisdiction.defaultLocale);
      const routed = await routeNewRequest(deps.router, jurisdiction.id, service, place.lat, place.long);
      if ('refused' in routed) throw new Open311Error([routed.refused]);
      const stored = await storePhotos(photos, deps.media);
      const now = Math.floor(deps.now() / 1000);
      // The filer's secret to follow a request the public may not see (held, rejected): asked for, by id only.
      const tracking = extended && service.type === 'realtime' ? newTrackingToken() : null;
      const filed = await requests.fileSoon({
        ...input,
        ...place,
        media: [...stored, ...photoUrls(mediaUrls, deps.shownPhotoHosts)],
        expectedAt: dueAt(service, now),
        jurisdictionId: jurisdiction.id,
        serviceId: service.id,
        token,
        visibility: service.moderation === 'hold' ? 'pending' : 'published',
        ...routed,
        serviceNotice: service.serviceNotice,
        apiClientId: client.id,
        locale: input.locale ?? jurisdiction.defaultLocale,
        twinSince: deps.twinWindowSeconds > 0 ? now - deps.twinWindowSeconds : null,
        trackingHash: tracking?.hash ?? null,
        now,
      });
      const reference =
        service.type === 'realtime' ? { service_request_id: String(filed.id) } : service.type === 'batch' ? { token: filed.token } : {};
      const extension = {
        visibility: filed.visibility,
        expected_datetime: filed.expectedAt === null ? null : formatDatetime(filed.expectedAt),
        ...(tracking ? { tracking_token: tracking.token } : {}),
      };
      return respond(c, format, 'service_requests', [
        { ...reference, service_notice: service.serviceNotice, account_id: input.reporter.accountId, ...(extended ? { extended_attributes: extension } : {}) },
      ]);
    });
  }
  return app;
}
