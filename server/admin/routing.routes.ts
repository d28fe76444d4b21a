import { Hono, type Context } from 'hono';
import { readJsonObject } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { parseArea } from '../requests/geometry.ts';
import { outsideSettings, type OutsideMessage, type RoutingStore } from '../requests/routing.store.ts';
import type { AuditLog } from './audit-log.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';

const J = TOWN_PATH;
const MAX_OUTSIDE_MESSAGE = 500;

/** `outside_message`: absent or null (none), or `{fr, en}` each text of at most 500 characters, or null or empty (none). */
function outsideMessage(value: unknown, problems: string[]): OutsideMessage {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('outside_message must be an object with fr and en texts');
    return {};
  }
  const message: OutsideMessage = {};
  for (const [lang, text] of Object.entries(value)) {
    if (lang !== 'fr' && lang !== 'en') problems.push(`outside_message.${lang.slice(0, 20)}: only fr and en are written`);
    else if (text !== null && (typeof text !== 'string' || text.length > MAX_OUTSIDE_MESSAGE)) problems.push(`outside_message.${lang} must be text of at most ${MAX_OUTSIDE_MESSAGE} characters`);
    else if (typeof text === 'string' && text.trim()) message[lang] = text.trim();
  }
  return message;
}
type Json = Record<string, unknown>;

/**
 * Routing in the back office (reading: `readonly`; changing: `administrator`): the jurisdiction's area (a
 * GeoJSON polygon) and what happens outside it (`refuse`, with the message residents read in French and
 * English, `outside_message: {fr, en}`; or `refer` with a public note); departments with
 * their zone (GeoJSON), agency and bus app; and the ordered rules (service or any × department) that give
 * new requests their department, agency and bus app.
 */
export function createRoutingRoutes(deps: { routing: RoutingStore; audit: AuditLog; access: AdminAccess }) {
  const { routing, audit } = deps;
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();

  const zone = (value: unknown, at: string, problems: string[]) => {
    if (value === null || value === undefined) return null;
    const parsed = parseArea(value);
    if (typeof parsed === 'string') problems.push(`${at}: ${parsed}`);
    return JSON.stringify(value);
  };
  const view = async (id: string) => {
    const j = (await routing.jurisdiction(id))!;
    const settings = outsideSettings(j.settings);
    return {
      area: j.service_area && JSON.parse(j.service_area), outside: settings.outside, refer_note: settings.referNote,
      outside_message: { fr: settings.message.fr ?? null, en: settings.message.en ?? null },
      departments: (await routing.departments(id)).map((d) => ({ id: String(d.id), name: d.name, agency: d.agency, zone: d.zone && JSON.parse(d.zone), bus_app_id: d.bus_app_id })),
      rules: await routing.rules(id),
    };
  };
  const actor = (c: Context<AdminEnv>) => `staff:${c.get('session').staff.id}`;

  app.get(`${J}/routing`, role('readonly'), async (c) => c.json(await view(c.req.param('jurisdiction'))));

  app.put(`${J}/area`, role('administrator'), async (c) => {
    const b = await readJsonObject(c);
    const problems: string[] = [];
    const area = zone(b.area, 'area', problems);
    if (b.outside !== undefined && b.outside !== 'refuse' && b.outside !== 'refer') problems.push('outside must be refuse or refer');
    if (b.refer_note !== undefined && (typeof b.refer_note !== 'string' || b.refer_note.length > 1000)) problems.push('refer_note must be text of at most 1000 characters');
    const message = outsideMessage(b.outside_message, problems);
    if (problems.length) throw new JsonError(400, 'invalid area', problems);
    // The whole message is replaced (a language left out is removed, not kept from before).
    await routing.setArea(c.req.param('jurisdiction'), { area, outside: (b.outside as 'refuse' | 'refer' | undefined) ?? 'refuse', referNote: (b.refer_note as string | undefined) ?? null, message });
    await audit.record({ jurisdictionId: c.req.param('jurisdiction'), actor: actor(c), action: 'routing.area', target: `jurisdiction:${c.req.param('jurisdiction')}`, detail: { outside: b.outside ?? 'refuse' } });
    return c.json(await view(c.req.param('jurisdiction')));
  });

  app.put(`${J}/departments`, role('administrator'), async (c) => {
    const list = (await readJsonObject(c)).departments;
    const id = c.req.param('jurisdiction');
    if (!Array.isArray(list)) throw new JsonError(400, 'departments must be a list');
    const problems: string[] = [];
    const rows = [];
    for (const [i, d] of (list as Json[]).entries()) {
      const at = `departments[${i}]`;
      if (typeof d?.name !== 'string' || !d.name.trim() || d.name.length > 200) problems.push(`${at}.name is required`);
      if (d?.agency !== undefined && d.agency !== null && typeof d.agency !== 'string') problems.push(`${at}.agency must be text`);
      if (d?.bus_app_id != null && !(Number.isInteger(d.bus_app_id) && (await routing.isBusApp(id, d.bus_app_id as number)))) problems.push(`${at}.bus_app_id must be a bus app of this jurisdiction`);
      rows.push({ name: String(d?.name ?? '').trim(), agency: (d?.agency as string | null) ?? null, zone: zone(d?.zone, `${at}.zone`, problems), busAppId: (d?.bus_app_id as number | null) ?? null });
    }
    if (problems.length) throw new JsonError(400, 'invalid departments', problems);
    await routing.saveDepartments(id, rows);
    await audit.record({ jurisdictionId: id, actor: actor(c), action: 'routing.departments', target: `jurisdiction:${id}`, detail: { names: rows.map((r) => r.name) } });
    return c.json(await view(id));
  });

  app.put(`${J}/routing`, role('administrator'), async (c) => {
    const list = (await readJsonObject(c)).rules;
    const id = c.req.param('jurisdiction');
    if (!Array.isArray(list)) throw new JsonError(400, 'rules must be a list');
    const problems: string[] = [];
    const rows = [];
    for (const [i, r] of (list as Json[]).entries()) {
      const service = r?.service_code == null ? null : typeof r.service_code === 'string' ? await routing.serviceId(id, r.service_code) : undefined;
      const department = typeof r?.department === 'string' ? await routing.departmentId(id, r.department) : undefined;
      if (service === undefined) problems.push(`rules[${i}].service_code must be a service of this jurisdiction, or null for any`);
      if (department === undefined) problems.push(`rules[${i}].department must be the name of one of its departments`);
      rows.push({ serviceId: service ?? null, departmentId: department ?? 0 });
    }
    if (problems.length) throw new JsonError(400, 'invalid rules', problems);
    await routing.replaceRules(id, rows);
    await audit.record({ jurisdictionId: id, actor: actor(c), action: 'routing.rules', target: `jurisdiction:${id}`, detail: { rules: rows.length } });
    return c.json(await view(id));
  });
  return app;
}
