import { parseI18n } from '../catalogue/localize.ts';
import type { Queryable } from '../db/engine.ts';
import type { DetailedStatus } from '../requests/requests.types.ts';
import { createDeliveryRecord, DUE_NOW } from './delivery.ts';

/** An e-mail owed to a follower, with what it must say. */
export interface DueNotification {
  id: number;
  attempts: number;
  email: string;
  locale: string;
  token: string;
  kind: 'reporter' | 'supporter';
  requestId: number;
  serviceName: string;
  address: string | null;
  /** Whether the request is public (its page shows it), or held for moderation or hidden. */
  published: boolean;
  detailedStatus: DetailedStatus;
  note: string | null;
  at: number;
  jurisdictionName: string;
}

/** An e-mail that could not go out within a week is no longer news: it is dropped. */
const STALE_AFTER = 7 * 86_400;

export type NotificationsStore = ReturnType<typeof createNotificationsStore>;

// Aliases in camel case are quoted: PostgreSQL folds unquoted names to lower case. `published` reads
// 1/0 on both engines (the PostgreSQL engine reads booleans so).
const DUE = `SELECT q.id, q.attempts, f.email, f.locale, f.token, f.kind, r.id AS "requestId", s.name, s.i18n, r.address,
       (r.visibility = 'published' AND r.queued = 0) AS published,
       e.detailed_status AS "detailedStatus", e.note, e.created_at AS at, j.name AS "jurisdictionName"
     FROM notifications q
     JOIN followers f ON f.id = q.follower_id
     JOIN request_events e ON e.id = q.event_id
     JOIN requests r ON r.id = e.request_id
     JOIN services s ON s.id = r.service_id
     JOIN jurisdictions j ON j.id = r.jurisdiction_id
     WHERE ${DUE_NOW} AND f.unsubscribed_at IS NULL AND f.email IS NOT NULL
     ORDER BY q.next_attempt_at, q.id LIMIT @limit`;

type Row = Omit<DueNotification, 'serviceName' | 'kind' | 'published'> & { name: string; i18n: string; kind: string; published: number };

const read = (rows: Row[]): DueNotification[] =>
  rows.map(({ name, i18n, kind, published, ...n }) => ({
    ...n,
    published: published === 1,
    kind: kind === 'reporter' ? 'reporter' : 'supporter',
    serviceName: parseI18n(i18n)[n.locale]?.name || name,
  }));

/**
 * The e-mails owed to followers and their delivery. They are queued on a public status change by
 * SQLite's trigger `notifications_on_status` (migration 009) or PostgreSQL's function
 * `notifications_on_status()` (pg-migrations/009), for confirmed followers who did not unsubscribe.
 */
export function createNotificationsStore(db: Queryable) {
  const delivery = createDeliveryRecord(db, 'notifications', STALE_AFTER);

  return {
    /** Up to `limit` e-mails whose time has come, oldest first (those older than a week are dropped). */
    due: async (now: number, limit: number) => read(await delivery.due<Row>(DUE, now, limit)),
    /** The same, claimed by this server to send them (see the delivery record). */
    claim: async (now: number, limit: number) => read(await delivery.claim<Row>(DUE, now, limit)),
    markSent: delivery.markSent,
    markFailed: delivery.markFailed,
  };
}
