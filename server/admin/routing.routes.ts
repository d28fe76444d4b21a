import { Hono, type Context } from 'hono';
import type { Db } from '../db/database.ts';
import { readJsonObject } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { parseArea } from '../requests/geometry.ts';
import { outsideSettings, type OutsideMessage } from '../requests/routing.store.ts';
import type { AuditLog } from './audit-log.ts';
import type { AdminAccess, AdminEnv } from './access.ts';

const J = '/j/:jurisdiction{[a-z0-9.-]+}';
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
export function createRoutingRoutes(deps: { db: Db; audit: AuditLog; access: AdminAccess }) {
  const { db, audit } = deps;
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const jurisdiction = db.prepare<[string], { service_area: string | null; settings: string }>('SELECT service_area, settings FROM jurisdictions WHERE id = ?');
  const setArea = db.prepare('UPDATE jurisdictions SET service_area = ?, settings = json_patch(settings, ?) WHERE id = ?');
  const setMessage = db.prepare("UPDATE jurisdictions SET settings = json_set(settings, '$.outside_message', json(?)) WHERE id = ?");
  const departments = db.prepare<[string], { id: number; name: string; agency: string | null; zone: string | null; bus_app_id: number | null }>(
    'SELECT id, name, agency, zone, bus_app_id FROM departments WHERE jurisdiction_id = ? ORDER BY name',
  );
  const upsertDepartment = db.prepare(
    `INSERT INTO departments (jurisdiction_id, name, agency, zone, bus_app_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (jurisdiction_id, name) DO UPDATE SET agency = excluded.agency, zone = excluded.zone, bus_app_id = excluded.bus_app_id`,
  );
  const busApp = db.prepare<[number, string], { id: number }>('SELECT id FROM bus_apps WHERE id = ? AND jurisdiction_id = ?');
  const rules = db.prepare<[string], { service_code: string | null; department: string }>(
    `SELECT s.code AS service_code, d.name AS department FROM routing_rules r LEFT JOIN services s ON s.id = r.service_id
     JOIN departments d ON d.id = r.department_id WHERE r.jurisdiction_id = ? ORDER BY r.position`,
  );
  const clearRules = db.prepare('DELETE FROM routing_rules WHERE jurisdiction_id = ?');
  const addRule = db.prepare('INSERT INTO routing_rules (jurisdiction_id, service_id, department_id, position) VALUES (?, ?, ?, ?)');
  const serviceId = db.prepare<[string, string], { id: number }>('SELECT id FROM services WHERE jurisdiction_id = ? AND code = ?');
  const departmentId = db.prepare<[string, string], { id: number }>('SELECT id FROM departments WHERE jurisdiction_id = ? AND name = ?');

  const zone = (value: unknown, at: string, problems: string[]) => {
    if (value === null || value === undefined) return null;
    const parsed = parseArea(value);
    if (typeof parsed === 'string') problems.push(`${at}: ${parsed}`);
    return JSON.stringify(value);
  };
  const view = (id: string) => {
    const j = jurisdiction.get(id)!;
    const settings = outsideSettings(j.settings);
    return {
      area: j.service_area && JSON.parse(j.service_area), outside: settings.outside, refer_note: settings.referNote,
      outside_message: { fr: settings.message.fr ?? null, en: settings.message.en ?? null },
      departments: departments.all(id).map((d) => ({ id: String(d.id), name: d.name, agency: d.agency, zone: d.zone && JSON.parse(d.zone), bus_app_id: d.bus_app_id })),
      rules: rules.all(id),
    };
  };
  const actor = (c: Context<AdminEnv>) => `staff:${c.get('session').staff.id}`;

  app.get(`${J}/routing`, role('readonly'), (c) => c.json(view(c.req.param('jurisdiction'))));

  app.put(`${J}/area`, role('administrator'), async (c) => {
    const b = await readJsonObject(c);
    const problems: string[] = [];
    const area = zone(b.area, 'area', problems);
    if (b.outside !== undefined && b.outside !== 'refuse' && b.outside !== 'refer') problems.push('outside must be refuse or refer');
    if (b.refer_note !== undefined && (typeof b.refer_note !== 'string' || b.refer_note.length > 1000)) problems.push('refer_note must be text of at most 1000 characters');
    const message = outsideMessage(b.outside_message, problems);
    if (problems.length) throw new JsonError(400, 'invalid area', problems);
    // The whole message is replaced (json_patch would merge a language left out with the one stored).
    setArea.run(area, JSON.stringify({ outside: b.outside ?? 'refuse', refer_note: b.refer_note ?? null, outside_message: null }), c.req.param('jurisdiction'));
    setMessage.run(JSON.stringify(message), c.req.param('jurisdiction'));
    audit.record({ jurisdictionId: c.req.param('jurisdiction'), actor: actor(c), action: 'routing.area', target: `jurisdiction:${c.req.param('jurisdiction')}`, detail: { outside: b.outside ?? 'refuse' } });
    return c.json(view(c.req.param('jurisdiction')));
  });

  app.put(`${J}/departments`, role('administrator'), async (c) => {
    const list = (await readJsonObject(c)).departments;
    const id = c.req.param('jurisdiction');
    if (!Array.isArray(list)) throw new JsonError(400, 'departments must be a list');
    const problems: string[] = [];
    const rows = list.map((d: Json, i) => {
      const at = `departments[${i}]`;
      if (typeof d?.name !== 'string' || !d.name.trim() || d.name.length > 200) problems.push(`${at}.name is required`);
      if (d?.agency !== undefined && d.agency !== null && typeof d.agency !== 'string') problems.push(`${at}.agency must be text`);
      if (d?.bus_app_id != null && !(Number.isInteger(d.bus_app_id) && busApp.get(d.bus_app_id as number, id))) problems.push(`${at}.bus_app_id must be a bus app of this jurisdiction`);
      return [id, String(d?.name ?? '').trim(), (d?.agency as string | null) ?? null, zone(d?.zone, `${at}.zone`, problems), (d?.bus_app_id as number | null) ?? null] as const;
    });
    if (problems.length) throw new JsonError(400, 'invalid departments', problems);
    db.transaction(() => rows.forEach((r) => upsertDepartment.run(...r)))();
    audit.record({ jurisdictionId: id, actor: actor(c), action: 'routing.departments', target: `jurisdiction:${id}`, detail: { names: rows.map((r) => r[1]) } });
    return c.json(view(id));
  });

  app.put(`${J}/routing`, role('administrator'), async (c) => {
    const list = (await readJsonObject(c)).rules;
    const id = c.req.param('jurisdiction');
    if (!Array.isArray(list)) throw new JsonError(400, 'rules must be a list');
    const problems: string[] = [];
    const rows = list.map((r: Json, i) => {
      const service = r?.service_code == null ? null : typeof r.service_code === 'string' ? serviceId.get(id, r.service_code)?.id : undefined;
      const department = typeof r?.department === 'string' ? departmentId.get(id, r.department)?.id : undefined;
      if (service === undefined) problems.push(`rules[${i}].service_code must be a service of this jurisdiction, or null for any`);
      if (department === undefined) problems.push(`rules[${i}].department must be the name of one of its departments`);
      return [id, service ?? null, department ?? 0, i] as const;
    });
    if (problems.length) throw new JsonError(400, 'invalid rules', problems);
    db.transaction(() => {
      clearRules.run(id);
      rows.forEach((r) => addRule.run(...r));
    })();
    audit.record({ jurisdictionId: id, actor: actor(c), action: 'routing.rules', target: `jurisdiction:${id}`, detail: { rules: rows.length } });
    return c.json(view(id));
  });
  return app;
}
