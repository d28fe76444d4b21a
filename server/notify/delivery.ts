import type { Db } from '../db/database.ts';

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
export function createDeliveryRecord(db: Db, table: 'notifications' | 'confirmations' | 'assignment_mails', staleAfter: number) {
  const sent = db.prepare(`UPDATE ${table} SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`);
  const retry = db.prepare(`UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`);
  const fail = db.prepare(`UPDATE ${table} SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?`);
  const expire = db.prepare(
    `UPDATE ${table} SET failed_at = @now, last_error = 'expired'
     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at < @now - @staleAfter`,
  );
  return {
    /** Drops what waited too long (call before reading what is due). */
    expire(now: number): void {
      expire.run({ now, staleAfter });
    },
    markSent(id: number, now: number): void {
      sent.run(now, id);
    },
    /** Records a failed try: another later, or none after MAX_ATTEMPTS. */
    markFailed(n: Queued, now: number, error: string): void {
      const attempt = n.attempts + 1;
      if (attempt >= MAX_ATTEMPTS) fail.run(now, error.slice(0, 500), n.id);
      else retry.run(now + BACKOFF[Math.min(attempt - 1, BACKOFF.length - 1)]!, error.slice(0, 500), n.id);
    },
  };
}
