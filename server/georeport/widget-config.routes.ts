import { Hono } from 'hono';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import { queryFields, resolveJurisdiction, type GeoReportDeps } from './context.ts';
import { one } from './fields.ts';
import { FORMATS, respond } from './format.ts';
import { refusalLanguage } from './refusal-language.ts';
import { keyHolder, keyServes, spend } from './write-access.ts';

/**
 * `widget-config.{fmt}?jurisdiction_id&api_key&locale` (an extension): what a reporting widget needs when
 * it loads, so that a site editor sees a set-up problem there and then instead of a resident at Send. With
 * a key, the key is checked as a filing would check it, and refused the same way (403 `key.invalid`,
 * `key.scope` for a key that may not report, `key.jurisdiction`); an unknown jurisdiction is the usual
 * 404. Otherwise it answers `report` (a key was given and may file here), `email_updates` (this server
 * sends e-mail, so the widget may offer updates by e-mail), `max_photos`, and the administrator's
 * `outside_message` for places outside the area, in the asked language (`locale`, then `Accept-Language`).
 *
 * It writes nothing and says nothing of any key but the one given (not its name, not where else it is
 * valid). Keys are 192-bit random, so it is no help in guessing one; still, each check costs a hash, so
 * calls count per address group like writes do, against a budget of their own.
 */
export function createWidgetConfigRoutes(deps: GeoReportDeps) {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/widget-config.${format}`, async (c) => {
      await spend(deps, deps.limits.config, 'ip', addressGroup(clientIp(c, deps.trustProxy)));
      const fields = queryFields(c);
      const jurisdiction = await resolveJurisdiction(deps.catalogue, fields);
      const given = one(fields, 'api_key', 200);
      if (given !== undefined) keyServes(await keyHolder(deps.apiClients, given, 'report'), jurisdiction);
      const message = (await deps.router.outsideMessage(jurisdiction.id))[refusalLanguage(c)] ?? null;
      c.header('Cache-Control', 'no-cache');
      return respond(c, format, 'widget_config', {
        jurisdiction_id: jurisdiction.id,
        report: given !== undefined,
        email_updates: deps.emailUpdates,
        max_photos: deps.photoLimits.maxPhotos,
        outside_message: message,
      });
    });
  }
  return app;
}
