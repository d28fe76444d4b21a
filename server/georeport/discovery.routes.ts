import { Hono } from 'hono';
import { FORMATS } from './format.ts';
import type { GeoReportDeps } from './context.ts';

/** The date the GeoReport surface of this server last changed shape (discovery `changeset`). */
const CHANGESET = '2026-11-22T00:00:00Z';

/** `discovery.{fmt}`: where the API lives, which formats it speaks, whom to ask for a key. */
export function createDiscoveryRoutes(deps: GeoReportDeps) {
  const app = new Hono();
  const payload = {
    changeset: CHANGESET,
    contact: deps.contact,
    key_service: deps.keyService,
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: deps.endpointUrl,
        changeset: CHANGESET,
        type: deps.endpointType,
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
  for (const format of FORMATS) {
    // The configuration's only: no town, no version.
    app.get(`/discovery.${format}`, (c) =>
      deps.answers(c, { format, town: null, counters: [], locale: null, query: 'discovery' }, async () => ({ root: 'discovery', payload })),
    );
  }
  return app;
}
