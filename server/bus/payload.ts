import type { Queryable } from '../db/engine.ts';
import { jsonIds } from '../db/json-lists.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { mediaUrl } from '../georeport/serialize.ts';

/**
 * A request as the bus delivers it: everything the CRM needs to handle it, the reporter's contact
 * included (the bus is the one place it leaves the server, to the city's own system), the attributes as
 * answered, every photo, and the event the message is about.
 */
export interface BusRequest {
  service_request_id: string;
  jurisdiction_id: string;
  service_code: string;
  service_name: string;
  status: string;
  detailed_status: string;
  status_notes: string | null;
  title: string | null;
  description: string | null;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  visibility: string;
  channel: string;
  external_id: string | null;
  service_object_id: string | null;
  service_object_type: string | null;
  duplicate_of: string | null;
  followers: number;
  attributes: { code: string; values: string[] }[];
  media_urls: string[];
  /** Null once erased by the retention policy. */
  reporter: { kind: string; email: string | null; first_name: string | null; last_name: string | null; phone: string | null;
    organisation: string | null; account_id: string | null; locale: string | null } | null;
}

export interface BusEventOut {
  id: string;
  type: string;
  detailed_status: string | null;
  note: string | null;
  public: boolean;
  datetime: string;
}

type Row = Record<string, string | number | null>;
const when = (s: number | null) => (s === null ? null : formatDatetime(s));

/**
 * Reads requests and events for delivery, many at a time (one statement per table for a whole batch).
 * `r.*` keeps what the bus delivers in step with the table; PostgreSQL's derived columns (`geom`,
 * `search`) come along unread.
 */
export function createBusPayloads(db: Queryable, mediaBase: string) {
  const ids = jsonIds(db, '?');
  const requests = `SELECT r.*, s.code AS service_code, s.name AS service_name FROM requests r JOIN services s ON s.id = r.service_id
    WHERE r.id IN (${ids})`;
  const attributes = `SELECT request_id, code, value FROM request_attributes WHERE request_id IN (${ids}) ORDER BY request_id, code, position`;
  const media = `SELECT request_id, coalesce(url, path) AS media FROM media WHERE request_id IN (${ids}) ORDER BY request_id, position`;
  const reporters = `SELECT request_id, kind, email, first_name, last_name, phone, organisation, account_id, locale, erased_at FROM reporters
    WHERE request_id IN (${ids})`;
  const events = `SELECT id, type, detailed_status, note, public, created_at FROM request_events WHERE id IN (${ids})`;
  const list = (sql: string, json: string) => db.query<Row>(sql, [json]);

  const byRequest = <T>(rows: Row[], make: (r: Row) => T) => {
    const out = new Map<number, T[]>();
    for (const r of rows) {
      const key = Number(r.request_id);
      const items = out.get(key);
      if (items) items.push(make(r));
      else out.set(key, [make(r)]);
    }
    return out;
  };

  return {
    /** The requests behind `ids`, by id (a request deleted since is absent). */
    async requests(ids: number[]): Promise<Map<number, BusRequest>> {
      const json = JSON.stringify([...new Set(ids)]);
      const [attrs, photos, people, rows] = await Promise.all([
        list(attributes, json).then((rows) => byRequest(rows, (r) => r)),
        list(media, json).then((rows) => byRequest(rows, (r) => mediaUrl(String(r.media), mediaBase))),
        list(reporters, json).then((rows) => new Map(rows.map((p) => [Number(p.request_id), p]))),
        list(requests, json),
      ]);
      const out = new Map<number, BusRequest>();
      for (const r of rows) {
        const id = Number(r.id);
        const values = new Map<string, string[]>();
        for (const a of attrs.get(id) ?? []) values.set(String(a.code), [...(values.get(String(a.code)) ?? []), String(a.value)]);
        const p = people.get(id);
        out.set(id, {
          service_request_id: String(id), jurisdiction_id: String(r.jurisdiction_id), service_code: String(r.service_code),
          service_name: String(r.service_name), status: String(r.status), detailed_status: String(r.detailed_status),
          status_notes: r.status_notes as string | null, title: r.title as string | null, description: r.description as string | null,
          agency_responsible: r.agency_responsible as string | null, requested_datetime: formatDatetime(Number(r.requested_at)),
          updated_datetime: formatDatetime(Number(r.updated_at)), expected_datetime: when(r.expected_at as number | null),
          address: r.address as string | null, address_id: r.address_id as string | null, zipcode: r.zipcode as string | null,
          lat: r.lat as number | null, long: r.long as number | null, visibility: String(r.visibility), channel: String(r.channel),
          external_id: r.external_id as string | null, service_object_id: r.service_object_id as string | null,
          service_object_type: r.service_object_type as string | null,
          duplicate_of: r.duplicate_of === null ? null : String(r.duplicate_of), followers: Number(r.followers),
          attributes: [...values].map(([code, v]) => ({ code, values: v })),
          media_urls: photos.get(id) ?? [],
          reporter: !p || p.erased_at !== null ? null : {
            kind: String(p.kind), email: p.email as string | null, first_name: p.first_name as string | null,
            last_name: p.last_name as string | null, phone: p.phone as string | null, organisation: p.organisation as string | null,
            account_id: p.account_id as string | null, locale: p.locale as string | null,
          },
        });
      }
      return out;
    },
    /** Events by id. */
    async events(ids: number[]): Promise<Map<number, BusEventOut>> {
      return new Map((await list(events, JSON.stringify(ids))).map((e) => [Number(e.id), {
        id: String(e.id), type: String(e.type), detailed_status: e.detailed_status as string | null, note: e.note as string | null,
        public: e.public === 1, datetime: formatDatetime(Number(e.created_at)),
      }]));
    },
  };
}
