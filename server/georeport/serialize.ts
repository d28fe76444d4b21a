import type { Attribute, Service } from '../catalogue/catalogue.types.ts';
import type { PublicEvent, PublicRequest } from '../requests/requests.types.ts';
import { formatDatetime } from './datetime.ts';

/** A service as `services.{fmt}` lists it. */
export function serviceOut(s: Service) {
  return {
    service_code: s.code,
    service_name: s.name,
    description: s.description,
    metadata: s.metadata,
    type: s.type,
    keywords: s.keywords,
    group: s.group ?? '',
  };
}

/** An attribute of a service definition; `values` only for list datatypes. */
export function attributeOut(a: Attribute) {
  return {
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatypeDescription,
    order: a.order,
    description: a.description,
    ...(a.values.length > 0 ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
  };
}

const when = (seconds: number | null) => (seconds === null ? null : formatDatetime(seconds));

/** A media reference as clients see it: URLs given by clients as they are, our stored photos under `mediaBase`. */
export const mediaUrl = (media: string, mediaBase: string) => (/^https?:\/\//i.test(media) ? media : mediaBase + media);

/** A request in the core GeoReport shape: public fields only, in the spec's order (plus `distance` for radius queries). */
export function requestOut(r: PublicRequest, mediaBase: string) {
  return {
    service_request_id: String(r.id),
    status: r.status,
    status_notes: r.statusNotes,
    service_name: r.serviceName,
    service_code: r.serviceCode,
    description: r.description,
    agency_responsible: r.agencyResponsible,
    service_notice: r.serviceNotice,
    requested_datetime: formatDatetime(r.requestedAt),
    updated_datetime: formatDatetime(r.updatedAt),
    expected_datetime: when(r.expectedAt),
    address: r.address,
    address_id: r.addressId,
    zipcode: r.zipcode,
    lat: r.lat,
    long: r.long,
    media_url: r.mediaUrl === null ? null : mediaUrl(r.mediaUrl, mediaBase),
    ...(r.distance === undefined ? {} : { distance: r.distance }),
  };
}

/** The CitySDK `extended_attributes` of a request (only sent when a client asks with `extensions=true`). */
export function extendedAttributesOut(r: PublicRequest, extras: { media: string[]; history: PublicEvent[] }, mediaBase: string) {
  return {
    title: r.title,
    detailed_status: r.detailedStatus,
    media_urls: extras.media.map((m) => mediaUrl(m, mediaBase)),
    service_object_id: r.serviceObjectId,
    service_object_type: r.serviceObjectType,
    duplicate_of: r.duplicateOf === null ? null : String(r.duplicateOf),
    followers: r.followers,
    history: extras.history.map((e) => ({
      type: e.type,
      detailed_status: e.detailedStatus,
      note: e.note,
      datetime: formatDatetime(e.at),
    })),
  };
}
