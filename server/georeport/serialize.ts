import type { Attribute, Service } from '../catalogue/catalogue.types.ts';
import type { PublicRequest } from '../requests/requests.types.ts';
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

/** A request in the core GeoReport shape: public fields only, in the spec's order. */
export function requestOut(r: PublicRequest) {
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
    media_url: r.mediaUrl,
  };
}
