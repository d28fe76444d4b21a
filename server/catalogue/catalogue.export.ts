import type { Db } from '../db/database.ts';
import { parseI18n } from './localize.ts';
import type { AttributeInput, CatalogueInput, Localized, ServiceInput } from './catalogue.import.ts';

/** Text in the default language, with its translations when it has some (`{"fr": …, "en": …}`). */
function localized(main: string, i18n: string, field: string, locale: string): Localized {
  const others = Object.entries(parseI18n(i18n)).flatMap(([lang, fields]) => (fields[field] ? [[lang, fields[field]]] : []));
  return others.length === 0 ? main : { [locale]: main, ...Object.fromEntries(others) };
}

type Row = Record<string, string | number | null>;

/**
 * A jurisdiction's whole catalogue in the shape `georeport catalogue import` and the back office read
 * (demo/city/catalogue.json): groups, services (retired ones too, `active: false`) and their attributes, in
 * order, with every translation. Importing it again changes nothing.
 */
export function exportCatalogue(db: Db, jurisdictionId: string): CatalogueInput | undefined {
  const j = db.prepare<[string], Row>('SELECT id, name, default_locale, contact FROM jurisdictions WHERE id = ?').get(jurisdictionId);
  if (!j) return undefined;
  const locale = String(j.default_locale);
  const text = (r: Row, column: string, field = column) => localized(String(r[column] ?? ''), String(r.i18n ?? '{}'), field, locale);
  const groups = db.prepare<[string], Row>('SELECT id, code, name, i18n FROM service_groups WHERE jurisdiction_id = ? ORDER BY position, code').all(jurisdictionId);
  const groupCode = new Map(groups.map((g) => [Number(g.id), String(g.code)]));
  const services = db.prepare<[string], Row>('SELECT * FROM services WHERE jurisdiction_id = ? ORDER BY position, code').all(jurisdictionId);
  const attributes = db.prepare<[number], Row>('SELECT * FROM service_attributes WHERE service_id = ? ORDER BY position');
  const values = db.prepare<[number], Row>('SELECT key, name, i18n FROM attribute_values WHERE attribute_id = ? ORDER BY position, key');
  return {
    jurisdiction: { id: String(j.id), name: String(j.name), default_locale: locale, contact: String(j.contact) },
    groups: groups.map((g) => ({ code: String(g.code), name: text(g, 'name') })),
    services: services.map((s): ServiceInput => ({
      code: String(s.code),
      name: text(s, 'name'),
      description: text(s, 'description'),
      keywords: text(s, 'keywords'),
      ...(s.group_id === null ? {} : { group: groupCode.get(Number(s.group_id)) }),
      type: s.type as ServiceInput['type'],
      ...(s.sla_hours === null ? {} : { sla_hours: Number(s.sla_hours) }),
      ...(s.duplicate_radius === null ? {} : { duplicate_radius: Number(s.duplicate_radius) }),
      ...(s.duplicate_days === null ? {} : { duplicate_days: Number(s.duplicate_days) }),
      moderation: s.moderation as 'auto' | 'hold',
      ...(s.agency_responsible === null ? {} : { agency_responsible: String(s.agency_responsible) }),
      ...(s.service_notice === null ? {} : { service_notice: text(s, 'service_notice') }),
      active: s.active === 1,
      attributes: attributes.all(Number(s.id)).map((a): AttributeInput => {
        const list = values.all(Number(a.id));
        return {
          code: String(a.code), datatype: a.datatype as AttributeInput['datatype'], variable: a.variable === 1, required: a.required === 1,
          public: a.public === 1, order: Number(a.position), description: text(a, 'description'), datatype_description: text(a, 'datatype_description'),
          ...(list.length ? { values: list.map((v) => ({ key: String(v.key), name: text(v, 'name') })) } : {}),
        };
      }),
    })),
  };
}
