import type { Queryable } from '../db/engine.ts';
import { DATATYPES, SERVICE_TYPES, isListType, type Datatype, type ServiceType } from './catalogue.types.ts';

/** Text in several languages (`{"fr": "Voirie", "en": "Roads"}`), or one string in the default language. */
export type Localized = string | Record<string, string>;

export interface CatalogueInput {
  jurisdiction: { id: string; name: string; default_locale: string; contact?: string };
  groups: { code: string; name: Localized }[];
  services: ServiceInput[];
}

export interface ServiceInput {
  code: string;
  name: Localized;
  description?: Localized;
  keywords?: Localized;
  group?: string;
  type?: ServiceType;
  sla_hours?: number;
  /** Duplicates: how near (metres, 1–5000) and how recent (days, 1–3650) an open request must be. */
  duplicate_radius?: number;
  duplicate_days?: number;
  moderation?: 'auto' | 'hold';
  agency_responsible?: string;
  service_notice?: Localized;
  /** False: kept, but no longer offered (default true). */
  active?: boolean;
  attributes?: AttributeInput[];
}

export interface AttributeInput {
  code: string;
  datatype: Datatype;
  variable?: boolean;
  required?: boolean;
  /** False: the answer is for staff (and the CRM) only (default true). */
  public?: boolean;
  order: number;
  description?: Localized;
  datatype_description?: Localized;
  values?: { key: string; name: Localized }[];
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid catalogue: ${problems.join('; ')}`);
  }
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Checks a catalogue document and returns it typed, or throws a CatalogueError listing every problem
 * (path and reason), so whoever wrote the document can fix it in one go.
 */
export function parseCatalogue(doc: unknown): CatalogueInput {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  /** A text, or texts by two-letter language code (`{"fr": "…", "en": "…"}`). */
  const isText = (v: unknown) => typeof v === 'string' || (isObject(v) && Object.entries(v).every(([lang, t]) => /^[a-z]{2}$/.test(lang) && typeof t === 'string'));
  const isCode = (v: unknown) => typeof v === 'string' && CODE.test(v);

  if (!isObject(doc)) throw new CatalogueError(['the catalogue must be a JSON object']);
  const j = doc.jurisdiction;
  if (!isObject(j)) throw new CatalogueError(['jurisdiction must be an object']);
  check(typeof j.id === 'string' && /^[a-z0-9][a-z0-9.-]{0,99}$/.test(j.id), 'jurisdiction.id must be a lower-case domain-like id');
  check(typeof j.name === 'string' && j.name.length > 0, 'jurisdiction.name is required');
  check(typeof j.default_locale === 'string' && /^[a-z]{2}$/.test(j.default_locale), 'jurisdiction.default_locale must be a two-letter language code');

  const groups = doc.groups ?? [];
  check(Array.isArray(groups), 'groups must be an array');
  const groupCodes = new Set<string>();
  for (const [i, g] of (Array.isArray(groups) ? groups : []).entries()) {
    check(isObject(g) && isCode(g.code), `groups[${i}].code must be a code (letters, digits, . _ -)`);
    check(isObject(g) && isText(g.name), `groups[${i}].name is required`);
    if (isObject(g)) groupCodes.add(String(g.code));
  }

  check(Array.isArray(doc.services), 'services must be an array');
  const serviceCodes = new Set<string>();
  for (const [i, s] of (Array.isArray(doc.services) ? doc.services : []).entries()) {
    const at = `services[${i}]`;
    if (!isObject(s)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    check(isCode(s.code), `${at}.code must be a code (letters, digits, . _ -)`);
    check(!serviceCodes.has(String(s.code)), `${at}.code ${String(s.code)} is used twice`);
    serviceCodes.add(String(s.code));
    check(isText(s.name), `${at}.name is required`);
    for (const key of ['description', 'keywords', 'service_notice'] as const) {
      check(s[key] === undefined || isText(s[key]), `${at}.${key} must be text`);
    }
    check(s.group === undefined || groupCodes.has(String(s.group)), `${at}.group ${String(s.group)} is not a listed group`);
    check(s.type === undefined || SERVICE_TYPES.includes(s.type as ServiceType), `${at}.type must be one of ${SERVICE_TYPES.join(', ')}`);
    check(s.moderation === undefined || s.moderation === 'auto' || s.moderation === 'hold', `${at}.moderation must be auto or hold`);
    check(s.sla_hours === undefined || (Number.isInteger(s.sla_hours) && (s.sla_hours as number) > 0), `${at}.sla_hours must be a positive integer`);
    for (const [key, max] of [['duplicate_radius', 5000], ['duplicate_days', 3650]] as const) {
      const v = s[key];
      check(v === undefined || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max), `${at}.${key} must be an integer from 1 to ${max}`);
    }
    check(s.attributes === undefined || Array.isArray(s.attributes), `${at}.attributes must be an array`);
    check(s.active === undefined || typeof s.active === 'boolean', `${at}.active must be true or false`);
    const codes = new Set<string>();
    const orders = new Set<number>();
    for (const [k, a] of (Array.isArray(s.attributes) ? s.attributes : []).entries()) {
      const aat = `${at}.attributes[${k}]`;
      if (!isObject(a)) {
        problems.push(`${aat} must be an object`);
        continue;
      }
      check(isCode(a.code) && !codes.has(String(a.code)), `${aat}.code must be a unique code`);
      codes.add(String(a.code));
      check(DATATYPES.includes(a.datatype as Datatype), `${aat}.datatype must be one of ${DATATYPES.join(', ')}`);
      check(Number.isInteger(a.order) && (a.order as number) > 0 && !orders.has(a.order as number), `${aat}.order must be a unique positive integer`);
      for (const key of ['description', 'datatype_description'] as const) check(a[key] === undefined || isText(a[key]), `${aat}.${key} must be text`);
      for (const key of ['variable', 'required', 'public'] as const) check(a[key] === undefined || typeof a[key] === 'boolean', `${aat}.${key} must be true or false`);
      orders.add(a.order as number);
      const list = isListType(a.datatype as Datatype);
      const values = a.values;
      check(!list || (Array.isArray(values) && values.length > 0), `${aat}.values must list at least one value for a list datatype`);
      check(list || values === undefined, `${aat}.values only belong to list datatypes`);
      for (const [m, v] of (Array.isArray(values) ? values : []).entries()) {
        check(isObject(v) && typeof v.key === 'string' && v.key.length > 0 && isText(v.name), `${aat}.values[${m}] needs a key and a name`);
      }
    }
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return doc as unknown as CatalogueInput;
}

/** Splits localized text into the default-language string and the other languages. */
function split(text: Localized | undefined, locale: string): { main: string; others: Record<string, string> } {
  if (text === undefined) return { main: '', others: {} };
  if (typeof text === 'string') return { main: text, others: {} };
  const { [locale]: main = Object.values(text)[0] ?? '', ...others } = text;
  return { main, others };
}

/** Merges per-field translations into the `i18n` JSON shape: `{"en": {"name": "…", "description": "…"}}`. */
function i18n(fields: Record<string, Record<string, string>>): string {
  const out: Record<string, Record<string, string>> = {};
  for (const [field, byLocale] of Object.entries(fields)) {
    for (const [locale, text] of Object.entries(byLocale)) (out[locale] ??= {})[field] = text;
  }
  return JSON.stringify(out);
}

const UPSERT_JURISDICTION = `INSERT INTO jurisdictions (id, name, default_locale, contact, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, default_locale = excluded.default_locale, contact = excluded.contact`;
const UPSERT_GROUP = `INSERT INTO service_groups (jurisdiction_id, code, name, i18n, position) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (jurisdiction_id, code) DO UPDATE SET name = excluded.name, i18n = excluded.i18n, position = excluded.position
     RETURNING id`;
const UPSERT_SERVICE = `INSERT INTO services (jurisdiction_id, code, name, description, keywords, group_id, type, i18n, sla_hours,
       duplicate_radius, duplicate_days, moderation, agency_responsible, service_notice, position, active, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (jurisdiction_id, code) DO UPDATE SET name = excluded.name, description = excluded.description,
       keywords = excluded.keywords, group_id = excluded.group_id, type = excluded.type, i18n = excluded.i18n,
       sla_hours = excluded.sla_hours, duplicate_radius = excluded.duplicate_radius,
       duplicate_days = excluded.duplicate_days, moderation = excluded.moderation,
       agency_responsible = excluded.agency_responsible, service_notice = excluded.service_notice,
       position = excluded.position, active = excluded.active, updated_at = excluded.updated_at
     RETURNING id`;
const DELETE_ATTRIBUTES = 'DELETE FROM service_attributes WHERE service_id = ?';
const INSERT_ATTRIBUTE = `INSERT INTO service_attributes (service_id, code, datatype, variable, required, datatype_description,
       description, position, i18n, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`;
const INSERT_VALUE = 'INSERT INTO attribute_values (attribute_id, key, name, i18n, position) VALUES (?, ?, ?, ?, ?)';

/**
 * Writes a checked catalogue in one transaction (a savepoint when `db` is already one): the jurisdiction,
 * its groups and services are created or updated by code; each imported service's attributes are
 * replaced. Services absent from the document are left as they are. The catalogue's cache counter moves
 * by trigger (SQLite) or plpgsql (PostgreSQL), see catalogue.store.ts. On PostgreSQL every upsert draws a
 * sequence number, even one that updates: ids of groups and services created by a later import (and of
 * every attribute, rewritten each time) differ from SQLite's, which nothing outside the store relies on.
 */
export async function importCatalogue(db: Queryable, catalogue: CatalogueInput, now: number): Promise<void> {
  const { jurisdiction: j } = catalogue;
  const locale = j.default_locale;
  const idOf = (result: { lastId?: number }) => result.lastId!;
  await db.transaction(async (tx) => {
    await tx.run(UPSERT_JURISDICTION, [j.id, j.name, locale, j.contact ?? '', now]);
    const groupIds = new Map<string, number>();
    for (const [position, g] of catalogue.groups.entries()) {
      const name = split(g.name, locale);
      groupIds.set(g.code, idOf(await tx.run(UPSERT_GROUP, [j.id, g.code, name.main, i18n({ name: name.others }), position])));
    }
    for (const [position, s] of catalogue.services.entries()) {
      const [name, description, keywords, notice] = [s.name, s.description, s.keywords, s.service_notice].map((t) => split(t, locale));
      const serviceId = idOf(await tx.run(UPSERT_SERVICE, [
        j.id, s.code, name.main, description.main, keywords.main, s.group ? groupIds.get(s.group) : null,
        s.type ?? 'realtime',
        i18n({ name: name.others, description: description.others, keywords: keywords.others, service_notice: notice.others }),
        s.sla_hours ?? null, s.duplicate_radius ?? null, s.duplicate_days ?? null, s.moderation ?? 'auto', s.agency_responsible ?? null, notice.main || null, position,
        s.active === false ? 0 : 1, now,
      ]));
      await tx.run(DELETE_ATTRIBUTES, [serviceId]);
      for (const a of s.attributes ?? []) {
        const [desc, typeDesc] = [a.description, a.datatype_description].map((t) => split(t, locale));
        const attributeId = idOf(await tx.run(INSERT_ATTRIBUTE, [
          serviceId, a.code, a.datatype, a.variable === false ? 0 : 1, a.required ? 1 : 0, typeDesc.main, desc.main,
          a.order, i18n({ description: desc.others, datatype_description: typeDesc.others }), a.public === false ? 0 : 1,
        ]));
        for (const [vp, v] of (a.values ?? []).entries()) {
          const vname = split(v.name, locale);
          await tx.run(INSERT_VALUE, [attributeId, v.key, vname.main, i18n({ name: vname.others }), vp]);
        }
      }
    }
  });
}
