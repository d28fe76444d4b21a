import type { Queryable } from '../db/engine.ts';
import { parseI18n } from './localize.ts';
import type { AttributeInput, CatalogueInput, Localized, ServiceInput } from './catalogue.import.ts';

/** Text in the default language, with its translations when it has some (`{"fr": …, "en": …}`). */
function localized(main: string, i18n: string, field: string, locale: string): Localized {
  const others = Object.entries(parseI18n(i18n)).flatMap(([lang, fields]) => (fields[field] ? [[lang, fields[field]]] : []));
  return others.length === 0 ? main : { [locale]: main, ...Object.fromEntries(others) };
}

type Row = Record<string, string | number | null>;

/** Every attribute, and every value, of the jurisdiction's services: one statement each, whatever their number. */
const ATTRIBUTES = `SELECT a.* FROM service_attributes a JOIN services s ON s.id = a.service_id
  WHERE s.jurisdiction_id = ? ORDER BY a.service_id, a.position`;
const VALUES = `SELECT v.attribute_id, v.key, v.name, v.i18n FROM attribute_values v JOIN service_attributes a ON a.id = v.attribute_id
  JOIN services s ON s.id = a.service_id WHERE s.jurisdiction_id = ? ORDER BY v.attribute_id, v.position, v.key`;

/** Rows by the (integer) value of `column`, each list in the rows' order. */
function groupBy(rows: Row[], column: string): Map<number, Row[]> {
  const out = new Map<number, Row[]>();
  for (const row of rows) {
    const key = Number(row[column]);
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/**
 * A jurisdiction's whole catalogue in the shape `georeport catalogue import` and the back office read
 * (demo/city/catalogue.json): groups, services (retired ones too, `active: false`) and their attributes, in
 * order, with every translation. Importing it again changes nothing.
 */
export async function exportCatalogue(db: Queryable, jurisdictionId: string): Promise<CatalogueInput | undefined> {
  const j = await db.one<Row>('SELECT id, name, default_locale, contact FROM jurisdictions WHERE id = ?', [jurisdictionId]);
  if (!j) return undefined;
  const locale = String(j.default_locale);
  const text = (r: Row, column: string, field = column) => localized(String(r[column] ?? ''), String(r.i18n ?? '{}'), field, locale);
  const groups = await db.query<Row>('SELECT id, code, name, i18n FROM service_groups WHERE jurisdiction_id = ? ORDER BY position, code', [jurisdictionId]);
  const groupCode = new Map(groups.map((g) => [Number(g.id), String(g.code)]));
  const services = await db.query<Row>('SELECT * FROM services WHERE jurisdiction_id = ? ORDER BY position, code', [jurisdictionId]);
  const attributes = groupBy(await db.query<Row>(ATTRIBUTES, [jurisdictionId]), 'service_id');
  const values = groupBy(await db.query<Row>(VALUES, [jurisdictionId]), 'attribute_id');
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
      attributes: (attributes.get(Number(s.id)) ?? []).map((a): AttributeInput => {
        const list = values.get(Number(a.id)) ?? [];
        return {
          code: String(a.code), datatype: a.datatype as AttributeInput['datatype'], variable: a.variable === 1, required: a.required === 1,
          public: a.public === 1, order: Number(a.position), description: text(a, 'description'), datatype_description: text(a, 'datatype_description'),
          ...(list.length ? { values: list.map((v) => ({ key: String(v.key), name: text(v, 'name') })) } : {}),
        };
      }),
    })),
  };
}
