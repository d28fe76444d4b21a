import { CatalogueError, importCatalogue, parseCatalogue, type AttributeInput, type CatalogueInput } from '../catalogue/catalogue.import.ts';
import { DATATYPES, SERVICE_TYPES, type Jurisdiction } from '../catalogue/catalogue.types.ts';
import type { Queryable } from '../db/engine.ts';
import { jsonTexts } from '../db/json-lists.ts';
import { parseDatetime } from '../georeport/datetime.ts';
import { normalizeText } from '../georeport/fields.ts';
import { createUpdatesStore } from '../requests/updates.store.ts';
import { DETAILED_STATUSES, type DetailedStatus } from '../requests/requests.types.ts';
import { JsonError } from '../http/json-error.ts';

/** A status update from the CRM, checked. */
export interface BusUpdate {
  updateId: string;
  detailedStatus: DetailedStatus | null;
  note: string | null;
  /** Whether the note is public (the status itself always joins the public timeline). */
  public: boolean;
  externalId: string | null;
  expectedAt: number | null;
  agency: string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the body of `POST requests/{id}/updates`; every problem at once, each naming its field. */
export function parseBusUpdate(body: unknown): BusUpdate {
  if (!isObject(body)) throw new JsonError(400, 'the body must be a JSON object');
  const problems: string[] = [];
  const text = (name: string, max: number): string | null => {
    const v = body[name];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return problems.push(`${name} must be a string`), null;
    const t = normalizeText(v);
    if ([...t].length > max) return problems.push(`${name} must be at most ${max} characters`), null;
    return t;
  };
  const updateId = text('update_id', 200);
  if (updateId === null) problems.push('update_id is required (your own id for this update: sending it again changes nothing)');
  const status = text('detailed_status', 40) ?? text('status', 40);
  if (status !== null && !(DETAILED_STATUSES as readonly string[]).includes(status)) problems.push(`detailed_status must be one of ${DETAILED_STATUSES.join(', ')}`);
  const note = text('note', 4000);
  const isPublic = body.public ?? false;
  if (typeof isPublic !== 'boolean') problems.push('public must be true or false');
  const expected = text('expected_datetime', 100);
  const expectedAt = expected === null ? null : parseDatetime(expected) ?? null;
  if (expected !== null && expectedAt === null) problems.push('expected_datetime must be a W3C datetime with a zone');
  const externalId = text('external_id', 200);
  const agency = text('agency_responsible', 200);
  if (status === null && note === null && externalId === null && expectedAt === null && agency === null) {
    problems.push('an update needs at least one of detailed_status, note, external_id, expected_datetime, agency_responsible');
  }
  if (problems.length > 0) throw new JsonError(400, 'invalid update', problems);
  return { updateId: updateId!, detailedStatus: status as DetailedStatus | null, note, public: isPublic === true, externalId, expectedAt, agency };
}

const FIELDS = `UPDATE requests SET external_id = coalesce(@externalId, external_id), agency_responsible = coalesce(@agency, agency_responsible),
  expected_at = coalesce(@expectedAt, expected_at) WHERE id = @id`;

/**
 * Applies a CRM update in one transaction, once per `update_id`: the status (public timeline), the note
 * (public or internal), and the request's CRM id, expected date and agency (an update of those alone is
 * recorded as an empty internal event: the mark that makes it happen once). Returns the event it made, or
 * the one it made the first time; undefined when the request is not the jurisdiction's. The events'
 * consequences (outbox, notifications, counts) are the updates store's triggers (SQLite) and their
 * plpgsql twins (PostgreSQL); the outbox skips the app whose update it is (`bus:<id>` as actor).

 */
export function createBusInbound(db: Queryable) {
  const apply = (jurisdictionId: string, appId: number, requestId: number, u: BusUpdate, now: number) =>
    db.transaction(async (tx) => {
      const actor = `bus:${appId}`;
      const base = { jurisdictionId, requestId, actor, expectedAt: u.expectedAt, now };
      // A status with an internal note: the status is public, the note is not; two events.
      const split = u.detailedStatus !== null && u.note !== null && !u.public;
      const updates = createUpdatesStore(tx);
      const first = await updates.add({
        ...base, detailedStatus: u.detailedStatus, note: split ? null : u.note, public: u.detailedStatus !== null || u.public,
        updateId: u.updateId,
      });
      if (!first || first.duplicate) return first;
      if (split) await updates.add({ ...base, detailedStatus: null, note: u.note, public: false, updateId: `${u.updateId}#note`, expectedAt: null });
      await tx.run(FIELDS, { id: requestId, externalId: u.externalId, agency: u.agency, expectedAt: u.expectedAt });
      return first;
    });
  return { apply };
}

/**
 * Reads an Open311 catalogue pushed by the CRM (`{"services": [{service_code, service_name, description,
 * type, keywords, group, attributes: [{code, datatype, …, values}]}]}`, the service list with each
 * service's definition inside) into our catalogue shape, every problem listed with its path.
 */
export function parseOpen311Catalogue(body: unknown, jurisdiction: Jurisdiction): CatalogueInput {
  const list = isObject(body) ? body.services : body;
  if (!Array.isArray(list)) throw new JsonError(400, 'invalid catalogue', ['services must be an array of Open311 services']);
  const problems: string[] = [];
  const groups = new Map<string, string>();
  const slug = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'group';
  const services = list.map((s: unknown, i) => {
    const at = `services[${i}]`;
    if (!isObject(s)) return problems.push(`${at} must be an object`), null;
    const str = (k: string, required = false) => {
      const v = s[k];
      if (v === undefined || v === null || v === '') return required ? (problems.push(`${at}.${k} is required`), '') : undefined;
      return typeof v === 'string' ? normalizeText(v) : (problems.push(`${at}.${k} must be a string`), '');
    };
    const group = str('group');
    if (group) groups.set(group, groups.get(group) ?? slug(group));
    const type = str('type') ?? 'realtime';
    if (!(SERVICE_TYPES as readonly string[]).includes(type)) problems.push(`${at}.type must be one of ${SERVICE_TYPES.join(', ')}`);
    const attributes = s.attributes ?? [];
    if (!Array.isArray(attributes)) problems.push(`${at}.attributes must be an array`);
    return {
      code: str('service_code', true)!, name: str('service_name', true)!, description: str('description'), keywords: str('keywords'),
      group: group && groups.get(group), type: type as (typeof SERVICE_TYPES)[number],
      attributes: (Array.isArray(attributes) ? attributes : []).map((a: unknown, k) => {
        if (!isObject(a)) return problems.push(`${at}.attributes[${k}] must be an object`), { code: '', datatype: 'string', order: k + 1 } as AttributeInput;
        if (!(DATATYPES as readonly unknown[]).includes(a.datatype)) problems.push(`${at}.attributes[${k}].datatype must be one of ${DATATYPES.join(', ')}`);
        return { ...a, order: a.order ?? k + 1 } as AttributeInput;
      }),
    };
  });
  if (problems.length > 0) throw new JsonError(400, 'invalid catalogue', problems);
  const doc = {
    jurisdiction: { id: jurisdiction.id, name: jurisdiction.name, default_locale: jurisdiction.defaultLocale, contact: jurisdiction.contact },
    groups: [...groups].map(([name, code]) => ({ code, name })),
    services,
  };
  try {
    return parseCatalogue(doc);
  } catch (e) {
    if (e instanceof CatalogueError) throw new JsonError(400, 'invalid catalogue', e.problems);
    throw e;
  }
}

/**
 * Makes a pushed catalogue the jurisdiction's, atomically: services in it are created or updated, the others
 * within `scope` (the pushing app's services; null: all) retired.
 */
export async function replaceCatalogue(db: Queryable, catalogue: CatalogueInput, scope: string[] | null, now: number): Promise<{ services: number; retired: number }> {
  const retire = `UPDATE services SET active = 0, updated_at = @now WHERE jurisdiction_id = @jurisdiction AND active = 1
    AND code NOT IN (${jsonTexts(db, '@codes')}) AND (CAST(@scope AS TEXT) IS NULL OR code IN (${jsonTexts(db, '@scope')}))`;
  return db.transaction(async (tx) => {
    await importCatalogue(tx, catalogue, now);
    const { changes: retired } = await tx.run(retire, {
      now, jurisdiction: catalogue.jurisdiction.id, codes: JSON.stringify(catalogue.services.map((s) => s.code)), scope: scope && JSON.stringify(scope),
    });
    return { services: catalogue.services.length, retired };
  });
}
