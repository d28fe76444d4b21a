export const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Datatype = (typeof DATATYPES)[number];
export const SERVICE_TYPES = ['realtime', 'batch', 'blackbox'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface Jurisdiction {
  id: string;
  name: string;
  defaultLocale: string;
  contact: string;
}

/** When a request of `service` filed at `filedAt` (Unix seconds) is due: its SLA hours later, or never. */
export const dueAt = (service: { slaHours: number | null }, filedAt: number): number | null =>
  service.slaHours === null ? null : filedAt + service.slaHours * 3_600;

export interface Service {
  id: number;
  jurisdictionId: string;
  code: string;
  name: string;
  description: string;
  keywords: string;
  group: string | null;
  type: ServiceType;
  /** True when the service has at least one attribute (Open311 `metadata`). */
  metadata: boolean;
  moderation: 'auto' | 'hold';
  agencyResponsible: string | null;
  serviceNotice: string | null;
  /** Hours within which the city aims to deal with a request (sets `expected_datetime`). */
  slaHours: number | null;
  /** Open requests of this service within this many metres, filed within `duplicateDays`, are offered as duplicates. */
  duplicateRadius: number;
  duplicateDays: number;
}

/** Where a service does not say: 50 m and 30 days. */
export const DUPLICATE_DEFAULTS = { radius: 50, days: 30 } as const;

export interface AttributeValue {
  key: string;
  name: string;
}

export interface Attribute {
  code: string;
  datatype: Datatype;
  /** False: informational text shown to the resident, no input. */
  variable: boolean;
  required: boolean;
  datatypeDescription: string;
  description: string;
  order: number;
  values: AttributeValue[];
}

export function isListType(datatype: Datatype): boolean {
  return datatype === 'singlevaluelist' || datatype === 'multivaluelist';
}
