import { parseI18n } from '../catalogue/localize.ts';
import type { DetailedStatus, PublicRequest, Status } from './requests.types.ts';

/**
 * The columns of a public request over `requests r JOIN services s`, in the order `toPublic` reads them.
 * Statements read them with `values` (arrays): a page of 50 costs half as much as with an object a row.
 */
export const PUBLIC_COLUMNS = `r.id, r.status, r.detailed_status, r.status_notes, s.name, s.i18n, s.code, r.title, r.description,
  r.agency_responsible, r.service_notice, r.requested_at, r.updated_at, r.expected_at, r.address, r.address_id, r.zipcode,
  r.lat, r.long,
  (SELECT coalesce(m.url, m.path) FROM media m WHERE m.request_id = r.id AND m.hidden = 0 ORDER BY m.position LIMIT 1),
  r.service_object_id, r.service_object_type, r.duplicate_of, r.followers`;

type Text = string | null;
export type PublicRow = [
  id: number, status: Status, detailedStatus: DetailedStatus, statusNotes: Text, serviceName: string, serviceI18n: string,
  serviceCode: string, title: Text, description: Text, agencyResponsible: Text, serviceNotice: Text, requestedAt: number,
  updatedAt: number, expectedAt: number | null, address: Text, addressId: Text, zipcode: Text, lat: number | null,
  long: number | null, mediaUrl: Text, serviceObjectId: Text, serviceObjectType: Text, duplicateOf: number | null,
  followers: number,
];

/** Service names in a locale; the few services' translations are parsed once, not once a row. */
export function createServiceNames() {
  const parsed = new Map<string, Record<string, Record<string, string>>>();
  return (name: string, i18n: string, locale: string | null): string => {
    if (!locale || i18n === '{}') return name;
    let translations = parsed.get(i18n);
    if (!translations) {
      if (parsed.size > 1000) parsed.clear();
      parsed.set(i18n, (translations = parseI18n(i18n)));
    }
    return translations[locale]?.name || name;
  };
}

/** A public row as the rest of the server sees it. */
export function toPublic(row: PublicRow, serviceName: string): PublicRequest {
  const [id, status, detailedStatus, statusNotes, , , serviceCode, title, description, agencyResponsible, serviceNotice,
    requestedAt, updatedAt, expectedAt, address, addressId, zipcode, lat, long, mediaUrl, serviceObjectId, serviceObjectType,
    duplicateOf, followers] = row;
  return {
    id, status, detailedStatus, statusNotes, serviceName, serviceCode, title, description, agencyResponsible, serviceNotice,
    requestedAt, updatedAt, expectedAt, address, addressId, zipcode, lat, long, mediaUrl, serviceObjectId, serviceObjectType,
    duplicateOf, followers,
  };
}
