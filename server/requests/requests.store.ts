import type { Db } from '../db/database.ts';
import type { NewRequest, PublicRequest, RequestQuery, Status } from './requests.types.ts';

interface PublicRowDb {
  id: number;
  status: Status;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_at: number;
  updated_at: number;
  expected_at: number | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

const PUBLIC_SELECT = `
  SELECT r.id, r.status, r.status_notes, s.name AS service_name, s.code AS service_code, r.description,
    r.agency_responsible, r.service_notice, r.requested_at, r.updated_at, r.expected_at, r.address,
    r.address_id, r.zipcode, r.lat, r.long,
    (SELECT m.url FROM media m WHERE m.request_id = r.id AND m.hidden = 0 ORDER BY m.position LIMIT 1) AS media_url
  FROM requests r JOIN services s ON s.id = r.service_id`;
const IS_PUBLIC = `r.visibility = 'published' AND r.queued = 0`;

function toPublic(r: PublicRowDb): PublicRequest {
  return {
    id: r.id,
    status: r.status,
    statusNotes: r.status_notes,
    serviceName: r.service_name,
    serviceCode: r.service_code,
    description: r.description,
    agencyResponsible: r.agency_responsible,
    serviceNotice: r.service_notice,
    requestedAt: r.requested_at,
    updatedAt: r.updated_at,
    expectedAt: r.expected_at,
    address: r.address,
    addressId: r.address_id,
    zipcode: r.zipcode,
    lat: r.lat,
    long: r.long,
    mediaUrl: r.media_url,
  };
}

export type RequestsStore = ReturnType<typeof createRequestsStore>;

/** Service requests: creation (with reporter, attributes, media and history in one transaction) and public reads. */
export function createRequestsStore(db: Db) {
  const insertRequest = db.prepare<unknown[], { id: number }>(
    `INSERT INTO requests (jurisdiction_id, service_id, description, lat, long, address, address_id,
       agency_responsible, service_notice, requested_at, updated_at, visibility, queued, token, channel, api_client_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const insertReporter = db.prepare(
    `INSERT INTO reporters (request_id, kind, email, first_name, last_name, phone, device_id, account_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAttribute = db.prepare('INSERT INTO request_attributes (request_id, code, position, value) VALUES (?, ?, ?, ?)');
  const insertMediaUrl = db.prepare('INSERT INTO media (request_id, position, url, created_at) VALUES (?, ?, ?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byIds = db.prepare<[string, string], PublicRowDb>(
    `${PUBLIC_SELECT} WHERE r.jurisdiction_id = ? AND r.id IN (SELECT value FROM json_each(?)) AND ${IS_PUBLIC}
     ORDER BY r.requested_at DESC, r.id DESC`,
  );
  const byFilter = db.prepare<[Record<string, string | number | null>], PublicRowDb>(
    `${PUBLIC_SELECT}
     WHERE r.jurisdiction_id = @jurisdiction AND ${IS_PUBLIC} AND r.requested_at BETWEEN @from AND @to
       AND (@codes IS NULL OR s.code IN (SELECT value FROM json_each(@codes)))
       AND (@statuses IS NULL OR r.status IN (SELECT value FROM json_each(@statuses)))
     ORDER BY r.requested_at DESC, r.id DESC LIMIT @limit`,
  );
  const byToken = db.prepare<[string, string], { id: number; queued: number }>(
    'SELECT id, queued FROM requests WHERE jurisdiction_id = ? AND token = ?',
  );
  const queued = db.prepare<[], { id: number }>('SELECT id FROM requests WHERE queued = 1 ORDER BY id');
  const accept = db.prepare('UPDATE requests SET queued = 0 WHERE id = ?');

  return {
    /** Stores a new request and everything that came with it, atomically. Returns its internal id. */
    create: db.transaction((input: NewRequest): number => {
      const { reporter: p, now } = input;
      const id = insertRequest.get(
        input.jurisdictionId, input.serviceId, input.description, input.lat, input.long, input.address,
        input.addressId, input.agencyResponsible, input.serviceNotice, now, now, input.visibility,
        input.token ? 1 : 0, input.token, input.channel, input.apiClientId,
      )!.id;
      const identified = p.email ?? p.firstName ?? p.lastName ?? p.phone;
      insertReporter.run(id, identified ? 'person' : 'anonymous', p.email, p.firstName, p.lastName, p.phone, p.deviceId, p.accountId);
      for (const a of input.attributes) a.values.forEach((v, i) => insertAttribute.run(id, a.code, i, v));
      input.mediaUrls.forEach((url, i) => insertMediaUrl.run(id, i, url, now));
      insertEvent.run(id, 'created', 'received', 1, input.apiClientId ? `api:${input.apiClientId}` : 'anonymous', now);
      return id;
    }),

    /** Public requests among `ids` (others are silently absent), newest first. */
    byIds(jurisdictionId: string, ids: number[]): PublicRequest[] {
      return byIds.all(jurisdictionId, JSON.stringify(ids)).map(toPublic);
    },

    /** Public requests matching the query, newest first. */
    search(q: RequestQuery): PublicRequest[] {
      return byFilter
        .all({
          jurisdiction: q.jurisdictionId,
          from: q.from,
          to: q.to,
          codes: q.serviceCodes && JSON.stringify(q.serviceCodes),
          statuses: q.statuses && JSON.stringify(q.statuses),
          limit: q.limit,
        })
        .map(toPublic);
    },

    /** The request behind a batch token: its id once accepted, null while still queued. Undefined: unknown token. */
    byToken(jurisdictionId: string, token: string): { id: number | null } | undefined {
      const row = byToken.get(jurisdictionId, token);
      return row && { id: row.queued ? null : row.id };
    },

    /** Gives every queued batch request its id (makes it public); returns the ids accepted. */
    acceptQueued: db.transaction((now: number): number[] => {
      const ids = queued.all().map((r) => r.id);
      for (const id of ids) {
        accept.run(id);
        insertEvent.run(id, 'accepted', null, 0, 'system', now);
      }
      return ids;
    }),
  };
}
