import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, PASSWORD, staffWith } from '../helpers/admin.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { anyJsonOf, MIXED } from '../helpers/bad-get.ts';
import { brief, createRng, encodePairs, SEED, storeSnapshot, type Rng } from '../helpers/bad-input.ts';
import { busApp } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
const square = { type: 'Polygon', coordinates: [[[0.6, 47.3], [0.8, 47.3], [0.8, 47.5], [0.6, 47.5], [0.6, 47.3]]] };
const KEYS = ['code', 'name', 'datatype', 'values', 'key', 'order', 'required', 'service_code', 'detailed_status', 'department', 'zone', 'type', 'coordinates', 'fr', 'en', 'scopes',
  'staff_id', 'ids', 'action', 'into', 'reason'];

/** Everything the back office keeps beyond the requests: a refused call must leave all of it as it was. */
async function snapshot(t: TestApp) {
  const tables = ['staff_sessions', 'services', 'service_attributes', 'service_groups', 'response_templates', 'departments', 'routing_rules', 'staff_users', 'staff_roles', 'api_clients', 'bus_apps', 'jurisdictions', 'followers',
    'assignment_mails'];
  const assignees = JSON.stringify(await t.engine.query('SELECT id, assignee_id, visibility, duplicate_of FROM requests ORDER BY id'));
  const rows = await Promise.all(tables.map((name) => t.engine.query(`SELECT * FROM ${name} ORDER BY 1, 2`)));
  return (await storeSnapshot(t.engine)) + assignees + rows.map((r) => JSON.stringify(r)).join('');
}

/** The changes staff make, each with a body of the right shape. */
function changes(ids: { a: string; b: string; department: string; bus: number; agent: number; key: number }): [string, string, Record<string, unknown>][] {
  const service = { code: 'tag-graffiti', name: { fr: 'Tag', en: 'Graffiti' }, group: 'proprete', type: 'realtime', sla_hours: 48, moderation: 'hold', active: true,
    keywords: 'tag', attributes: [{ code: 'support', datatype: 'singlevaluelist', order: 1, required: true, public: false, description: 'Où ?', values: [{ key: 'mur', name: 'Mur' }] }] };
  return [
    ['POST', `${J}/requests/${ids.a}/status`, { detailed_status: 'fixed', note: 'Réparé' }],
    ['POST', `${J}/requests/${ids.a}/notes`, { note: 'Vu sur place', public: false }],
    ['POST', `${J}/requests/${ids.a}/publish`, {}],
    ['POST', `${J}/requests/${ids.a}/reject`, { reason: 'Doublon' }],
    ['POST', `${J}/requests/${ids.a}/edit`, { title: 'T', description: 'D', address: 'A' }],
    ['POST', `${J}/requests/${ids.a}/merge`, { into: Number(ids.b) }],
    ['POST', `${J}/requests/${ids.b}/assign`, { department_id: ids.department }],
    ['POST', `${J}/intake`, { channel: 'phone', service_code: 'nid-de-poule', address_string: '1 rue Haute', description: 'd', attribute: { taille: 'petit' }, last_name: 'Dupont' }],
    ['POST', `${J}/keys`, { name: 'Appli', rate_limit_per_minute: 10, scopes: ['report'] }],
    ['POST', `${J}/keys/${ids.key}/scopes`, { scopes: ['report', 'updates'] }],
    ['POST', `${J}/bus`, { name: 'GRC', services: ['nid-de-poule'], events: ['created'], deferred: true, webhook_url: null }],
    ['POST', `${J}/staff`, { email: 'nouveau@ville.example', name: 'Nouveau', role: 'agent', password: 'un mot de passe long' }],
    ['POST', `${J}/staff/${ids.agent}/remove`, {}],
    ['POST', `${J}/bus/${ids.bus}/revoke`, {}],
    ['POST', 'password', { current_password: PASSWORD, new_password: 'un nouveau mot de passe' }],
    ['PUT', `${J}/services/tag-graffiti`, service],
    ['PUT', `${J}/groups/securite`, { code: 'securite', name: { fr: 'Sécurité', en: 'Safety' } }],
    ['POST', `${J}/services/order`, { codes: ['tag-graffiti', 'nid-de-poule'] }],
    ['PUT', `${J}/templates`, { service_code: 'nid-de-poule', detailed_status: 'fixed', locale: 'fr', text: 'Rebouché.' }],
    ['PUT', `${J}/area`, { area: square, outside: 'refer', refer_note: 'Voir la métropole' }],
    ['PUT', `${J}/departments`, { departments: [{ name: 'Voirie', agency: 'Direction de la voirie', zone: square, bus_app_id: ids.bus }] }],
    ['PUT', `${J}/routing`, { rules: [{ service_code: 'nid-de-poule', department: 'Voirie' }, { service_code: null, department: 'Voirie' }] }],
    // The inbox (issue 15): assignment to a person and bulk actions.
    ['PUT', `${J}/requests/${ids.a}/assignee`, { staff_id: String(ids.agent) }],
    ['POST', `${J}/requests/bulk`, { ids: [ids.a, ids.b], action: 'status', detailed_status: 'planned', note: 'Prévu' }],
    ['POST', `${J}/requests/bulk`, { ids: [ids.a, ids.b], action: 'assign', staff_id: ids.agent }],
    ['POST', `${J}/requests/bulk`, { ids: [ids.a, ids.b], action: 'merge', into: ids.b }],
  ];
}

/** Spoils one field of the body (deep at times), or sends anything, or what is not JSON. */
function spoil(rng: Rng, shape: Record<string, unknown>): string {
  if (rng.chance(0.1)) return rng.pick(['', '{', 'null', '[]', '"x"', '{"note":', rng.text(1, 50, MIXED)]);
  if (rng.chance(0.15)) return JSON.stringify(anyJsonOf(rng, KEYS));
  const body = structuredClone(shape);
  let target: Record<string, unknown> = body;
  // Now and then one level down: an attribute, a department, a rule, a name.
  for (let depth = 0; depth < 3 && rng.chance(0.4); depth++) {
    const inner = Object.values(target).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
    if (inner.length === 0) break;
    const next = rng.pick(inner);
    target = Array.isArray(next) && next.length ? (next[0] as Record<string, unknown>) : next;
    if (typeof target !== 'object' || target === null) return JSON.stringify(body);
  }
  const keys = Object.keys(target);
  if (keys.length === 0 || rng.chance(0.1)) target[rng.pick(KEYS)] = anyJsonOf(rng, KEYS);
  else if (rng.chance(0.15)) delete target[rng.pick(keys)];
  else target[rng.pick(keys)] = anyJsonOf(rng, KEYS);
  return JSON.stringify(body);
}

test('the back-office API answers generated malformed calls with a JSON error, never a 5xx, and a refused change changes nothing', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const a = await file(t, pothole(t));
  const b = await file(t, pothole(t, { lat: '47.40', long: '0.70' }));
  const department = (await admin(t, s, 'PUT', `${J}/departments`, { departments: [{ name: 'Propreté' }] })).body.departments[0].id as string;
  const key = Number((await admin(t, s, 'POST', `${J}/keys`, { name: 'Site' })).body.id);
  const calls = changes({ a, b, department, bus: Number((await busApp(t)).app.id), agent: (await staffWith(t, 'agent')).id, key });
  const reads = ['requests', `requests/${a}`, `requests/${a}/templates`, 'moderation', 'catalogue', 'templates', 'routing', 'keys', 'bus', 'staff', 'audit', 'stats', 'stats.csv', 'queues', 'assignees', 'intake', 'places'];
  const rng = createRng(SEED ^ 0xad31);
  for (let n = 0; n < 800; n++) {
    const before = await snapshot(t);
    let res: Response;
    let label: string;
    if (rng.chance(0.25)) {
      const path = rng.pick(reads);
      const query = encodePairs(Array.from({ length: rng.int(1, 3) }, () => [rng.pick(['q', 'status', 'visibility', 'service_code', 'page', 'per_page', 'from', 'to', 'before', 'actor', 'action', 'assignee', 'sla', 'sort', 'lat', 'long', rng.text(1, 6)]), String(anyJsonOf(rng, KEYS))] as const));
      label = `GET ${path}?${brief(query)}`;
      res = await t.app.request(`http://localhost/admin/api/${J}/${path}?${query}`, { headers: { Cookie: s.cookie } });
    } else {
      const [method, path, shape] = rng.pick(calls);
      const sent = spoil(rng, shape);
      label = `${method} ${path} ${brief(sent)}`;
      res = await t.app.request(`http://localhost/admin/api/${path}`, { method, body: sent, headers: { 'Content-Type': 'application/json', Cookie: s.cookie, 'X-CSRF-Token': s.csrf } });
    }
    const context = `seed ${SEED} admin case ${n}: ${label}`;
    assert.ok(res.status < 500, `never a 5xx (${res.status}): ${context}`);
    if (res.status >= 400) {
      const answer = (await res.json()) as { error?: { code: number; message: string } };
      assert.equal(answer.error?.code, res.status, `a JSON error with its code: ${context}`);
      assert.ok(answer.error!.message, context);
      assert.equal(await snapshot(t), before, `refused, nothing changed: ${context}`);
    }
  }
});
