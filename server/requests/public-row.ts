import { parseI18n } from '../catalogue/localize.ts';
import type { DetailedStatus, PublicRequest, Status } from './requests.types.ts';

/**
 * The columns of a public request over `requests r JOIN services s`, named as `toPublic` reads them
 * (rows come as objects on both engines: the asynchronous interface has no `.raw()` arrays).
 */
export const PUBLIC_COLUMNS = `r.id, r.status, r.detailed_status, r.status_notes, s.name AS service_name, s.i18n AS service_i18n,
  s.code AS service_code, r.title, r.description, r.agency_responsible, r.service_notice, r.requested_at, r.updated_at,
  r.expected_at, r.address, r.address_id, r.zipcode, r.lat, r.long,
  (SELECT coalesce(m.url, m.path) FROM media m WHERE m.request_id = r.id AND m.hidden = 0 ORDER BY m.position LIMIT 1) AS media_url,
  r.service_object_id, r.service_object_type, r.duplicate_of, r.followers`;

type Text = string | null;
export interface PublicRow {
  id: number; status: Status; detailed_status: DetailedStatus; status_notes: Text; service_name: string; service_i18n: string;
  service_code: string; title: Text; description: Text; agency_responsible: Text; service_notice: Text; requested_at: number;
  updated_at: number; expected_at: number | null; address: Text; address_id: Text; zipcode: Text; lat: number | null;
  long: number | null; media_url: Text; service_object_id: Text; service_object_type: Text; duplicate_of: number | null;
  followers: number;
}

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
export function toPublic(r: PublicRow, serviceName: string): PublicRequest {
  return {
    id: r.id, status: r.status, detailedStatus: r.detailed_status, statusNotes: r.status_notes, serviceName, serviceCode: r.service_code,
    title: r.title, description: r.description, agencyResponsible: r.agency_responsible, serviceNotice: r.service_notice,
    requestedAt: r.requested_at, updatedAt: r.updated_at, expectedAt: r.expected_at, address: r.address, addressId: r.address_id,
    zipcode: r.zipcode, lat: r.lat, long: r.long, mediaUrl: r.media_url, serviceObjectId: r.service_object_id,
    serviceObjectType: r.service_object_type, duplicateOf: r.duplicate_of, followers: r.followers,
  };
}
