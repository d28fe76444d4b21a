import { Hono, type Context } from 'hono';
import { exportCatalogue } from '../catalogue/catalogue.export.ts';
import { CatalogueError, importCatalogue, parseCatalogue, type CatalogueInput } from '../catalogue/catalogue.import.ts';
import type { Queryable } from '../db/engine.ts';
import { readJson } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import type { TemplatesStore } from '../catalogue/templates.store.ts';
import { DETAILED_STATUSES, type DetailedStatus } from '../requests/requests.types.ts';
import type { AuditLog } from './audit-log.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';

export interface CatalogueAdminDeps {
  /** The store the catalogue is read from and written to. */
  engine: Queryable;
  templates: TemplatesStore;
  audit: AuditLog;
  access: AdminAccess;
  now: () => number;
}

/**
 * A problem of the whole catalogue as the editor of one service reads it: `services[3].sla_hours …` is
 * `sla_hours …`, `services[3].attributes[0].values …` is `question 1 (code): values …`.
 */
function serviceProblem(service: Record<string, unknown>, index: number) {
  const prefix = `services[${index}].`;
  const attributes = Array.isArray(service.attributes) ? (service.attributes as { code?: unknown }[]) : [];
  return (problem: string) => !problem.startsWith(prefix) ? problem : problem.slice(prefix.length).replace(/^attributes\[(\d+)\]\.?/, (_, k: string) => {
    const code = attributes[Number(k)]?.code;
    return `question ${Number(k) + 1}${typeof code === 'string' && code ? ` (${code.slice(0, 50)})` : ''}: `;
  });
}

const J = TOWN_PATH;
const CODE = '{[A-Za-z0-9][A-Za-z0-9._-]{0,63}}';

/**
 * The catalogue in the back office (reading: `readonly`; changing: `administrator`): the whole document
 * (export, and import in the shape of `georeport catalogue import`), one service with its attributes, one
 * group, the order of services, and the response templates agents answer with. Every change is checked
 * whole (400 with every problem, nothing changed), applied in one transaction, at once visible in
 * `services.json`, and audited.
 */
export function createCatalogueAdminRoutes(deps: CatalogueAdminDeps) {
  const { engine, audit } = deps;
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const seconds = () => Math.floor(deps.now() / 1000);
  const current = async (c: Context<AdminEnv>) => (await exportCatalogue(engine, c.req.param('jurisdiction')!))!;
  const json = async (c: Context) => {
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null) throw new JsonError(400, 'the body must be JSON');
    return body as Record<string, unknown>;
  };
  /** Checks a whole document and writes it; answers the catalogue as it now is (or its problems, as `describe` words them). */
  const save = async (c: Context<AdminEnv>, doc: unknown, action: string, target: string, describe = (problem: string) => problem) => {
    let checked: CatalogueInput;
    try {
      checked = parseCatalogue(doc);
    } catch (e) {
      if (e instanceof CatalogueError) throw new JsonError(400, 'invalid catalogue', e.problems.map(describe));
      throw e;
    }
    if (checked.jurisdiction.id !== c.req.param('jurisdiction')) throw new JsonError(400, 'jurisdiction.id must be the jurisdiction of the path');
    await importCatalogue(engine, checked, seconds());
    await audit.record({ jurisdictionId: checked.jurisdiction.id, actor: `staff:${c.get('session').staff.id}`, action, target });
    return c.json(await current(c));
  };

  app.get(`${J}/catalogue`, role('readonly'), async (c) => c.json(await current(c)));
  app.put(`${J}/catalogue`, role('administrator'), async (c) => save(c, await json(c), 'catalogue.import', `jurisdiction:${c.req.param('jurisdiction')}`));

  app.put(`${J}/services/:code${CODE}`, role('administrator'), async (c) => {
    const service = await json(c);
    if (service.code !== c.req.param('code')) throw new JsonError(400, 'code must be the service code of the path');
    const doc = await current(c);
    const at = doc.services.findIndex((s) => s.code === service.code);
    const services = at < 0 ? [...doc.services, service] : doc.services.map((s, i) => (i === at ? service : s));
    return save(c, { ...doc, services }, at < 0 ? 'service.create' : 'service.update', `service:${service.code}`, serviceProblem(service, at < 0 ? doc.services.length : at));
  });

  app.put(`${J}/groups/:code${CODE}`, role('administrator'), async (c) => {
    const group = await json(c);
    if (group.code !== c.req.param('code')) throw new JsonError(400, 'code must be the group code of the path');
    const doc = await current(c);
    const known = doc.groups.some((g) => g.code === group.code);
    const groups = known ? doc.groups.map((g) => (g.code === group.code ? group : g)) : [...doc.groups, group];
    return save(c, { ...doc, groups }, known ? 'group.update' : 'group.create', `group:${group.code}`);
  });

  app.post(`${J}/services/order`, role('administrator'), async (c) => {
    const codes = (await json(c)).codes;
    if (!Array.isArray(codes) || codes.some((x) => typeof x !== 'string')) throw new JsonError(400, 'codes must be the list of service codes in their new order');
    const doc = await current(c);
    const rank = (code: string) => (codes.includes(code) ? codes.indexOf(code) : codes.length);
    const services = [...doc.services].sort((a, b) => rank(a.code) - rank(b.code));
    return save(c, { ...doc, services }, 'catalogue.order', `jurisdiction:${c.req.param('jurisdiction')}`);
  });

  const { templates } = deps;

  app.get(`${J}/templates`, role('readonly'), async (c) => c.json({ templates: await templates.list(c.req.param('jurisdiction')) }));
  app.put(`${J}/templates`, role('administrator'), async (c) => {
    const b = await json(c);
    const problems = [
      ...(typeof b.service_code === 'string' && await templates.hasService(c.req.param('jurisdiction'), b.service_code) ? [] : ['service_code must be a service of this jurisdiction']),
      ...((DETAILED_STATUSES as readonly unknown[]).includes(b.detailed_status) ? [] : [`detailed_status must be one of ${DETAILED_STATUSES.join(', ')}`]),
      ...(typeof b.locale === 'string' && /^[a-z]{2}$/.test(b.locale) ? [] : ['locale must be a language code such as fr']),
      ...(typeof b.text === 'string' && [...b.text].length <= 4000 ? [] : ['text must be at most 4000 characters (empty: no template)']),
    ];
    if (problems.length) throw new JsonError(400, 'invalid template', problems);
    await templates.save(c.req.param('jurisdiction'), b.service_code as string, b.detailed_status as DetailedStatus, b.locale as string, b.text as string);
    await audit.record({
      jurisdictionId: c.get('jurisdiction').id, actor: `staff:${c.get('session').staff.id}`, action: 'template.save', target: `service:${String(b.service_code)}`,
      detail: { detailed_status: b.detailed_status, locale: b.locale },
    });
    return c.json({ templates: await templates.list(c.req.param('jurisdiction')) });
  });
  return app;
}
