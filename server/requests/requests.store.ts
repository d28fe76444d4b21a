import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { createGroupCommit } from '../db/group-commit.ts';
import { createCountEstimator, EXACT_COUNT_LIMIT, type MatchCount } from './count.ts';
import { createServiceNames, PUBLIC_COLUMNS, toPublic, type PublicRow } from './public-row.ts';
import { createReporterFollowSync } from './followers.store.ts';
import { conditionsOf, distanceMetres, keysQuery, radiusParams, WITHIN_RADIUS, type RequestQuery } from './requests.query.ts';
import type {
  DetailedStatus,
  NewRequest,
  PublicEvent,
  PublicRequest,
} from './requests.types.ts';

const PUBLIC_SELECT = `SELECT ${PUBLIC_COLUMNS} FROM requests r JOIN services s ON s.id = r.service_id`;
/**
 * Public, for lookups by id. The `+` keep these terms away from the query planner's index choice: the id
 * decides, and with them as plain terms a one-row lookup took 5 times longer (22 µs against 4 µs, and
 * 9 ms when SQLite walked a by-date index instead; measured over 100,000 requests).
 */
const IS_PUBLIC = `+r.visibility = 'published' AND +r.queued = 0`;
const NEWEST_FIRST = 'ORDER BY r.requested_at DESC, r.id DESC';
const STATEMENTS_KEPT = 256;
/** Two filings of one service this close together (metres), from one device, are one request. */
export const TWIN_RADIUS = 30;

export type RequestsStore = ReturnType<typeof createRequestsStore>;

/** The request a filing was answered with: new, or the device's twin of it (see `file`). */
export interface Filed {
  id: number;
  token: string | null;
  twin: boolean;
  visibility: NewRequest['visibility'];
  expectedAt: number | null;
}

/** How often the photos' total is read again from the store. */
const MEASURE_MEDIA_EVERY_MS = 60_000;

/** Service requests: creation (with reporter, attributes, media and history in one transaction) and public reads. */
export function createRequestsStore(db: Db) {
  /** The photos' total as last read (see `storedMediaBytes`). */
  let stored: { bytes: number; measuredAt: number } | undefined;
  const estimate = createCountEstimator(db);
  const serviceNames = createServiceNames();
  const publicOf = (row: PublicRow, locale: string | null) => toPublic(row, serviceNames(row[4], row[5], locale));
  const insertRequest = db.prepare<unknown[], { id: number }>(
    `INSERT INTO requests (jurisdiction_id, service_id, title, description, lat, long, address, address_id, zipcode, agency_responsible,
       service_notice, requested_at, updated_at, expected_at, visibility, queued, token, channel, api_client_id,
       service_object_id, service_object_type, assigned_department, bus_app_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const insertReporter = db.prepare(
    `INSERT INTO reporters (request_id, kind, email, first_name, last_name, phone, device_id, account_id, organisation, locale)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const followReporter = createReporterFollowSync(db);
  // The device's latest request of this service since @since, at the same place (or, without
  // coordinates, the same address).
  const twinOf = db.prepare<Record<string, unknown>, { id: number; token: string | null; visibility: NewRequest['visibility']; expected_at: number | null }>(
    `SELECT r.id, r.token, r.visibility, r.expected_at FROM reporters p JOIN requests r ON r.id = p.request_id
     WHERE p.device_id = @device
       AND r.jurisdiction_id = @jurisdiction AND r.service_id = @service AND r.requested_at >= @since
       AND CASE WHEN @nearLat IS NULL THEN r.lat IS NULL AND r.address IS @address
           ELSE r.lat IS NOT NULL AND ${WITHIN_RADIUS} END
     ORDER BY r.id DESC LIMIT 1`,
  );
  const insertAttribute = db.prepare(
    'INSERT INTO request_attributes (request_id, code, position, value) VALUES (?, ?, ?, ?)',
  );
  const insertMedia = db.prepare(
    `INSERT INTO media (request_id, position, url, path, mime, bytes, width, height, sha256, gps_from_exif, hidden, created_at)
     VALUES (@requestId, @position, @url, @path, @mime, @bytes, @width, @height, @sha256, @gps, @hidden, @now)`,
  );
  const insertTracker = db.prepare('INSERT INTO request_trackers (token_hash, request_id) VALUES (?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const refer = db.prepare("UPDATE requests SET status = 'closed', detailed_status = 'referred', status_notes = ? WHERE id = ?");
  const referEvent = db.prepare("INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, 'status', 'referred', ?, 1, 'system', ?)");
  const byIds = db.prepare<[string, string], PublicRow>(
    `${PUBLIC_SELECT} WHERE +r.jurisdiction_id = ? AND r.id IN (SELECT value FROM json_each(?)) AND ${IS_PUBLIC} ${NEWEST_FIRST}`,
  ).raw();
  const jurisdictionOf = db.prepare<[number], string>(`SELECT r.jurisdiction_id FROM requests r WHERE r.id = ? AND ${IS_PUBLIC}`).pluck();
  const byId = db.prepare<[number, string], PublicRow>(
    `${PUBLIC_SELECT} WHERE r.id = ? AND +r.jurisdiction_id = ? AND ${IS_PUBLIC}`,
  ).raw();
  const mediaOf = db.prepare<[string], { request_id: number; media: string }>(
    `SELECT request_id, coalesce(url, path) AS media FROM media
     WHERE request_id IN (SELECT value FROM json_each(?)) AND hidden = 0 ORDER BY request_id, position`,
  );
  const historyOf = db.prepare<
    [string],
    {
      id: number;
      request_id: number;
      type: string;
      detailed_status: DetailedStatus | null;
      note: string | null;
      created_at: number;
    }
  >(
    `SELECT id, request_id, type, detailed_status, note, created_at FROM request_events
     WHERE request_id IN (SELECT value FROM json_each(?)) AND public = 1 ORDER BY request_id, id`,
  );
  const byToken = db.prepare<[string, string], { id: number; queued: number }>(
    'SELECT id, queued FROM requests WHERE jurisdiction_id = ? AND token = ?',
  );
  const queued = db.prepare<[], { id: number }>(
    'SELECT id FROM requests WHERE queued = 1 ORDER BY id',
  );
  const accept = db.prepare('UPDATE requests SET queued = 0 WHERE id = ?');

  /**
   * Statements for the query shapes met lately (one per combination of filters and, for map queries, of
   * plan and number of cells), the least recently used dropped past STATEMENTS_KEPT.
   */
  const prepared = new Map<string, Statement>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (s) prepared.delete(sql);
    else s = db.prepare(sql);
    prepared.set(sql, s);
    if (prepared.size > STATEMENTS_KEPT) prepared.delete(prepared.keys().next().value!);
    return s;
  };

  /** Stores a new request and everything that came with it, atomically. Returns its internal id. */
  const create = db.transaction((input: NewRequest): number => {
    const { reporter: p, now } = input;
    const id = insertRequest.get(
      input.jurisdictionId,
      input.serviceId,
      input.title,
      input.description,
      input.lat,
      input.long,
      input.address,
      input.addressId,
      input.zipcode,
      input.agencyResponsible,
      input.serviceNotice,
      now,
      now,
      input.expectedAt,
      input.visibility,
      input.token ? 1 : 0,
      input.token,
      input.channel,
      input.apiClientId,
      input.serviceObjectId,
      input.serviceObjectType,
      input.assignedDepartment,
      input.busAppId,
    )!.id;
    const identified = p.email ?? p.firstName ?? p.lastName ?? p.phone;
    const kind = p.organisation ? 'organisation' : identified ? 'person' : 'anonymous';
    insertReporter.run(id, kind, p.email, p.firstName, p.lastName, p.phone, p.deviceId, p.accountId, p.organisation, input.locale);
    if (input.emailUpdates && p.email !== null) {
      followReporter({ requestId: id, kind: 'reporter', email: p.email, notify: true, locale: input.locale ?? 'fr', deviceId: null, now });
    }
    for (const a of input.attributes)
      a.values.forEach((v, i) => insertAttribute.run(id, a.code, i, v));
    input.media.forEach((m, position) => {
      const file = 'path' in m ? m : undefined;
      if (stored && file) stored.bytes += file.bytes;
      insertMedia.run({
        requestId: id,
        position,
        now,
        url: 'url' in m ? m.url : null,
        path: file?.path ?? null,
        mime: file?.mime ?? null,
        bytes: file?.bytes ?? null,
        width: file?.width ?? null,
        height: file?.height ?? null,
        sha256: file?.sha256 ?? null,
        gps: file?.gpsFromExif ? 1 : 0,
        hidden: 'url' in m && m.hidden ? 1 : 0,
      });
    });
    insertEvent.run(
      id,
      'created',
      'received',
      1,
      input.actor ?? (input.apiClientId ? `api:${input.apiClientId}` : 'anonymous'),
      now,
    );
    if (input.referral !== null) {
      refer.run(input.referral, id);
      referEvent.run(id, input.referral, now);
    }
    return id;
  });

  /**
   * `create`, unless the same device filed the same request moments ago (`twinSince`): then that one. Only
   * the device id counts, a random secret of the resident's browser: an e-mail or a name anyone can type,
   * and answering with the request filed under it would tell a stranger that its owner filed, and where.
   * The filer's tracking token (`trackingHash`) is recorded for whichever request is answered.
   */
  const file = db.transaction((input: NewRequest): Filed => {
    const { deviceId } = input.reporter;
    let filed: Filed | undefined;
    if (input.twinSince !== null && deviceId !== null) {
      const near = input.lat === null || input.long === null ? { nearLat: null, nearLong: null, nearCos: null, nearMaxA: null }
        : radiusParams({ lat: input.lat, long: input.long, radius: TWIN_RADIUS });
      const twin = twinOf.get({
        device: deviceId, jurisdiction: input.jurisdictionId, service: input.serviceId, since: input.twinSince,
        address: input.address, ...near,
      });
      if (twin) filed = { id: twin.id, token: twin.token, twin: true, visibility: twin.visibility, expectedAt: twin.expected_at };
    }
    filed ??= { id: create(input), token: input.token, twin: false, visibility: input.visibility, expectedAt: input.expectedAt };
    if (input.trackingHash) insertTracker.run(input.trackingHash, filed.id);
    return filed;
  });

  const mediaBytes = db.prepare<[], { bytes: number }>('SELECT coalesce(sum(bytes), 0) AS bytes FROM media WHERE path IS NOT NULL');

  return {
    create,
    /**
     * Bytes of the photos stored for requests (their rows; a photo sent twice counts twice). The photo cap
     * guards the disk, not an exact quota: the sum over every photo is read at most once a minute, and
     * what this process stores meanwhile is added to it (a rolled-back filing or a purge elsewhere is
     * counted right at the next reading).
     */
    storedMediaBytes() {
      const now = Date.now();
      if (!stored || now - stored.measuredAt >= MEASURE_MEDIA_EVERY_MS) stored = { bytes: mediaBytes.get()!.bytes, measuredAt: now };
      return stored.bytes;
    },
    /**
     * `file`, sharing its commit with the requests filed meanwhile; resolves once committed. Filings
     * of one batch run one after another, so a double tap finds its twin even in the same batch.
     */
    fileSoon: createGroupCommit(db, file),

    /** Public requests among `ids` (others are silently absent), newest first. */
    byIds(jurisdictionId: string, ids: number[], locale: string | null = null): PublicRequest[] {
      return byIds.all(jurisdictionId, JSON.stringify(ids)).map((r) => publicOf(r, locale));
    },

    /** One public request, or undefined. */
    byId(
      jurisdictionId: string,
      id: number,
      locale: string | null = null,
    ): PublicRequest | undefined {
      const row = byId.get(id, jurisdictionId);
      return row && publicOf(row, locale);
    },

    /** The jurisdiction of a public request (ids are unique across jurisdictions); undefined for any other id. */
    publicJurisdiction(id: number): string | undefined {
      return jurisdictionOf.get(id);
    },

    /** Public requests matching the query, newest first; with a radius, each carries its distance. */
    search(q: RequestQuery, locale: string | null = null): PublicRequest[] {
      const keys = keysQuery(q);
      // LIMIT +@n: a bare bound LIMIT makes SQLite plan the statement again at every run (≈ 7 µs).
      const rows = statement(
        `SELECT ${PUBLIC_COLUMNS} FROM (${keys.sql} LIMIT +@limit OFFSET +@offset) k
         CROSS JOIN requests r ON r.id = k.id JOIN services s ON s.id = r.service_id ORDER BY k.requested_at DESC, k.id DESC`,
      ).raw().all({ ...keys.params, limit: q.limit, offset: q.offset }) as PublicRow[];
      return rows.map((r) => {
        const item = publicOf(r, locale);
        if (q.near && item.lat !== null && item.long !== null)
          item.distance = Math.round(distanceMetres(q.near.lat, q.near.long, item.lat, item.long));
        return item;
      });
    },

    /** The public requests matching the query that changed last (`updated_datetime`), newest change first. */
    recentlyUpdated(q: RequestQuery, locale: string | null = null): PublicRequest[] {
      const { conditions, params } = conditionsOf(q);
      return (statement(
        `SELECT ${PUBLIC_COLUMNS} FROM requests r JOIN services s ON s.id = r.service_id WHERE ${conditions.join(' AND ')}
         ORDER BY r.updated_at DESC, r.id DESC LIMIT +@limit`,
      ).raw().all({ ...params, limit: q.limit }) as PublicRow[]).map((r) => publicOf(r, locale));
    },

    /**
     * How many public requests match the query (paging ignored): exact up to EXACT_COUNT_LIMIT, estimated
     * beyond from the newest matches (see createCountEstimator). `now`: Unix seconds.
     */
    count(q: RequestQuery, now: number): MatchCount {
      const keys = keysQuery(q);
      const { n, oldest } = statement(
        `SELECT count(*) AS n, min(requested_at) AS oldest FROM (${keys.sql} LIMIT +@cap)`,
      ).get({ ...keys.params, cap: EXACT_COUNT_LIMIT + 1 }) as { n: number; oldest: number | null };
      if (n <= EXACT_COUNT_LIMIT || oldest === null) return { value: n, exact: true };
      return { value: estimate(q.jurisdictionId, { from: q.from, end: Math.min(q.to, now) }, oldest, n), exact: false };
    },

    /** The visible media (URLs or stored paths, in order) and public timeline of each request. */
    extras(ids: number[]): Map<number, { media: string[]; history: PublicEvent[] }> {
      const out = new Map(
        ids.map((id) => [id, { media: [] as string[], history: [] as PublicEvent[] }]),
      );
      const list = JSON.stringify(ids);
      for (const m of mediaOf.all(list)) out.get(m.request_id)?.media.push(m.media);
      for (const e of historyOf.all(list)) {
        out
          .get(e.request_id)
          ?.history.push({
            id: e.id,
            requestId: e.request_id,
            type: e.type,
            detailedStatus: e.detailed_status,
            note: e.note,
            at: e.created_at,
          });
      }
      return out;
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
