import type { Db } from '../db/database.ts';
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

/**
 * What staff see and do to requests: every request of the jurisdiction whatever its visibility, with its
 * reporter, attributes, photos (hidden ones too) and full history (internal events too); and the
 * moderation steps (publish, reject, edit out personal data, hide a photo, merge into another), each one
 * transaction with its event in the history.
 */
export function createCaseworkStore(db: Db) {
  const one = db.prepare<[number, string], Row>(
    `SELECT r.*, s.code AS service_code, s.name AS service_name, u.name AS assignee_name
     FROM requests r JOIN services s ON s.id = r.service_id LEFT JOIN staff_users u ON u.id = r.assignee_id
     WHERE r.id = ? AND r.jurisdiction_id = ?`,
  );
  const reporter = db.prepare<[number], Row>('SELECT kind, email, first_name, last_name, phone, organisation, device_id, account_id, locale, erased_at FROM reporters WHERE request_id = ?');
  const attributes = db.prepare<[number], Row>('SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position');
  const media = db.prepare<[number], Row>('SELECT id, coalesce(url, path) AS media, hidden, mime, width, height, gps_from_exif FROM media WHERE request_id = ? ORDER BY position');
  // Each event with the name of who made it, as staff know them: a staff member, an API key's or a bus
  // application's name (null when it no longer exists).
  const history = db.prepare<[number], Row>(
    `SELECT e.id, e.type, e.detailed_status, e.note, e.public, e.actor, e.created_at, CASE
       WHEN e.actor GLOB 'staff:[0-9]*' THEN (SELECT name FROM staff_users WHERE id = CAST(substr(e.actor, 7) AS INTEGER))
       WHEN e.actor GLOB 'api:[0-9]*' THEN (SELECT name FROM api_clients WHERE id = CAST(substr(e.actor, 5) AS INTEGER))
       WHEN e.actor GLOB 'bus:[0-9]*' THEN (SELECT name FROM bus_apps WHERE id = CAST(substr(e.actor, 5) AS INTEGER))
     END AS actor_name
     FROM request_events e WHERE e.request_id = ? ORDER BY e.id`,
  );
  const edits = db.prepare<[number], Row>(
    `SELECT d.event_id, d.field, d.before, d.after, d.erased_at FROM request_edits d JOIN request_events e ON e.id = d.event_id
     WHERE e.request_id = ? ORDER BY d.event_id, CASE d.field WHEN 'title' THEN 1 WHEN 'description' THEN 2 ELSE 3 END`,
  );
  const texts = db.prepare<[number], Record<EditedField, string | null>>('SELECT title, description, address FROM requests WHERE id = ?');
  const insertEdit = db.prepare('INSERT INTO request_edits (event_id, field, before, after) VALUES (?, ?, ?, ?)');
  const extent = db.prepare<[string], { south: number | null; west: number | null; north: number | null; east: number | null }>(
    `SELECT min(lat) AS south, min(long) AS west, max(lat) AS north, max(long) AS east FROM requests
     WHERE jurisdiction_id = ? AND lat IS NOT NULL AND queued = 0`,
  );
  const event = db.prepare('INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const editEvent = db.prepare<[number, string, string, number], number>(
    "INSERT INTO request_events (request_id, type, note, public, actor, created_at) VALUES (?, 'moderation', ?, 0, ?, ?) RETURNING id",
  ).pluck();
  const setVisibility = db.prepare('UPDATE requests SET visibility = ?, updated_at = ? WHERE id = ?');
  const reject = db.prepare("UPDATE requests SET visibility = 'hidden', status = 'closed', detailed_status = 'rejected', status_notes = ?, updated_at = ? WHERE id = ?");
  const edit = db.prepare('UPDATE requests SET title = coalesce(@title, title), description = coalesce(@description, description), address = coalesce(@address, address), updated_at = @now WHERE id = @id');
  const hideMedia = db.prepare('UPDATE media SET hidden = 1 WHERE id = ? AND request_id = ?');
  const merge = db.prepare("UPDATE requests SET duplicate_of = ?, status = 'closed', detailed_status = 'duplicate', updated_at = ? WHERE id = ?");
  // Followers of the duplicate follow the request it joined (one follow per person: the first is kept).
  const moveFollowers = db.prepare(
    `UPDATE OR IGNORE followers SET request_id = @into WHERE request_id = @from
       AND NOT EXISTS (SELECT 1 FROM followers f WHERE f.request_id = @into AND (f.device_hash = followers.device_hash OR f.email = followers.email COLLATE NOCASE))`,
  );
  const dropFollowers = db.prepare('DELETE FROM followers WHERE request_id = ?');
  const recount = db.prepare("UPDATE requests SET followers = (SELECT count(*) FROM followers f WHERE f.request_id = requests.id AND f.kind = 'supporter') WHERE id = ?");
  const department = db.prepare<[number, string], { agency: string | null }>('SELECT agency FROM departments WHERE id = ? AND jurisdiction_id = ?');
  const assign = db.prepare('UPDATE requests SET assigned_department = ?, agency_responsible = coalesce(?, agency_responsible) WHERE id = ?');

  /** The history of a request, oldest first: who (named), what, and for an edit what each text was and became. */
  const historyOf = (id: number) => {
    const changes = new Map<number, { field: string; before: string | null; after: string | null; erased: boolean }[]>();
    for (const d of edits.all(id)) {
      const list = changes.get(Number(d.event_id)) ?? [];
      list.push({ field: String(d.field), before: d.before as string | null, after: d.after as string | null, erased: d.erased_at !== null });
      changes.set(Number(d.event_id), list);
    }
    return history.all(id).map((e) => ({
      id: String(e.id), type: e.type, detailed_status: e.detailed_status, note: e.note, public: e.public === 1, actor: e.actor,
      actor_kind: actorKind(String(e.actor)), actor_name: e.actor_name, datetime: when(e.created_at), changes: changes.get(Number(e.id)) ?? [],
      ...(eventAction(String(e.type), e.detailed_status as string | null, e.note as string | null) ?? { action: null, ref: null }),
    }));
  };

  return {
    /** Everything about one request of the jurisdiction, personal data included, or undefined. */
    get(jurisdictionId: string, id: number) {
      const r = one.get(id, jurisdictionId);
      if (!r) return undefined;
      const p = reporter.get(id);
      const values = new Map<string, string[]>();
      for (const a of attributes.all(id)) values.set(String(a.code), [...(values.get(String(a.code)) ?? []), String(a.value)]);
      return {
        ...requestSummary(r), zipcode: r.zipcode, address_id: r.address_id, status_notes: r.status_notes, external_id: r.external_id,
        duplicate_of: r.duplicate_of === null ? null : String(r.duplicate_of), agency_responsible: r.agency_responsible,
        reporter: p && p.erased_at === null ? { kind: p.kind, email: p.email, first_name: p.first_name, last_name: p.last_name, phone: p.phone, organisation: p.organisation, locale: p.locale } : null,
        attributes: [...values].map(([code, v]) => ({ code, values: v })),
        media: media.all(id).map((m) => ({ id: String(m.id), media: m.media, hidden: m.hidden === 1, mime: m.mime, width: m.width, height: m.height, gps_from_exif: m.gps_from_exif === 1 })),
        history: historyOf(id),
      };
    },

    publish: db.transaction((id: number, actor: string, now: number) => {
      setVisibility.run('published', now, id);
      event.run(id, 'moderation', null, 'published', 0, actor, now);
    }),
    /** Rejects with a reason the public sees (the request leaves public view). */
    reject: db.transaction((id: number, reason: string, actor: string, now: number) => {
      reject.run(reason, now, id);
      event.run(id, 'moderation', 'rejected', reason, 0, actor, now);
    }),
    /**
     * Replaces the resident's texts (to take out personal data). The fields that differ are changed, and
     * the internal history keeps what each was and became (for staff only); returns their names, none
     * when every text given was the same.
     */
    edit: db.transaction((id: number, fields: Partial<Record<EditedField, string>>, actor: string, now: number): EditedField[] => {
      const before = texts.get(id)!;
      const changed = EDITED_FIELDS.filter((f) => fields[f] !== undefined && fields[f] !== before[f]);
      if (changed.length === 0) return [];
      const value = (f: EditedField) => (changed.includes(f) ? fields[f]! : null);
      edit.run({ id, now, title: value('title'), description: value('description'), address: value('address') });
      const eventId = editEvent.get(id, `edited: ${changed.join(', ')}`, actor, now)!;
      for (const f of changed) insertEdit.run(eventId, f, before[f], fields[f]);
      return changed;
    }),
    hideMedia: db.transaction((id: number, mediaId: number, actor: string, now: number): boolean => {
      if (hideMedia.run(mediaId, id).changes === 0) return false;
      event.run(id, 'moderation', null, `photo ${mediaId} hidden`, 0, actor, now);
      return true;
    }),
    /** Marks `id` a duplicate of `into`; its followers follow `into`. Both histories say so. */
    merge: db.transaction((id: number, into: number, actor: string, now: number) => {
      merge.run(into, now, id);
      moveFollowers.run({ from: id, into });
      dropFollowers.run(id);
      recount.run(into);
      event.run(id, 'merge', 'duplicate', `merged into ${into}`, 1, actor, now);
      event.run(into, 'merge', null, `request ${id} merged into this one`, 0, actor, now);
    }),
    /** The box holding the jurisdiction's located requests (where its maps open), or null when it has none. */
    extent(jurisdictionId: string) {
      const e = extent.get(jurisdictionId)!;
      return e.south === null ? null : e as { south: number; west: number; north: number; east: number };
    },
    /** Gives the request to a department of its jurisdiction (its agency, when it has one, becomes the request's); false if it is none. */
    assign(jurisdictionId: string, id: number, departmentId: number | null): boolean {
      const found = departmentId === null ? { agency: null } : department.get(departmentId, jurisdictionId);
      if (!found) return false;
      assign.run(departmentId, found.agency, id);
      return true;
    },
  };
}
