import type { Queryable } from '../db/engine.ts';
import { localized } from './localize.ts';
import { createVersionedCache, EVERY_TOWN } from '../db/versioned-cache.ts';
import { DUPLICATE_DEFAULTS, type Attribute, type Datatype, type Jurisdiction, type Service, type ServiceType } from './catalogue.types.ts';
import { jsonTexts } from '../db/json-lists.ts';

interface ServiceRowDb {
  id: number;
  jurisdiction_id: string;
  code: string;
  name: string;
  description: string;
  keywords: string;
  group_name: string | null;
  group_i18n: string | null;
  i18n: string;
  type: ServiceType;
  attribute_count: number;
  moderation: 'auto' | 'hold';
  agency_responsible: string | null;
  service_notice: string | null;
  sla_hours: number | null;
  duplicate_radius: number | null;
  duplicate_days: number | null;
}

interface AttributeRowDb {
  id: number;
  code: string;
  datatype: Datatype;
  variable: number;
  required: number;
  datatype_description: string;
  description: string;
  position: number;
  i18n: string;
}

const SERVICE_COLUMNS = `
  s.id, s.jurisdiction_id, s.code, s.name, s.description, s.keywords, g.name AS group_name, g.i18n AS group_i18n,
  s.i18n, s.type,
  s.moderation, s.agency_responsible, s.service_notice, s.sla_hours, s.duplicate_radius, s.duplicate_days,
  (SELECT count(*) FROM service_attributes a WHERE a.service_id = s.id) AS attribute_count
  FROM services s LEFT JOIN service_groups g ON g.id = s.group_id`;

/** A service in `locale` (its default language when null or untranslated). */
function toService(row: ServiceRowDb, locale: string | null): Service {
  const text = (main: string, field: string) => localized(main, row.i18n, locale, field);
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    code: row.code,
    name: text(row.name, 'name'),
    description: text(row.description, 'description'),
    keywords: text(row.keywords, 'keywords'),
    group: row.group_name === null ? null : localized(row.group_name, row.group_i18n ?? '{}', locale, 'name'),
    type: row.type,
    metadata: row.attribute_count > 0,
    moderation: row.moderation,
    agencyResponsible: row.agency_responsible,
    serviceNotice: row.service_notice === null ? null : text(row.service_notice, 'service_notice'),
    slaHours: row.sla_hours,
    duplicateRadius: row.duplicate_radius ?? DUPLICATE_DEFAULTS.radius,
    duplicateDays: row.duplicate_days ?? DUPLICATE_DEFAULTS.days,
  };
}

export type CatalogueStore = ReturnType<typeof createCatalogueStore>;

type JurisdictionRowDb = { id: string; name: string; default_locale: string; contact: string };

const JURISDICTION_BY_ID = 'SELECT id, name, default_locale, contact FROM jurisdictions WHERE id = ?';
const ALL_JURISDICTIONS = 'SELECT id, name, default_locale, contact FROM jurisdictions ORDER BY id';
const SERVICES_OF = `SELECT ${SERVICE_COLUMNS} WHERE s.jurisdiction_id = ? AND s.active = 1
     ORDER BY coalesce(g.position, 1e9), s.position, s.code`;
const SERVICE_BY_CODE = `SELECT ${SERVICE_COLUMNS} WHERE s.jurisdiction_id = ? AND s.code = ? AND s.active = 1`;
const ATTRIBUTES_OF = `SELECT id, code, datatype, variable, required, datatype_description, description, position, i18n
     FROM service_attributes WHERE service_id = ? ORDER BY position`;
const VALUES_OF = 'SELECT key, name, i18n FROM attribute_values WHERE attribute_id = ? ORDER BY position, key';

/**
 * The statement that reads JSON objects, written once per engine: SQLite's `json_each` is PostgreSQL's
 * `json_object_keys` (the languages of an `i18n` object).
 * The languages are sorted on both so that the two engines list them alike.
 */
const JSON_READS = {
  sqlite: {
    locales: `SELECT DISTINCT t.key AS locale FROM services s, json_each(s.i18n) t WHERE s.jurisdiction_id = ? AND s.active = 1
     ORDER BY locale`,
  },
  postgres: {
    locales: `SELECT DISTINCT t.locale FROM services s, json_object_keys(CAST(s.i18n AS json)) AS t(locale)
     WHERE s.jurisdiction_id = ? AND s.active = 1 ORDER BY locale`,
  },
} as const;

const toJurisdiction = (r: JurisdictionRowDb): Jurisdiction => ({
  id: r.id,
  name: r.name,
  defaultLocale: r.default_locale,
  contact: r.contact,
});

/**
 * Reads the catalogue: jurisdictions, their active services and the services' attributes. Answers are
 * cached until the town's catalogue changes (read on every request, written rarely): the town's `catalogue`
 * counter of `cache_versions` moves on every write to its five tables, and the counter of every town on a
 * write to `jurisdictions` (the list of towns), by triggers (migration 018).
 * Writes go through `importCatalogue` (catalogue.import.ts).
 */
export function createCatalogueStore(db: Queryable) {
  const cache = createVersionedCache(db, 'catalogue');
  const json = JSON_READS[db.kind];
  const serviceIds = `SELECT id FROM services WHERE jurisdiction_id = ? AND code IN (${jsonTexts(db, '?')}) ORDER BY id`;

  return {
    jurisdictions(): Promise<Jurisdiction[]> {
      return cache.get(EVERY_TOWN, 'jurisdictions', async () => (await db.query<JurisdictionRowDb>(ALL_JURISDICTIONS)).map(toJurisdiction));
    },
    jurisdiction(id: string): Promise<Jurisdiction | undefined> {
      return cache.get(EVERY_TOWN, `jurisdiction ${id}`, async () => {
        const row = await db.one<JurisdictionRowDb>(JURISDICTION_BY_ID, [id]);
        return row && toJurisdiction(row);
      });
    },
    /** Ids of the services (active or not) with these codes; unknown codes are left out. */
    serviceIds(jurisdictionId: string, codes: string[]): Promise<number[]> {
      const list = JSON.stringify(codes);
      return cache.get(jurisdictionId, `ids ${list}`, async () => (await db.query<{ id: number }>(serviceIds, [jurisdictionId, list])).map((r) => r.id));
    },
    /** The languages the jurisdiction's catalogue is translated into (beyond its default language). */
    locales(jurisdictionId: string): Promise<string[]> {
      return cache.get(jurisdictionId, 'locales', async () => (await db.query<{ locale: string }>(json.locales, [jurisdictionId])).map((r) => r.locale));
    },
    /** The active services of a jurisdiction, in `locale` when translated. */
    services(jurisdictionId: string, locale: string | null = null): Promise<Service[]> {
      return cache.get(jurisdictionId, `services ${locale}`, async () =>
        (await db.query<ServiceRowDb>(SERVICES_OF, [jurisdictionId])).map((row) => toService(row, locale)));
    },
    /** An active service by code, or undefined. */
    service(jurisdictionId: string, code: string, locale: string | null = null): Promise<Service | undefined> {
      return cache.get(jurisdictionId, `service ${locale} ${code}`, async () => {
        const row = await db.one<ServiceRowDb>(SERVICE_BY_CODE, [jurisdictionId, code]);
        return row && toService(row, locale);
      });
    },
    /** A service's attributes in order, in `locale` when translated. */
    attributes(service: Pick<Service, 'id' | 'jurisdictionId'>, locale: string | null = null): Promise<Attribute[]> {
      return cache.get(service.jurisdictionId, `attributes ${service.id} ${locale}`, async () => {
        const rows = await db.query<AttributeRowDb>(ATTRIBUTES_OF, [service.id]);
        const values = await Promise.all(rows.map((a) => db.query<{ key: string; name: string; i18n: string }>(VALUES_OF, [a.id])));
        return rows.map((a, i) => ({
          code: a.code,
          datatype: a.datatype,
          variable: a.variable === 1,
          required: a.required === 1,
          datatypeDescription: localized(a.datatype_description, a.i18n, locale, 'datatype_description'),
          description: localized(a.description, a.i18n, locale, 'description'),
          order: a.position,
          values: values[i]!.map((v) => ({ key: v.key, name: localized(v.name, v.i18n, locale, 'name') })),
        }));
      });
    },
  };
}
