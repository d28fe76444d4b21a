export type Status = 'open' | 'closed';
export type Channel = 'api' | 'web' | 'phone' | 'counter' | 'email' | 'mobile';

/** Contact details of whoever filed a request: personal data, stored apart and never public. */
export interface Reporter {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  deviceId: string | null;
  accountId: string | null;
}

export interface NewRequest {
  jurisdictionId: string;
  serviceId: number;
  /** Batch services: the request waits, known by its token, until it is given its id. */
  token: string | null;
  visibility: 'pending' | 'published';
  description: string | null;
  lat: number | null;
  long: number | null;
  address: string | null;
  addressId: string | null;
  agencyResponsible: string | null;
  serviceNotice: string | null;
  channel: Channel;
  apiClientId: number | null;
  attributes: { code: string; values: string[] }[];
  mediaUrls: string[];
  reporter: Reporter;
  /** Unix seconds. */
  now: number;
}

/** A request as the public may see it: no personal data. */
export interface PublicRequest {
  id: number;
  status: Status;
  statusNotes: string | null;
  serviceName: string;
  serviceCode: string;
  description: string | null;
  agencyResponsible: string | null;
  serviceNotice: string | null;
  requestedAt: number;
  updatedAt: number;
  expectedAt: number | null;
  address: string | null;
  addressId: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
}

export interface RequestQuery {
  jurisdictionId: string;
  /** Unix seconds, inclusive. */
  from: number;
  to: number;
  serviceCodes: string[] | null;
  statuses: Status[] | null;
  limit: number;
}
