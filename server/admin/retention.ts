import type { Queryable } from '../db/engine.ts';
import { CONFIRMATION_VALID_SECONDS } from '../requests/followers.store.ts';
import { writeAudit } from './audit-log.ts';

const MONTH = 30 * 86_400;

const REPORTERS = `UPDATE reporters SET email = NULL, first_name = NULL, last_name = NULL, phone = NULL, organisation = NULL, device_id = NULL,
       account_id = NULL, erased_at = @now
     WHERE erased_at IS NULL AND request_id IN (SELECT id FROM requests WHERE status = 'closed' AND updated_at < @before)`;
const FOLLOWERS = `UPDATE followers SET email = NULL, notify = 0, device_hash = NULL
     WHERE (email IS NOT NULL OR device_hash IS NOT NULL) AND request_id IN (SELECT id FROM requests WHERE status = 'closed' AND updated_at < @before)`;
// What an edit took out of a resident's texts is personal data too, and what it put in may still be.
const EDITS = `UPDATE request_edits SET before = NULL, after = NULL, erased_at = @now
     WHERE erased_at IS NULL AND event_id IN (SELECT e.id FROM request_events e JOIN requests r ON r.id = e.request_id
       WHERE r.status = 'closed' AND r.updated_at < @before)`;

/**
 * The retention policy: the personal data of requests closed more than `months` ago is erased (the
 * reporter's name, e-mail, phone, device and account; followers' e-mails; the texts an agent's edits took
 * out and put in), the requests themselves kept.
 * Each run that erases anything is written to the audit log with its counts. Confirmation links past
 * their week go too (with the hash of the mailbox they were sent to), their use being over.
 * No trigger acts on what it changes (the followers' count counts rows, which stay): the whole purge is
 * one transaction of the store, the same on both engines.
 */
export function createRetention(db: Queryable, months: number) {
  return {
    /** Erases what is due at `now` (Unix seconds); returns how many reporters, followers and edited texts were erased. */
    purge(now: number): Promise<{ reporters: number; followers: number; edits: number; months: number }> {
      return db.transaction(async (tx) => {
        const params = { now, before: now - months * MONTH };
        const erased = {
          reporters: (await tx.run(REPORTERS, params)).changes,
          followers: (await tx.run(FOLLOWERS, params)).changes,
          edits: (await tx.run(EDITS, params)).changes,
          months,
        };
        if (erased.reporters + erased.followers + erased.edits > 0) {
          await writeAudit(tx, now, { jurisdictionId: null, actor: 'system', action: 'retention.purge', target: null, detail: erased });
        }
        await tx.run('DELETE FROM confirmations WHERE created_at < ?', [now - CONFIRMATION_VALID_SECONDS]);
        return erased;
      });
    },
  };
}
