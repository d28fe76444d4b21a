import { Hono } from 'hono';
import { FILE_PARAM, FORMATS, splitFile } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';
import { attributeOut, serviceOut } from './serialize.ts';

/** What the catalogue's answers show: the town's catalogue only (a filing leaves their ETag alone). */
const COUNTERS = ['catalogue'] as const;

/** `services.{fmt}` (the catalogue) and `services/{code}.{fmt}` (a service definition). */
export function createServicesRoutes({ catalogue, answers }: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/services.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
      return answers(c, { format, town: jurisdiction.id, counters: COUNTERS, locale, query: 'services' }, async () => ({
        root: 'services',
        payload: (await catalogue.services(jurisdiction.id, locale)).map(serviceOut),
      }));
    });
  }
  app.get(`/services/${FILE_PARAM}`, async (c) => {
    const { name: code, format } = splitFile(c.req.param('file'));
    const fields = queryFields(c);
    const jurisdiction = await resolveJurisdiction(catalogue, fields);
    // Looked up first: an unknown code (anyone can invent one) is a 404, never a cache entry.
    const service = await catalogue.service(jurisdiction.id, code);
    if (!service) throw refuse('service.unknown', 'service_code', { value: code.slice(0, 60), jurisdiction: jurisdiction.id });
    const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
    return answers(c, { format, town: jurisdiction.id, counters: COUNTERS, locale, query: `service ${service.code}` }, async () => ({
      root: 'service_definition',
      payload: { service_code: service.code, attributes: (await catalogue.attributes(service, locale)).map(attributeOut) },
    }));
  });
  return app;
}
