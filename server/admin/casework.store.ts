import type { Db } from '../db/database.ts';
import { formatDatetime } from '../georeport/datetime.ts';

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
  const history = db.prepare<[number], Row>('SELECT id, type, detailed_status, note, public, actor, created_at FROM request_events WHERE request_id = ? ORDER BY id');
  const event = db.prepare('INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
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
        history: history.all(id).map((e) => ({ id: String(e.id), type: e.type, detailed_status: e.detailed_status, note: e.note, public: e.public === 1, actor: e.actor, datetime: when(e.created_at) })),
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
    /** Replaces the resident's texts (to take out personal data); the change is in the history, not the old text. */
    edit: db.transaction((id: number, fields: { title?: string; description?: string; address?: string }, actor: string, now: number) => {
      edit.run({ id, now, title: fields.title ?? null, description: fields.description ?? null, address: fields.address ?? null });
      event.run(id, 'moderation', null, `edited: ${Object.keys(fields).join(', ')}`, 0, actor, now);
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
    /** Gives the request to a department of its jurisdiction (its agency, when it has one, becomes the request's); false if it is none. */
    assign(jurisdictionId: string, id: number, departmentId: number | null): boolean {
      const found = departmentId === null ? { agency: null } : department.get(departmentId, jurisdictionId);
      if (!found) return false;
      assign.run(departmentId, found.agency, id);
      return true;
    },
  };
}
