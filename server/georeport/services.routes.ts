import { Hono } from 'hono';
import { FILE_PARAM, FORMATS, respond, splitFile } from './format.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { refuse } from './georeport.errors.ts';
import { resolveLocale } from './locale.ts';
import { attributeOut, serviceOut } from './serialize.ts';

/** `services.{fmt}` (the catalogue) and `services/{code}.{fmt}` (a service definition). */
export function createServicesRoutes({ catalogue }: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/services.${format}`, async (c) => {
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(catalogue, fields);
      const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
      return respond(c, format, 'services', (await catalogue.services(jurisdiction.id, locale)).map(serviceOut));
    });
  }
  app.get(`/services/${FILE_PARAM}`, async (c) => {
    const { name: code, format } = splitFile(c.req.param('file'));
    const fields = queryFields(c);
    const jurisdiction = await resolveJurisdiction(catalogue, fields);
    const service = await catalogue.service(jurisdiction.id, code);
    if (!service) throw refuse('service.unknown', 'service_code', { value: code.slice(0, 60), jurisdiction: jurisdiction.id });
    const locale = resolveLocale(c, fields, jurisdiction, await catalogue.locales(jurisdiction.id));
    return respond(c, format, 'service_definition', {
      service_code: service.code,
      attributes: (await catalogue.attributes(service, locale)).map(attributeOut),
    });
  });
  return app;
}
