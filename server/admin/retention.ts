import type { Db } from '../db/database.ts';
import { CONFIRMATION_VALID_SECONDS } from '../requests/followers.store.ts';
import { createAuditWriter } from './audit-log.ts';

const MONTH = 30 * 86_400;

/**
 * The retention policy: the personal data of requests closed more than `months` ago is erased (the
 * reporter's name, e-mail, phone, device and account; followers' e-mails), the requests themselves kept.
 * Each run that erases anything is written to the audit log with its counts. Confirmation links past
 * their week go too (with the hash of the mailbox they were sent to), their use being over.
 */
export function createRetention(db: Db, months: number) {
  const reporters = db.prepare(
    `UPDATE reporters SET email = NULL, first_name = NULL, last_name = NULL, phone = NULL, organisation = NULL, device_id = NULL,
       account_id = NULL, erased_at = @now
     WHERE erased_at IS NULL AND request_id IN (SELECT id FROM requests WHERE status = 'closed' AND updated_at < @before)`,
  );
  const followers = db.prepare(
    `UPDATE followers SET email = NULL, notify = 0, device_hash = NULL
     WHERE (email IS NOT NULL OR device_hash IS NOT NULL) AND request_id IN (SELECT id FROM requests WHERE status = 'closed' AND updated_at < @before)`,
  );
  const spentConfirmations = db.prepare('DELETE FROM confirmations WHERE created_at < ?');
  const audit = createAuditWriter(db);
  return {
    /** Erases what is due at `now` (Unix seconds); returns how many reporters and followers were erased. */
    purge: db.transaction((now: number) => {
      const params = { now, before: now - months * MONTH };
      const erased = { reporters: reporters.run(params).changes, followers: followers.run(params).changes, months };
      if (erased.reporters + erased.followers > 0) audit(now, { jurisdictionId: null, actor: 'system', action: 'retention.purge', target: null, detail: erased });
      spentConfirmations.run(now - CONFIRMATION_VALID_SECONDS);
      return erased;
    }),
  };
}
