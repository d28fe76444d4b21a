/** Shapes of the GeoReport v2 JSON the widget reads. */
export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface Attribute {
  variable: boolean;
  code: string;
  datatype: Datatype;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

export interface ServiceDefinition {
  service_code: string;
  attributes: Attribute[];
}

/** What a successful POST answers: an id (realtime), a token (batch), or neither (blackbox). */
export interface Submitted {
  service_request_id?: string;
  token?: string;
  service_notice?: string | null;
  /** Asked for with `extensions=true`. */
  extended_attributes?: {
    /** `pending`: a moderator checks it before the public sees it. */
    visibility: 'pending' | 'published';
    expected_datetime: string | null;
    /** The filer's secret to follow it while the public may not see it (`requests/{id}/tracking`). */
    tracking_token?: string;
  };
}

/** A request as `requests/{id}/tracking.json` shows it to its filer, whatever its visibility. */
export interface TrackedRequest {
  service_request_id: string;
  visibility: 'pending' | 'published' | 'hidden';
  status: Status;
  detailed_status: DetailedStatus;
  /** The latest public note; for a rejected request, the reason. */
  status_notes: string | null;
  service_code: string;
  service_name: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
}

export type { ErrorItem } from '../../server/shared/refusals.ts';

/** What `widget-config.json` answers: the key may file here (`report`), and what the server offers. */
export interface WidgetConfig {
  jurisdiction_id: string;
  report: boolean;
  /** The server sends e-mail: updates by e-mail may be offered. */
  email_updates: boolean;
  max_photos: number;
  /** The administrator's words for a place outside the town, in the widget's language. */
  outside_message: string | null;
}

export type Status = 'open' | 'closed';
export type DetailedStatus = 'received' | 'in_progress' | 'planned' | 'fixed' | 'not_fixed' | 'duplicate' | 'referred' | 'rejected';

/** A public request as `requests.json?extensions=true` answers it. */
export interface PublicRequest {
  service_request_id: string;
  status: Status;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  address: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  /** Metres from the point asked about (duplicates). */
  distance?: number;
  extended_attributes?: {
    title: string | null;
    detailed_status: DetailedStatus;
    media_urls: string[];
    followers: number;
    duplicate_of: string | null;
    history: { type: string; detailed_status: DetailedStatus | null; note: string | null; datetime: string }[];
  };
}

/** One request on the map (`map.json` at street level). */
export interface MapMarker {
  service_request_id: string;
  lat: number;
  long: number;
  status: Status;
  detailed_status: DetailedStatus;
  service_code: string;
}

/** Requests counted together (`map.json` zoomed out). */
export interface MapCluster {
  lat: number;
  long: number;
  count: number;
  open: number;
}

export interface MapAnswer {
  total: number;
  total_estimated?: boolean;
  truncated?: boolean;
  markers?: MapMarker[];
  clusters?: MapCluster[];
}

/** The filters the map and its list share. */
export interface RequestFilters {
  status: '' | Status;
  /** A service code, or '' for all. */
  service: string;
  /** Days back from now, or 0 for the server's default (90). */
  days: number;
}
