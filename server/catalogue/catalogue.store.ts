import type { Db } from '../db/database.ts';
import { localized } from './localize.ts';
import { createVersionedCacheSync } from '../db/versioned-cache.ts';
import { DUPLICATE_DEFAULTS, type Attribute, type Datatype, type Jurisdiction, type Service, type ServiceType } from './catalogue.types.ts';

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

/**
 * Reads the catalogue: jurisdictions, their active services and the services' attributes. Answers are
 * cached until the catalogue changes (read on every request, written rarely).
 */
export function createCatalogueStore(db: Db) {
  const cache = createVersionedCacheSync(db, 'catalogue');
  const jurisdictionById = db.prepare<[string], { id: string; name: string; default_locale: string; contact: string }>(
    'SELECT id, name, default_locale, contact FROM jurisdictions WHERE id = ?',
  );
  const allJurisdictions = db.prepare<[], { id: string; name: string; default_locale: string; contact: string }>(
    'SELECT id, name, default_locale, contact FROM jurisdictions ORDER BY id',
  );
  const servicesOf = db.prepare<[string], ServiceRowDb>(
    `SELECT ${SERVICE_COLUMNS} WHERE s.jurisdiction_id = ? AND s.active = 1
     ORDER BY coalesce(g.position, 1e9), s.position, s.code`,
  );
  const serviceByCode = db.prepare<[string, string], ServiceRowDb>(
    `SELECT ${SERVICE_COLUMNS} WHERE s.jurisdiction_id = ? AND s.code = ? AND s.active = 1`,
  );
  const attributesOf = db.prepare<[number], AttributeRowDb>(
    `SELECT id, code, datatype, variable, required, datatype_description, description, position, i18n
     FROM service_attributes WHERE service_id = ? ORDER BY position`,
  );
  const valuesOf = db.prepare<[number], { key: string; name: string; i18n: string }>(
    'SELECT key, name, i18n FROM attribute_values WHERE attribute_id = ? ORDER BY position, key',
  );

  const idsOf = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM services WHERE jurisdiction_id = ? AND code IN (SELECT value FROM json_each(?)) ORDER BY id',
  );
  const localesOf = db.prepare<[string], { locale: string }>(
    `SELECT DISTINCT t.key AS locale FROM services s, json_each(s.i18n) t WHERE s.jurisdiction_id = ? AND s.active = 1`,
  );

  const toJurisdiction = (r: { id: string; name: string; default_locale: string; contact: string }): Jurisdiction => ({
    id: r.id,
    name: r.name,
    defaultLocale: r.default_locale,
    contact: r.contact,
  });

  return {
    jurisdictions(): Jurisdiction[] {
      return cache.get('jurisdictions', () => allJurisdictions.all().map(toJurisdiction));
    },
    jurisdiction(id: string): Jurisdiction | undefined {
      return cache.get(`jurisdiction ${id}`, () => {
        const row = jurisdictionById.get(id);
        return row && toJurisdiction(row);
      });
    },
    /** Ids of the services (active or not) with these codes; unknown codes are left out. */
    serviceIds(jurisdictionId: string, codes: string[]): number[] {
      const list = JSON.stringify(codes);
      return cache.get(`ids ${jurisdictionId} ${list}`, () => idsOf.all(jurisdictionId, list).map((r) => r.id));
    },
    /** The languages the jurisdiction's catalogue is translated into (beyond its default language). */
    locales(jurisdictionId: string): string[] {
      return cache.get(`locales ${jurisdictionId}`, () => localesOf.all(jurisdictionId).map((r) => r.locale));
    },
    /** The active services of a jurisdiction, in `locale` when translated. */
    services(jurisdictionId: string, locale: string | null = null): Service[] {
      return cache.get(`services ${jurisdictionId} ${locale}`, () => servicesOf.all(jurisdictionId).map((row) => toService(row, locale)));
    },
    /** An active service by code, or undefined. */
    service(jurisdictionId: string, code: string, locale: string | null = null): Service | undefined {
      return cache.get(`service ${jurisdictionId} ${locale} ${code}`, () => {
        const row = serviceByCode.get(jurisdictionId, code);
        return row && toService(row, locale);
      });
    },
    /** A service's attributes in order, in `locale` when translated. */
    attributes(serviceId: number, locale: string | null = null): Attribute[] {
      return cache.get(`attributes ${serviceId} ${locale}`, () => attributesOf.all(serviceId).map((a) => ({
        code: a.code,
        datatype: a.datatype,
        variable: a.variable === 1,
        required: a.required === 1,
        datatypeDescription: localized(a.datatype_description, a.i18n, locale, 'datatype_description'),
        description: localized(a.description, a.i18n, locale, 'description'),
        order: a.position,
        values: valuesOf.all(a.id).map((v) => ({ key: v.key, name: localized(v.name, v.i18n, locale, 'name') })),
      })));
    },
  };
}
