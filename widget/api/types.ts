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
}

export interface ErrorItem {
  code: number;
  description: string;
}
