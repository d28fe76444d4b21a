import type { Queryable } from '../db/engine.ts';

/** Waits before the next try after a failure: 1 min, 5 min, 30 min, 2 h, then 6 h; given up after 8 tries. */
const BACKOFF = [60, 300, 1800, 7200, 21_600];
export const MAX_ATTEMPTS = 8;

/** An e-mail waiting in a queue, as far as its delivery goes. */
export interface Queued {
  id: number;
  attempts: number;
}

export type DeliveryRecord = ReturnType<typeof createDeliveryRecord>;

/**
 * The delivery record of a queue of e-mails (`notifications`, `confirmations` and `assignment_mails`
 * share its columns): sent, or failed and tried again after a growing wait, given up after MAX_ATTEMPTS
 * tries; an e-mail still unsent `staleAfter` seconds past its time is dropped, being no longer of use.
 */
export function createDeliveryRecord(db: Queryable, table: 'notifications' | 'confirmations' | 'assignment_mails', staleAfter: number) {
  const sent = `UPDATE ${table} SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`;
  const retry = `UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`;
  const fail = `UPDATE ${table} SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?`;
  const expire = `UPDATE ${table} SET failed_at = ?, last_error = 'expired'
     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at < ?`;
  return {
    /** Drops what waited too long (call before reading what is due). */
    async expire(now: number): Promise<void> {
      await db.run(expire, [now, now - staleAfter]);
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
