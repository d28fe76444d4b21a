import { parseI18n } from '../catalogue/localize.ts';
import type { Queryable } from '../db/engine.ts';
import { createDeliveryRecord, DUE_NOW } from './delivery.ts';

/** A confirmation e-mail owed to an address given to follow a request, with what it must say. */
export interface DueConfirmation {
  id: number;
  attempts: number;
  email: string;
  locale: string;
  /** The secret of the confirmation link. */
  token: string;
  requestId: number;
  serviceName: string;
  address: string | null;
  /** Whether the request is public (its page shows it), or held for moderation or hidden. */
  published: boolean;
  jurisdictionName: string;
}

/** A resident waits for this e-mail right after following: one that could not go out within a day is dropped. */
const STALE_AFTER = 86_400;

export type ConfirmationsStore = ReturnType<typeof createConfirmationsStore>;

// Aliases in camel case are quoted: PostgreSQL folds unquoted names to lower case. `published` reads
// 1/0 on both engines (the PostgreSQL engine reads booleans so).
const DUE = `SELECT q.id, q.attempts, f.email, f.locale, q.token, r.id AS "requestId", s.name, s.i18n, r.address,
       (r.visibility = 'published' AND r.queued = 0) AS published, j.name AS "jurisdictionName"
     FROM confirmations q
     JOIN followers f ON f.id = q.follower_id
     JOIN requests r ON r.id = f.request_id
     JOIN services s ON s.id = r.service_id
     JOIN jurisdictions j ON j.id = r.jurisdiction_id
     WHERE ${DUE_NOW} AND f.email IS NOT NULL
     ORDER BY q.next_attempt_at, q.id LIMIT @limit`;

type Row = Omit<DueConfirmation, 'serviceName' | 'published'> & { name: string; i18n: string; published: number };

const read = (rows: Row[]): DueConfirmation[] =>
  rows.map(({ name, i18n, published, ...c }) => ({
    ...c,
    published: published === 1,
    serviceName: parseI18n(i18n)[c.locale]?.name || name,
  }));

/** The confirmation e-mails queued by follows (see the followers store: no trigger writes them), and their delivery. */
export function createConfirmationsStore(db: Queryable) {
  const delivery = createDeliveryRecord(db, 'confirmations', STALE_AFTER);

  return {
    /** Up to `limit` confirmation e-mails whose time has come, oldest first. */
    due: async (now: number, limit: number) => read(await delivery.due<Row>(DUE, now, limit)),
    /** The same, claimed by this server to send them (see the delivery record). */
    claim: async (now: number, limit: number) => read(await delivery.claim<Row>(DUE, now, limit)),
    markSent: delivery.markSent,
    markFailed: delivery.markFailed,
  };
}
