import type { Queryable } from '../db/engine.ts';
import { jsonTexts } from '../db/json-lists.ts';
import { JsonError } from '../http/json-error.ts';
import type { BusApp } from './bus-apps.store.ts';

export type BusAccess = ReturnType<typeof createBusAccess>;

/**
 * What a bus app may act on, decided here only: the requests it is sent (its jurisdiction's, of its
 * services, not routed to another app, and, for a deferred app, published) and the services in its scope.
 * Anything else looks as unknown to it as a request that does not exist.
 */
export function createBusAccess(db: Queryable) {
  const request = `SELECT 1 AS ok FROM requests r JOIN services s ON s.id = r.service_id
    WHERE r.id = @id AND r.jurisdiction_id = @jurisdiction
      AND (CAST(@services AS TEXT) IS NULL OR s.code IN (${jsonTexts(db, '@services')}))
      AND (r.bus_app_id IS NULL OR r.bus_app_id = @app)
      AND (@deferred = 0 OR r.visibility = 'published')`;
  return {
    /** 404 unless `app` is sent request `id`. */
    async requireRequest(app: BusApp, id: number): Promise<void> {
      const found = await db.one(request, {
        id, jurisdiction: app.jurisdictionId, services: app.services && JSON.stringify(app.services), app: app.id,
        deferred: app.delivery === 'deferred' ? 1 : 0,
      });
      if (!found) throw new JsonError(404, `request ${id} is not a request of ${app.jurisdictionId} sent to this app`);
    },
    /** 403 when a catalogue push names services outside the app's scope. */
    requireServices(app: BusApp, codes: string[]): void {
      const outside = app.services === null ? [] : codes.filter((code) => !app.services!.includes(code));
      if (outside.length > 0) throw new JsonError(403, 'this app may push only its own services', outside.map((code) => `${code.slice(0, 64)} is not one of its services`));
    },
  };
}
