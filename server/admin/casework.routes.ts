import { Hono, type Context } from 'hono';
import type { TemplatesStore } from '../catalogue/templates.store.ts';
import { readJsonObject } from '../http/json-body.ts';
import { JsonError } from '../http/json-error.ts';
import { DETAILED_STATUSES, type DetailedStatus } from '../requests/requests.types.ts';
import type { UpdatesStore } from '../requests/updates.store.ts';
import type { AuditLog } from './audit-log.ts';
import { TOWN_PATH, type AdminAccess, type AdminEnv } from './access.ts';
import { EDITED_FIELDS } from '../shared/casework.ts';
import { mergeRefusals, type CaseworkStore } from './casework.store.ts';

export interface CaseworkDeps {
  casework: CaseworkStore;
  updates: UpdatesStore;
  templates: TemplatesStore;
  audit: AuditLog;
  access: AdminAccess;
  now: () => number;
}

type Json = Record<string, unknown>;
const MAX_TEXT = 4000;

/** A text field of a JSON body (line ends made `\n`); absent or empty is undefined, or 400 when `required`. */
export function text(b: Json, name: string, required: boolean, max = MAX_TEXT): string | undefined {
  const v = b[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw new JsonError(400, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || [...v].length > max) throw new JsonError(400, `${name} must be text of at most ${max} characters`);
  return v.replace(/\r\n?/g, '\n');
}

/** The `detailed_status` of a JSON body: one of the vocabulary's, else 400. */
export function detailedStatus(b: Json): DetailedStatus {
  const status = text(b, 'detailed_status', true, 40) as DetailedStatus;
  if (!DETAILED_STATUSES.includes(status)) throw new JsonError(400, `detailed_status must be one of ${DETAILED_STATUSES.join(', ')}`);
  return status;
}

function flag(b: Json, name: string): boolean {
  const v = b[name] ?? false;
  if (typeof v !== 'boolean') throw new JsonError(400, `${name} must be true or false`);
  return v;
}

/**
 * Requests as staff handle them (`/admin/api/j/:jurisdiction/…`): a request in full (reporter, internal
 * history with who did what by name, and what edits changed), the response templates it may be answered
 * with, status changes and notes (the updates store: timeline, followers' e-mails, the bus), assignment to
 * a department, and the moderation steps (the list, the queues, assignment to a person and bulk actions:
 * inbox.routes.ts; intake: intake.routes.ts). Reading needs `readonly`, acting `agent`; every action is in
 * the audit log.
 */
export function createCaseworkRoutes(deps: CaseworkDeps) {
  const { casework, updates, audit } = deps;
  const { role } = deps.access;
  const app = new Hono<AdminEnv>();
  const seconds = () => Math.floor(deps.now() / 1000);
  const actor = (c: Context<AdminEnv>) => `staff:${c.get('session').staff.id}`;
  /** The request of the path, in the jurisdiction of the path, or 404. */
  const target = async (c: Context<AdminEnv>) => {
    const id = Number(c.req.param('id'));
    const found = await casework.get(c.req.param('jurisdiction')!, id);
    if (!found) throw new JsonError(404, `request ${c.req.param('id')} is not a request of ${c.req.param('jurisdiction')}`);
    return { id, found };
  };
  const done = async (c: Context<AdminEnv>, action: string, id: number, detail: object = {}) => {
    await audit.record({ jurisdictionId: c.get('jurisdiction').id, actor: actor(c), action, target: `request:${id}`, detail });
    return c.json(await casework.get(c.req.param('jurisdiction')!, id));
  };
  const R = `${TOWN_PATH}/requests/:id{[1-9][0-9]{0,14}}`;

  app.get(R, role('readonly'), async (c) => c.json((await target(c)).found));

  app.get(`${R}/templates`, role('readonly'), async (c) => c.json(await deps.templates.forRequest((await target(c)).id)));

  app.post(`${R}/status`, role('agent'), async (c) => {
    const { id } = await target(c);
    const b = await readJsonObject(c);
    const status = detailedStatus(b);
    const note = text(b, 'note', false) ?? null;
    await updates.add({ jurisdictionId: c.req.param('jurisdiction'), requestId: id, detailedStatus: status, note, public: true, actor: actor(c), updateId: null, expectedAt: null, now: seconds() });
    return done(c, 'request.status', id, { detailed_status: status });
  });

  app.post(`${R}/notes`, role('agent'), async (c) => {
    const { id } = await target(c);
    const b = await readJsonObject(c);
    const isPublic = flag(b, 'public');
    await updates.add({ jurisdictionId: c.req.param('jurisdiction'), requestId: id, detailedStatus: null, note: text(b, 'note', true)!, public: isPublic, actor: actor(c), updateId: null, expectedAt: null, now: seconds() });
    return done(c, 'request.note', id, { public: isPublic });
  });

  app.post(`${R}/publish`, role('agent'), async (c) => {
    const { id, found } = await target(c);
    if (found.visibility !== 'pending') throw new JsonError(409, `request ${id} is not waiting for moderation`);
    await casework.publish(id, actor(c), seconds());
    return done(c, 'request.publish', id);
  });

  app.post(`${R}/reject`, role('agent'), async (c) => {
    const { id } = await target(c);
    const reason = text(await readJsonObject(c), 'reason', true, 500)!;
    await casework.reject(id, reason, actor(c), seconds());
    return done(c, 'request.reject', id, { reason });
  });

  app.post(`${R}/edit`, role('agent'), async (c) => {
    const { id } = await target(c);
    const b = await readJsonObject(c);
    const fields = Object.fromEntries(EDITED_FIELDS.flatMap((k) => {
      const v = text(b, k, false, k === 'title' ? 200 : k === 'address' ? 1000 : MAX_TEXT);
      return v === undefined ? [] : [[k, v]];
    }));
    if (Object.keys(fields).length === 0) throw new JsonError(400, 'give title, description or address to change');
    const changed = await casework.edit(id, fields, actor(c), seconds());
    // The same texts again change nothing, and leave nothing in the history or the log.
    return changed.length ? done(c, 'request.edit', id, { fields: changed }) : c.json(await casework.get(c.req.param('jurisdiction')!, id));
  });

  app.post(`${R}/media/:media{[1-9][0-9]{0,14}}/hide`, role('agent'), async (c) => {
    const { id } = await target(c);
    if (!(await casework.hideMedia(id, Number(c.req.param('media')), actor(c), seconds()))) throw new JsonError(404, 'no such photo on this request');
    return done(c, 'request.hide_photo', id, { media: c.req.param('media') });
  });

  app.post(`${R}/merge`, role('agent'), async (c) => {
    const { id, found } = await target(c);
    const into = Number((await readJsonObject(c)).into);
    const kept = Number.isSafeInteger(into) && into !== id ? await casework.get(c.req.param('jurisdiction'), into) : undefined;
    if (!kept) throw new JsonError(400, 'into must be another request of this jurisdiction');
    const number = (v: string | null) => (v === null ? null : Number(v));
    const refused = mergeRefusals([{ id, duplicateOf: number(found.duplicate_of) }], { id: into, duplicateOf: number(kept.duplicate_of) });
    if (refused.length) throw new JsonError(409, refused.join('; '), refused);
    await casework.merge(id, into, actor(c), seconds());
    return done(c, 'request.merge', id, { into });
  });

  app.post(`${R}/assign`, role('agent'), async (c) => {
    const { id } = await target(c);
    const given = (await readJsonObject(c)).department_id ?? null;
    const department = typeof given === 'string' && /^[1-9][0-9]{0,14}$/.test(given) ? Number(given) : given;
    if (department !== null && !Number.isSafeInteger(department)) throw new JsonError(400, 'department_id must be a department id or null');
    if (!(await casework.assign(c.req.param('jurisdiction')!, id, department as number | null))) throw new JsonError(400, `department_id ${department} is not a department of ${c.req.param('jurisdiction')}`);
    return done(c, 'request.assign', id, { department });
  });

  return app;
}
