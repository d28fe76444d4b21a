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
  /** Set when the reporter speaks for an organisation (an extension field, `organisation`). */
  organisation: string | null;
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
  zipcode: string | null;
  agencyResponsible: string | null;
  serviceNotice: string | null;
  title: string | null;
  serviceObjectId: string | null;
  serviceObjectType: string | null;
  /** When the city expects to have dealt with it (from the service's SLA), Unix seconds. */
  expectedAt: number | null;
  channel: Channel;
  apiClientId: number | null;
  attributes: { code: string; values: string[] }[];
  /** Photos stored by us (path) come first, then URLs given by the client. */
  media: NewMedia[];
  reporter: Reporter;
  /** The reporter's language (their e-mails are written in it); null: the jurisdiction's. */
  locale: string | null;
  /** The reporter gave an e-mail and asked to hear when the request moves. */
  emailUpdates: boolean;
  /**
   * Double submissions: a request of the same service from the same device, at almost the same
   * place, filed since this time (Unix seconds) is answered instead of a new one. Null: no check.
   */
  twinSince: number | null;
  /** The department, and the bus app, routing gave it (null: none). */
  assignedDepartment: number | null;
  busAppId: number | null;
  /** Placed outside the jurisdiction and referred: closed at once as `referred`, with this public note. */
  referral: string | null;
  /** The hash of the tracking token handed to the filer (see the tracking store); none for staff intakes and seeds. */
  trackingHash?: string | null;
  /** Who files it, for its history (`staff:3` for an agent's intake); by default the API client, else `anonymous`. */
  actor?: string;
  /** Unix seconds. */
  now: number;
}

export type NewMedia =
  /** A photo URL a client gave; `hidden`: kept for staff, never shown to the public (another host's). */
  | { url: string; hidden: boolean }
  | { path: string; mime: string; bytes: number; width: number; height: number; sha256: string; gpsFromExif: boolean };

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
  /** The first photo: an absolute URL a client gave, or the path of a photo we store. */
  mediaUrl: string | null;
  title: string | null;
  detailedStatus: DetailedStatus;
  serviceObjectId: string | null;
  serviceObjectType: string | null;
  duplicateOf: number | null;
  /** Residents who joined it ("me too"). */
  followers: number;
  /** Metres from the point of a radius query. */
  distance?: number;
}

export const DETAILED_STATUSES = ['received', 'in_progress', 'planned', 'fixed', 'not_fixed', 'duplicate', 'referred', 'rejected'] as const;
export type DetailedStatus = (typeof DETAILED_STATUSES)[number];
const OPEN_STATUSES: readonly DetailedStatus[] = ['received', 'in_progress', 'planned'];
/** The core status a detailed status stands for. */
export const coreStatus = (s: DetailedStatus): Status => (OPEN_STATUSES.includes(s) ? 'open' : 'closed');

/** One entry of a request's public timeline. */
export interface PublicEvent {
  id: number;
  requestId: number;
  type: string;
  detailedStatus: DetailedStatus | null;
  note: string | null;
  at: number;
}


const NO_REPORTER: Reporter = { email: null, firstName: null, lastName: null, phone: null, deviceId: null, accountId: null, organisation: null };

/**
 * A published, anonymous, realtime request with nothing but what is given: for seeding and for tests.
 * @example draftRequest({ jurisdictionId: 'ville.example', serviceId: 1, now, lat: 47.4, long: 0.7 })
 */
export function draftRequest(fields: Pick<NewRequest, 'jurisdictionId' | 'serviceId' | 'now'> & Partial<NewRequest>): NewRequest {
  return {
    token: null, visibility: 'published', title: null, description: null, lat: null, long: null, address: null,
    addressId: null, zipcode: null, agencyResponsible: null, serviceNotice: null, serviceObjectId: null, serviceObjectType: null,
    expectedAt: null, channel: 'api', apiClientId: null, attributes: [], media: [], reporter: NO_REPORTER, locale: null,
    emailUpdates: false, twinSince: null, assignedDepartment: null, busAppId: null, referral: null,
    ...fields,
  };
}
