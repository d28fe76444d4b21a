import type { Queryable } from '../db/engine.ts';
import { jsonIds } from '../db/json-lists.ts';

/** Waits before the next try after a failure: 1 min, 5 min, 30 min, 2 h, then 6 h; given up after 8 tries. */
const BACKOFF = [60, 300, 1800, 7200, 21_600];
export const MAX_ATTEMPTS = 8;

/**
 * How long a claim keeps an e-mail for the server sending it: a batch of 20 at the slowest SMTP relays'
 * pace; a server that dies while sending leaves the e-mail to be sent again once its claim expires.
 */
const CLAIM_SECONDS = 600;

/**
 * Whether the e-mail of a queue (aliased `q` in the statement) is due at `@now`: unsent, not given up,
 * its time come, and not claimed by a server sending it.
 */
export const DUE_NOW = `q.sent_at IS NULL AND q.failed_at IS NULL AND q.next_attempt_at <= @now
       AND (q.claimed_until IS NULL OR q.claimed_until <= @now)`;

/** An e-mail waiting in a queue, as far as its delivery goes. */
export interface Queued {
  id: number;
  attempts: number;
}

export type DeliveryRecord = ReturnType<typeof createDeliveryRecord>;

/**
 * The delivery record of a queue of e-mails (`notifications`, `confirmations` and `assignment_mails`
 * share its columns): claimed by the server about to send it, sent, or failed and tried again after a
 * growing wait, given up after MAX_ATTEMPTS tries; an e-mail still unsent `staleAfter` seconds past its
 * time is dropped, being no longer of use.
 *
 * Its readers take a statement selecting the queue's due e-mails (`FROM <table> q … WHERE ${DUE_NOW} …
 * LIMIT @limit`), whatever else it joins.
 */
export function createDeliveryRecord(db: Queryable, table: 'notifications' | 'confirmations' | 'assignment_mails', staleAfter: number) {
  // Two servers claiming at once: each skips the rows the other has locked (SQLite has one writer).
  const lock = db.kind === 'postgres' ? ' FOR UPDATE OF q SKIP LOCKED' : '';
  const claim = `UPDATE ${table} SET claimed_until = ? WHERE id IN (${jsonIds(db, '?')})`;
  const sent = `UPDATE ${table} SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`;
  // The claim ends with the try, so the next one waits for its backoff only.
  const retry = `UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?`;
  const fail = `UPDATE ${table} SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?`;
  const expire = `UPDATE ${table} SET failed_at = ?, last_error = 'expired'
     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at < ?`;
  return {
    /** Up to `limit` due e-mails read by `select`, without claiming them; those that waited too long are dropped first. */
    async due<T>(select: string, now: number, limit: number): Promise<T[]> {
      await db.run(expire, [now, now - staleAfter]);
      return db.query<T>(select, { now, limit });
    },
    /**
     * As `due`, each claimed for CLAIM_SECONDS by this server, to send: a server claiming at the same
     * time skips them, and once this claim commits no server finds them due before it expires.
     */
    async claim<T extends { id: number }>(select: string, now: number, limit: number): Promise<T[]> {
      await db.run(expire, [now, now - staleAfter]);
      return db.transaction(async (tx) => {
        const rows = await tx.query<T>(select + lock, { now, limit });
        if (rows.length > 0) await tx.run(claim, [now + CLAIM_SECONDS, JSON.stringify(rows.map((r) => r.id))]);
        return rows;
      });
    },
    async markSent(id: number, now: number): Promise<void> {
      await db.run(sent, [now, id]);
    },
    /** Records a failed try: another later, or none after MAX_ATTEMPTS. */
    async markFailed(n: Queued, now: number, error: string): Promise<void> {
      const attempt = n.attempts + 1;
      if (attempt >= MAX_ATTEMPTS) await db.run(fail, [now, error.slice(0, 500), n.id]);
      else await db.run(retry, [now + BACKOFF[Math.min(attempt - 1, BACKOFF.length - 1)]!, error.slice(0, 500), n.id]);
    },
  };
}
