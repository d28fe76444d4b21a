import type { Db } from '../db/database.ts';
import type { Attribute, Datatype, Jurisdiction, Service, ServiceType } from './catalogue.types.ts';

interface ServiceRowDb {
  id: number;
  jurisdiction_id: string;
  code: string;
  name: string;
  description: string;
  keywords: string;
  group_name: string | null;
  type: ServiceType;
  attribute_count: number;
  moderation: 'auto' | 'hold';
  agency_responsible: string | null;
  service_notice: string | null;
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
}

const SERVICE_COLUMNS = `
  s.id, s.jurisdiction_id, s.code, s.name, s.description, s.keywords, g.name AS group_name, s.type,
  s.moderation, s.agency_responsible, s.service_notice,
  (SELECT count(*) FROM service_attributes a WHERE a.service_id = s.id) AS attribute_count
  FROM services s LEFT JOIN service_groups g ON g.id = s.group_id`;

function toService(row: ServiceRowDb): Service {
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    code: row.code,
    name: row.name,
    description: row.description,
    keywords: row.keywords,
    group: row.group_name,
    type: row.type,
    metadata: row.attribute_count > 0,
    moderation: row.moderation,
    agencyResponsible: row.agency_responsible,
    serviceNotice: row.service_notice,
  };
}

export type CatalogueStore = ReturnType<typeof createCatalogueStore>;

/** Reads the catalogue: jurisdictions, their active services and the services' attributes. */
export function createCatalogueStore(db: Db) {
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
    `SELECT id, code, datatype, variable, required, datatype_description, description, position
     FROM service_attributes WHERE service_id = ? ORDER BY position`,
  );
  const valuesOf = db.prepare<[number], { key: string; name: string }>(
    'SELECT key, name FROM attribute_values WHERE attribute_id = ? ORDER BY position, key',
  );

  const toJurisdiction = (r: { id: string; name: string; default_locale: string; contact: string }): Jurisdiction => ({
    id: r.id,
    name: r.name,
    defaultLocale: r.default_locale,
    contact: r.contact,
  });

  return {
    jurisdictions(): Jurisdiction[] {
      return allJurisdictions.all().map(toJurisdiction);
    },
    jurisdiction(id: string): Jurisdiction | undefined {
      const row = jurisdictionById.get(id);
      return row && toJurisdiction(row);
    },
    services(jurisdictionId: string): Service[] {
      return servicesOf.all(jurisdictionId).map(toService);
    },
    /** An active service by code, or undefined. */
    service(jurisdictionId: string, code: string): Service | undefined {
      const row = serviceByCode.get(jurisdictionId, code);
      return row && toService(row);
    },
    attributes(serviceId: number): Attribute[] {
      return attributesOf.all(serviceId).map((a) => ({
        code: a.code,
        datatype: a.datatype,
        variable: a.variable === 1,
        required: a.required === 1,
        datatypeDescription: a.datatype_description,
        description: a.description,
        order: a.position,
        values: valuesOf.all(a.id),
      }));
    },
  };
}
