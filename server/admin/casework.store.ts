import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { EDITED_FIELDS, type ActorKind, type EditedField, type EventAction } from '../shared/casework.ts';

export type Visibility = 'pending' | 'published' | 'hidden';

type Row = Record<string, string | number | null>;

const when = (v: string | number | null) => (v === null ? null : formatDatetime(Number(v)));

/**
 * A request as staff lists see it, from its row (with `service_code`, `service_name` and the assignee's
 * name, `assignee_name`, joined): the inbox's items and the start of a request in full.
 */
export const requestSummary = (r: Row) => ({
  service_request_id: String(r.id), service_code: r.service_code, service_name: r.service_name, status: r.status,
  detailed_status: r.detailed_status, visibility: r.visibility, title: r.title, description: r.description, address: r.address,
  lat: r.lat, long: r.long, channel: r.channel, requested_datetime: when(r.requested_at), updated_datetime: when(r.updated_at),
  expected_datetime: when(r.expected_at), assigned_department: r.assigned_department, followers: r.followers,
  assignee: r.assignee_id === null ? null : { id: String(r.assignee_id), name: r.assignee_name },
});

/**
 * Who made an event, by kind: a staff member (`staff:7`), an API key's application (`api:3`), a CRM on
 * the bus (`bus:2`), a resident filing without a key (`anonymous`), the server itself (`system`), the
 * demo's seeding (`seed`); anything else is unknown. The back office words each kind with its name.
 */
export function actorKind(actor: string): ActorKind {
  const kind = /^(staff|api|bus):[0-9]+$/.exec(actor)?.[1];
  if (kind) return kind === 'api' ? 'app' : (kind as 'staff' | 'bus');
  return actor === 'anonymous' ? 'resident' : actor === 'system' ? 'system' : actor === 'seed' ? 'demo' : 'unknown';
}

/** A request by its number and the request it was merged into, if it was. */
export interface Mergeable {
  id: number;
  duplicateOf: number | null;
}

/**
 * Why `requests` may not be merged into `into` (none: they may), for one merge and for a bulk one alike:
 * a request merged already is not merged again, and nothing is merged into a request that is itself
 * merged (no chains: a resident following a duplicate is sent to the request that is worked on).
 */
export function mergeRefusals(requests: Mergeable[], into: Mergeable): string[] {
  return [
    ...requests.flatMap((r) => (r.duplicateOf !== null ? [`request ${r.id} is already merged into ${r.duplicateOf}`] : [])),
    ...(into.duplicateOf !== null ? [`request ${into.id} is itself merged into ${into.duplicateOf}: merge into that one`] : []),
  ];
}

/**
 * What a moderation or merge event did, read back from the short note the store writes with it (below:
 * `published`, `edited: title`, `photo 3 hidden`, `merged into 7`, `request 9 merged into this one`; a
 * rejection's note is its reason), or null for any other event.
 */
export function eventAction(type: string, detailedStatus: string | null, note: string | null): { action: EventAction; ref: string | null } | null {
  const text = note ?? '';
  if (type === 'moderation') {
    if (detailedStatus === 'rejected') return { action: 'rejected', ref: null };
    if (text === 'published') return { action: 'published', ref: null };
    if (text.startsWith('edited:')) return { action: 'edited', ref: null };
    const photo = /^photo (\d+) hidden$/.exec(text);
    if (photo) return { action: 'photo_hidden', ref: photo[1]! };
  }
  const merge = type === 'merge' ? /^(?:merged into (\d+)|request (\d+) merged into this one)$/.exec(text) : null;
  if (merge) return merge[1] ? { action: 'merged_into', ref: merge[1] } : { action: 'merged_here', ref: merge[2]! };
  return null;
}

export type CaseworkStore = ReturnType<typeof createCaseworkStore>;

type Extent = { south: number; west: number; north: number; east: number };

const ONE = `SELECT r.*, s.code AS service_code, s.name AS service_name, u.name AS assignee_name
  FROM requests r JOIN services s ON s.id = r.service_id LEFT JOIN staff_users u ON u.id = r.assignee_id
  WHERE r.id = ? AND r.jurisdiction_id = ?`;
const REPORTER = 'SELECT kind, email, first_name, last_name, phone, organisation, device_id, account_id, locale, erased_at FROM reporters WHERE request_id = ?';
const ATTRIBUTES = 'SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position';
const MEDIA = 'SELECT id, coalesce(url, path) AS media, hidden, mime, width, height, gps_from_exif FROM media WHERE request_id = ? ORDER BY position';
/**
 * Each event with the name of who made it, as staff know them: a staff member, an API key's or a bus
 * application's name (null when it no longer exists). An actor is `kind:` and a number; SQLite reads the
 * number with GLOB and CAST (which stops at the first non-digit), PostgreSQL with the regular expression
 * that takes the same digits (its CAST refuses a text that is not all digits).
 */
const actorName = (kind: 'sqlite' | 'postgres', prefix: string, table: string) =>
  kind === 'sqlite'
    ? `WHEN e.actor GLOB '${prefix}:[0-9]*' THEN (SELECT name FROM ${table} WHERE id = CAST(substr(e.actor, ${prefix.length + 2}) AS INTEGER))`
    : `WHEN e.actor ~ '^${prefix}:[0-9]' THEN (SELECT name FROM ${table} WHERE id = CAST(substring(e.actor FROM '^${prefix}:([0-9]{1,18})') AS bigint))`;
const history = (kind: 'sqlite' | 'postgres') => `SELECT e.id, e.type, e.detailed_status, e.note, e.public, e.actor, e.created_at, CASE
    ${actorName(kind, 'staff', 'staff_users')}
    ${actorName(kind, 'api', 'api_clients')}
    ${actorName(kind, 'bus', 'bus_apps')}
  END AS actor_name
  FROM request_events e WHERE e.request_id = ? ORDER BY e.id`;
const HISTORY = { sqlite: history('sqlite'), postgres: history('postgres') };
const EDITS = `SELECT d.event_id, d.field, d.before, d.after, d.erased_at FROM request_edits d JOIN request_events e ON e.id = d.event_id
  WHERE e.request_id = ? ORDER BY d.event_id, CASE d.field WHEN 'title' THEN 1 WHEN 'description' THEN 2 ELSE 3 END`;
const EVENT = 'INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

/**
 * What staff see and do to requests: every request of the jurisdiction whatever its visibility, with its
 * reporter, attributes, photos (hidden ones too) and full history (internal events too); and the
 * moderation steps (publish, reject, edit out personal data, hide a photo, merge into another), each one
 * transaction with its event in the history. Called on a transaction's handle, each step joins it.
 *
 * The rules kept by triggers on its tables, SQLite's trigger then its plpgsql function on PostgreSQL
 * (pg-migrations/): a new event reaches the bus's outbox (`bus_outbox`, 006 then 011) and the followers'
 * e-mails (`notifications_on_status`, 005); a closing or reopening event dates the request (`requests_closed`, `requests_reopened` /
 * `requests_closed_at`, 013); a follower dropped by a merge is counted out (`followers_count_delete` /
 * `followers_count`, 005), the followers moved are counted in by `recount` below (an UPDATE fires
 * neither); a changed request bumps its town's cache version (`requests_*_version` / `requests_cache_version`
 * at commit, 014) and the daily counts (`request_days_update` / `request_days_count`, 013); its words are indexed
 * again (`requests_fts_update` on SQLite; the generated column `search` on PostgreSQL, 002).
 */
export function createCaseworkStore(db: Queryable) {
  /** The history of a request, oldest first: who (named), what, and for an edit what each text was and became. */
  const historyOf = async (id: number) => {
    const changes = new Map<number, { field: string; before: string | null; after: string | null; erased: boolean }[]>();
    for (const d of await db.query<Row>(EDITS, [id])) {
      const list = changes.get(Number(d.event_id)) ?? [];
      list.push({ field: String(d.field), before: d.before as string | null, after: d.after as string | null, erased: d.erased_at !== null });
      changes.set(Number(d.event_id), list);
    }
    return (await db.query<Row>(HISTORY[db.kind], [id])).map((e) => ({
      id: String(e.id), type: e.type, detailed_status: e.detailed_status, note: e.note, public: e.public === 1, actor: e.actor,
      actor_kind: actorKind(String(e.actor)), actor_name: e.actor_name, datetime: when(e.created_at), changes: changes.get(Number(e.id)) ?? [],
      ...(eventAction(String(e.type), e.detailed_status as string | null, e.note as string | null) ?? { action: null, ref: null }),
    }));
  };

  return {
    /** Everything about one request of the jurisdiction, personal data included, or undefined. */
    async get(jurisdictionId: string, id: number) {
      const r = await db.one<Row>(ONE, [id, jurisdictionId]);
      if (!r) return undefined;
      const p = await db.one<Row>(REPORTER, [id]);
      const values = new Map<string, string[]>();
      for (const a of await db.query<Row>(ATTRIBUTES, [id])) values.set(String(a.code), [...(values.get(String(a.code)) ?? []), String(a.value)]);
      const media = await db.query<Row>(MEDIA, [id]);
      return {
        ...requestSummary(r), zipcode: r.zipcode, address_id: r.address_id, status_notes: r.status_notes, external_id: r.external_id,
        duplicate_of: r.duplicate_of === null ? null : String(r.duplicate_of), agency_responsible: r.agency_responsible,
        reporter: p && p.erased_at === null ? { kind: p.kind, email: p.email, first_name: p.first_name, last_name: p.last_name, phone: p.phone, organisation: p.organisation, locale: p.locale } : null,
        attributes: [...values].map(([code, v]) => ({ code, values: v })),
        media: media.map((m) => ({ id: String(m.id), media: m.media, hidden: m.hidden === 1, mime: m.mime, width: m.width, height: m.height, gps_from_exif: m.gps_from_exif === 1 })),
        history: await historyOf(id),
      };
    },

    publish: (id: number, actor: string, now: number) =>
      db.transaction(async (tx) => {
        await tx.run('UPDATE requests SET visibility = ?, updated_at = ? WHERE id = ?', ['published', now, id]);
        await tx.run(EVENT, [id, 'moderation', null, 'published', 0, actor, now]);
      }),
    /** Rejects with a reason the public sees (the request leaves public view). */
    reject: (id: number, reason: string, actor: string, now: number) =>
      db.transaction(async (tx) => {
        await tx.run("UPDATE requests SET visibility = 'hidden', status = 'closed', detailed_status = 'rejected', status_notes = ?, updated_at = ? WHERE id = ?", [reason, now, id]);
        await tx.run(EVENT, [id, 'moderation', 'rejected', reason, 0, actor, now]);
      }),
    /**
     * Replaces the resident's texts (to take out personal data). The fields that differ are changed, and
     * the internal history keeps what each was and became (for staff only); returns their names, none
     * when every text given was the same.
     */
    edit: (id: number, fields: Partial<Record<EditedField, string>>, actor: string, now: number): Promise<EditedField[]> =>
      db.transaction(async (tx) => {
        const before = (await tx.one<Record<EditedField, string | null>>('SELECT title, description, address FROM requests WHERE id = ?', [id]))!;
        const changed = EDITED_FIELDS.filter((f) => fields[f] !== undefined && fields[f] !== before[f]);
        if (changed.length === 0) return [];
        const value = (f: EditedField) => (changed.includes(f) ? fields[f]! : null);
        await tx.run(
          'UPDATE requests SET title = coalesce(@title, title), description = coalesce(@description, description), address = coalesce(@address, address), updated_at = @now WHERE id = @id',
          { id, now, title: value('title'), description: value('description'), address: value('address') },
        );
        const eventId = (await tx.run(
          "INSERT INTO request_events (request_id, type, note, public, actor, created_at) VALUES (?, 'moderation', ?, 0, ?, ?) RETURNING id",
          [id, `edited: ${changed.join(', ')}`, actor, now],
        )).lastId!;
        for (const f of changed) await tx.run('INSERT INTO request_edits (event_id, field, before, after) VALUES (?, ?, ?, ?)', [eventId, f, before[f], fields[f]]);
        return changed;
      }),
    hideMedia: (id: number, mediaId: number, actor: string, now: number): Promise<boolean> =>
      db.transaction(async (tx) => {
        if ((await tx.run('UPDATE media SET hidden = 1 WHERE id = ? AND request_id = ?', [mediaId, id])).changes === 0) return false;
        await tx.run(EVENT, [id, 'moderation', null, `photo ${mediaId} hidden`, 0, actor, now]);
        return true;
      }),
    /** Marks `id` a duplicate of `into`; its followers follow `into`. Both histories say so. */
    merge: (id: number, into: number, actor: string, now: number) =>
      db.transaction(async (tx) => {
        await tx.run("UPDATE requests SET duplicate_of = ?, status = 'closed', detailed_status = 'duplicate', updated_at = ? WHERE id = ?", [into, now, id]);
        // Followers of the duplicate follow the request it joined (one follow per person: the first is
        // kept). The e-mails compared as each engine's unique index compares them (SQLite's NOCASE is
        // its ASCII-only lower()), so no follower moved can collide with one there.
        await tx.run(
          `UPDATE followers SET request_id = @into WHERE request_id = @from
             AND NOT EXISTS (SELECT 1 FROM followers f WHERE f.request_id = @into AND (f.device_hash = followers.device_hash OR lower(f.email) = lower(followers.email)))`,
          { from: id, into },
        );
        await tx.run('DELETE FROM followers WHERE request_id = ?', [id]);
        await tx.run("UPDATE requests SET followers = (SELECT count(*) FROM followers f WHERE f.request_id = requests.id AND f.kind = 'supporter') WHERE id = ?", [into]);
        await tx.run(EVENT, [id, 'merge', 'duplicate', `merged into ${into}`, 1, actor, now]);
        await tx.run(EVENT, [into, 'merge', null, `request ${id} merged into this one`, 0, actor, now]);
      }),
    /** The box holding the jurisdiction's located requests (where its maps open), or null when it has none. */
    async extent(jurisdictionId: string): Promise<Extent | null> {
      const e = (await db.one<{ south: number | null; west: number | null; north: number | null; east: number | null }>(
        `SELECT min(lat) AS south, min(long) AS west, max(lat) AS north, max(long) AS east FROM requests
         WHERE jurisdiction_id = ? AND lat IS NOT NULL AND queued = 0`,
        [jurisdictionId],
      ))!;
      return e.south === null ? null : (e as Extent);
    },
    /** Gives the request to a department of its jurisdiction (its agency, when it has one, becomes the request's); false if it is none. */
    async assign(jurisdictionId: string, id: number, departmentId: number | null): Promise<boolean> {
      const found = departmentId === null
        ? { agency: null }
        : await db.one<{ agency: string | null }>('SELECT agency FROM departments WHERE id = ? AND jurisdiction_id = ?', [departmentId, jurisdictionId]);
      if (!found) return false;
      await db.run('UPDATE requests SET assigned_department = ?, agency_responsible = coalesce(?, agency_responsible) WHERE id = ?', [departmentId, found.agency, id]);
      return true;
    },
  };
}
