import type { Params, Queryable } from '../db/engine.ts';
import { createGroupCommit } from '../db/group-commit.ts';
import { jsonIds } from '../db/json-lists.ts';
import { createCountEstimator, EXACT_COUNT_LIMIT, type MatchCount } from './count.ts';
import { createServiceNames, PUBLIC_COLUMNS, toPublic, type PublicRow } from './public-row.ts';
import { createFollowersStore } from './followers.store.ts';
import { conditionsOf, distanceMetres, keysQuery, limitOf, radiusParams, WITHIN_RADIUS, type Kind, type RequestQuery } from './requests.query.ts';
import type {
  DetailedStatus,
  NewRequest,
  PublicEvent,
  PublicRequest,
} from './requests.types.ts';

const PUBLIC_SELECT = `SELECT ${PUBLIC_COLUMNS} FROM requests r JOIN services s ON s.id = r.service_id`;
/**
 * Public, for lookups by id. On SQLite the `+` keep these terms away from the query planner's index
 * choice: the id decides, and with them as plain terms a one-row lookup took 5 times longer (22 µs
 * against 4 µs, and 9 ms when SQLite walked a by-date index instead; measured over 100,000 requests).
 * PostgreSQL has no such hint (and needs none: it picks the primary key).
 */
const isPublic = (kind: Kind) => (kind === 'sqlite' ? `+r.visibility = 'published' AND +r.queued = 0` : `r.visibility = 'published' AND r.queued = 0`);
/** The ids of a JSON array bound to `param`, as a subquery (`json_each` is SQLite's). */
const idsIn = (kind: Kind, param: string) => `(${jsonIds({ kind }, param)})`;
const NEWEST_FIRST = 'ORDER BY r.requested_at DESC, r.id DESC';
/** A transaction lock per device and service ('twin' as the namespace), held until the filing commits. */
const TWIN_LOCK = "SELECT pg_advisory_xact_lock(1953982830, hashtext(CAST(@device AS text) || ' ' || CAST(@service AS text)))";
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

/**
 * Service requests: creation (with reporter, attributes, media and history in one transaction) and public
 * reads. The rules SQLite's triggers keep on these tables (the R*Tree and FTS5 index, daily counts,
 * follower counts, cache versions, the bus outbox) are triggers on SQLite and, on PostgreSQL, generated
 * columns (`geom`, `search`: pg-migrations/002) and the plpgsql functions of pg-migrations/003–006
 * (`request_days_count` in 004); none is written by this store.
 */
export function createRequestsStore(db: Queryable) {
  const { kind } = db;
  /** The photos' total as last read (see `storedMediaBytes`). */
  let stored: { bytes: number; measuredAt: number } | undefined;
  const estimate = createCountEstimator(db);
  const serviceNames = createServiceNames();
  const publicOf = (row: PublicRow, locale: string | null) => toPublic(row, serviceNames(row[4], row[5], locale));
  // On SQLite, CROSS JOIN keeps the keys first in the join order; PostgreSQL spells it JOIN (its CROSS JOIN takes no ON).
  const keysThenRows = kind === 'sqlite' ? 'CROSS JOIN' : 'JOIN';
  const IS_PUBLIC = isPublic(kind);
  const byIdsSql = `${PUBLIC_SELECT} WHERE ${kind === 'sqlite' ? '+' : ''}r.jurisdiction_id = ? AND r.id IN ${idsIn(kind, '?')} AND ${IS_PUBLIC} ${NEWEST_FIRST}`;
  const byIdSql = `${PUBLIC_SELECT} WHERE r.id = ? AND ${kind === 'sqlite' ? '+' : ''}r.jurisdiction_id = ? AND ${IS_PUBLIC}`;
  const jurisdictionSql = `SELECT r.jurisdiction_id FROM requests r WHERE r.id = ? AND ${IS_PUBLIC}`;
  const mediaSql = `SELECT request_id, coalesce(url, path) AS media FROM media
     WHERE request_id IN ${idsIn(kind, '?')} AND hidden = 0 ORDER BY request_id, position`;
  const historySql = `SELECT id, request_id, type, detailed_status, note, created_at FROM request_events
     WHERE request_id IN ${idsIn(kind, '?')} AND public = 1 ORDER BY request_id, id`;

  /** Stores a new request and everything that came with it, on `tx`. Returns its internal id. */
  async function createIn(tx: Queryable, input: NewRequest): Promise<number> {
    const { reporter: p, now } = input;
    const { lastId: id } = await tx.run(
      `INSERT INTO requests (jurisdiction_id, service_id, title, description, lat, long, address, address_id, zipcode, agency_responsible,
         service_notice, requested_at, updated_at, expected_at, visibility, queued, token, channel, api_client_id,
         service_object_id, service_object_type, assigned_department, bus_app_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        input.jurisdictionId, input.serviceId, input.title, input.description, input.lat, input.long, input.address, input.addressId,
        input.zipcode, input.agencyResponsible, input.serviceNotice, now, now, input.expectedAt, input.visibility, input.token ? 1 : 0,
        input.token, input.channel, input.apiClientId, input.serviceObjectId, input.serviceObjectType, input.assignedDepartment,
        input.busAppId,
      ],
    );
    if (id === undefined) throw new Error('the new request has no id');
    // The rows hanging on the new id are sent without waiting for each answer: on PostgreSQL the driver
    // pipelines them on the transaction's connection, in this order, in one round trip (SQLite runs each
    // as it is called). A failure rejects the filing as before; the statements sent after it fail too
    // and are undone with it.
    const sent: Promise<unknown>[] = [];
    const send = (sql: string, params: Params) => void sent.push(tx.run(sql, params));
    const identified = p.email ?? p.firstName ?? p.lastName ?? p.phone;
    const who = p.organisation ? 'organisation' : identified ? 'person' : 'anonymous';
    send(
      `INSERT INTO reporters (request_id, kind, email, first_name, last_name, phone, device_id, account_id, organisation, locale)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, who, p.email, p.firstName, p.lastName, p.phone, p.deviceId, p.accountId, p.organisation, input.locale],
    );
    if (input.emailUpdates && p.email !== null) {
      // A savepoint of its own, after the reporter's row: what was sent is answered first.
      await Promise.all(sent.splice(0));
      await createFollowersStore(tx).follow({ requestId: id, kind: 'reporter', email: p.email, notify: true, locale: input.locale ?? 'fr', deviceId: null, now });
    }
    for (const a of input.attributes) {
      for (const [i, v] of a.values.entries()) send('INSERT INTO request_attributes (request_id, code, position, value) VALUES (?, ?, ?, ?)', [id, a.code, i, v]);
    }
    for (const [position, m] of input.media.entries()) {
      const file = 'path' in m ? m : undefined;
      send(
        `INSERT INTO media (request_id, position, url, path, mime, bytes, width, height, sha256, gps_from_exif, hidden, created_at)
         VALUES (@requestId, @position, @url, @path, @mime, @bytes, @width, @height, @sha256, @gps, @hidden, @now)`,
        {
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
        },
      );
    }
    send(
      'INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [id, 'created', 'received', 1, input.actor ?? (input.apiClientId ? `api:${input.apiClientId}` : 'anonymous'), now],
    );
    if (input.referral !== null) {
      send("UPDATE requests SET status = 'closed', detailed_status = 'referred', status_notes = ? WHERE id = ?", [input.referral, id]);
      send(
        "INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, 'status', 'referred', ?, 1, 'system', ?)",
        [id, input.referral, now],
      );
    }
    await Promise.all(sent);
    if (stored) for (const m of input.media) if ('path' in m) stored.bytes += m.bytes;
    return id;
  }

  /**
   * `createIn`, unless the same device filed the same request moments ago (`twinSince`): then that one. Only
   * the device id counts, a random secret of the resident's browser: an e-mail or a name anyone can type,
   * and answering with the request filed under it would tell a stranger that its owner filed, and where.
   * The filer's tracking token (`trackingHash`) is recorded for whichever request is answered.
   */
  async function file(tx: Queryable, input: NewRequest): Promise<Filed> {
    const { deviceId } = input.reporter;
    let filed: Filed | undefined;
    if (input.twinSince !== null && deviceId !== null) {
      const near = input.lat === null || input.long === null ? { nearLat: null, nearLong: null, nearCos: null, nearMaxA: null }
        : radiusParams({ lat: input.lat, long: input.long, radius: TWIN_RADIUS });
      // On PostgreSQL two filings of one device and service can run in two transactions at once (SQLite
      // writes one at a time): the second waits here for the first to commit, then finds it as its twin.
      if (tx.kind === 'postgres') await tx.one(TWIN_LOCK, { device: deviceId, service: input.serviceId });
      // The device's latest request of this service since @since, at the same place (or, without
      // coordinates, the same address).
      const twin = await tx.one<{ id: number; token: string | null; visibility: NewRequest['visibility']; expected_at: number | null }>(
        `SELECT r.id, r.token, r.visibility, r.expected_at FROM reporters p JOIN requests r ON r.id = p.request_id
         WHERE p.device_id = @device
           AND r.jurisdiction_id = @jurisdiction AND r.service_id = @service AND r.requested_at >= @since
           AND CASE WHEN CAST(@nearLat AS double precision) IS NULL THEN r.lat IS NULL AND r.address IS NOT DISTINCT FROM @address
               ELSE r.lat IS NOT NULL AND ${WITHIN_RADIUS} END
         ORDER BY r.id DESC LIMIT 1`,
        { device: deviceId, jurisdiction: input.jurisdictionId, service: input.serviceId, since: input.twinSince, address: input.address, ...near },
      );
      if (twin) filed = { id: twin.id, token: twin.token, twin: true, visibility: twin.visibility, expectedAt: twin.expected_at };
    }
    filed ??= { id: await createIn(tx, input), token: input.token, twin: false, visibility: input.visibility, expectedAt: input.expectedAt };
    if (input.trackingHash) await tx.run('INSERT INTO request_trackers (token_hash, request_id) VALUES (?, ?)', [input.trackingHash, filed.id]);
    return filed;
  }

  return {
    /** Stores a new request and everything that came with it, atomically. Returns its internal id. */
    create: (input: NewRequest): Promise<number> => db.transaction((tx) => createIn(tx, input)),
    /**
     * Bytes of the photos stored for requests (their rows; a photo sent twice counts twice). The photo cap
     * guards the disk, not an exact quota: the sum over every photo is read at most once a minute, and
     * what this process stores meanwhile is added to it (a rolled-back filing or a purge elsewhere is
     * counted right at the next reading).
     */
    async storedMediaBytes(): Promise<number> {
      const now = Date.now();
      if (!stored || now - stored.measuredAt >= MEASURE_MEDIA_EVERY_MS) {
        const row = await db.one<{ bytes: number }>('SELECT coalesce(sum(bytes), 0) AS bytes FROM media WHERE path IS NOT NULL');
        stored = { bytes: row!.bytes, measuredAt: now };
      }
      return stored.bytes;
    },
    /**
     * `file`, sharing its commit with the requests filed meanwhile; resolves once committed. Filings
     * of one batch run one after another, so a double tap finds its twin even in the same batch.
     */
    fileSoon: createGroupCommit(db, file),

    /** Public requests among `ids` (others are silently absent), newest first. */
    async byIds(jurisdictionId: string, ids: number[], locale: string | null = null): Promise<PublicRequest[]> {
      return (await db.values<PublicRow>(byIdsSql, [jurisdictionId, JSON.stringify(ids)])).map((r) => publicOf(r, locale));
    },

    /** One public request, or undefined. */
    async byId(jurisdictionId: string, id: number, locale: string | null = null): Promise<PublicRequest | undefined> {
      const [row] = await db.values<PublicRow>(byIdSql, [id, jurisdictionId]);
      return row && publicOf(row, locale);
    },

    /** The jurisdiction of a public request (ids are unique across jurisdictions); undefined for any other id. */
    async publicJurisdiction(id: number): Promise<string | undefined> {
      return (await db.one<{ jurisdiction_id: string }>(jurisdictionSql, [id]))?.jurisdiction_id;
    },

    /** Public requests matching the query, newest first; with a radius, each carries its distance. */
    async search(q: RequestQuery, locale: string | null = null): Promise<PublicRequest[]> {
      const keys = keysQuery(q, kind, q.limit + q.offset);
      const rows = await db.values<PublicRow>(
        `SELECT ${PUBLIC_COLUMNS} FROM (${keys.sql} ${limitOf(kind, 'limit', 'offset')}) k
         ${keysThenRows} requests r ON r.id = k.id JOIN services s ON s.id = r.service_id ORDER BY k.requested_at DESC, k.id DESC`,
        { ...keys.params, limit: q.limit, offset: q.offset },
      );
      return rows.map((r) => {
        const item = publicOf(r, locale);
        if (q.near && item.lat !== null && item.long !== null)
          item.distance = Math.round(distanceMetres(q.near.lat, q.near.long, item.lat, item.long));
        return item;
      });
    },

    /** The public requests matching the query that changed last (`updated_datetime`), newest change first. */
    async recentlyUpdated(q: RequestQuery, locale: string | null = null): Promise<PublicRequest[]> {
      const { conditions, params } = conditionsOf(q, kind);
      const rows = await db.values<PublicRow>(
        `SELECT ${PUBLIC_COLUMNS} FROM requests r JOIN services s ON s.id = r.service_id WHERE ${conditions.join(' AND ')}
         ORDER BY r.updated_at DESC, r.id DESC ${limitOf(kind, 'limit')}`,
        { ...params, limit: q.limit },
      );
      return rows.map((r) => publicOf(r, locale));
    },

    /**
     * How many public requests match the query (paging ignored): exact up to EXACT_COUNT_LIMIT, estimated
     * beyond from the newest matches (see createCountEstimator). `now`: Unix seconds.
     */
    async count(q: RequestQuery, now: number): Promise<MatchCount> {
      const keys = keysQuery(q, kind, EXACT_COUNT_LIMIT + 1);
      const { n, oldest } = (await db.one<{ n: number; oldest: number | null }>(
        `SELECT count(*) AS n, min(requested_at) AS oldest FROM (${keys.sql} ${limitOf(kind, 'cap')}) k`,
        { ...keys.params, cap: EXACT_COUNT_LIMIT + 1 },
      ))!;
      if (n <= EXACT_COUNT_LIMIT || oldest === null) return { value: n, exact: true };
      return { value: await estimate(q.jurisdictionId, { from: q.from, end: Math.min(q.to, now) }, oldest, n), exact: false };
    },

    /** The visible media (URLs or stored paths, in order) and public timeline of each request. */
    async extras(ids: number[]): Promise<Map<number, { media: string[]; history: PublicEvent[] }>> {
      const out = new Map(
        ids.map((id) => [id, { media: [] as string[], history: [] as PublicEvent[] }]),
      );
      const list = JSON.stringify(ids);
      for (const m of await db.query<{ request_id: number; media: string }>(mediaSql, [list])) out.get(m.request_id)?.media.push(m.media);
      type EventRow = { id: number; request_id: number; type: string; detailed_status: DetailedStatus | null; note: string | null; created_at: number };
      for (const e of await db.query<EventRow>(historySql, [list])) {
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
    async byToken(jurisdictionId: string, token: string): Promise<{ id: number | null } | undefined> {
      const row = await db.one<{ id: number; queued: number }>('SELECT id, queued FROM requests WHERE jurisdiction_id = ? AND token = ?', [jurisdictionId, token]);
      return row && { id: row.queued ? null : row.id };
    },

    /**
     * Gives every queued batch request its id (makes it public); returns the ids accepted. Two servers
     * running the batch step at once (PostgreSQL) each skip the requests the other is accepting.
     */
    acceptQueued: (now: number): Promise<number[]> =>
      db.transaction(async (tx) => {
        const ids = (await tx.query<{ id: number }>(`SELECT id FROM requests WHERE queued = 1 ORDER BY id${db.kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}`)).map((r) => r.id);
        for (const id of ids) {
          await tx.run('UPDATE requests SET queued = 0 WHERE id = ?', [id]);
          await tx.run('INSERT INTO request_events (request_id, type, detailed_status, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
            id, 'accepted', null, 0, 'system', now,
          ]);
        }
        return ids;
      }),
  };
}
