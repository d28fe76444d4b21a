import { localized } from '../catalogue/localize.ts';
import type { Queryable } from '../db/engine.ts';
import { createDeliveryRecord, DUE_NOW } from './delivery.ts';
import { jsonIds } from '../db/json-lists.ts';

/** An e-mail owed to a staff member given requests, with what it must say. */
export interface DueAssignment {
  id: number;
  attempts: number;
  email: string;
  name: string;
  /** Who assigned them (null: an account since deleted). */
  byName: string | null;
  jurisdictionName: string;
  /** The town's language: staff read the back office in it. */
  locale: string;
  /** The requests of the assignment still theirs, with what names them (no personal data). */
  requests: { id: number; serviceName: string; address: string | null }[];
}

/** Work given a day ago and not yet told is no longer news: the inbox shows it. */
const STALE_AFTER = 86_400;

export type AssignmentMailsStore = ReturnType<typeof createAssignmentMailsStore>;

// Aliases in camel case are quoted: PostgreSQL folds unquoted names to lower case.
const DUE = `SELECT q.id, q.attempts, u.email, u.name, b.name AS "byName", j.name AS "jurisdictionName", j.default_locale AS locale,
       q.staff_id AS "staffId", q.request_ids AS "requestIds"
     FROM assignment_mails q
     JOIN staff_users u ON u.id = q.staff_id AND u.disabled_at IS NULL
     JOIN jurisdictions j ON j.id = q.jurisdiction_id
     LEFT JOIN staff_users b ON b.id = q.assigned_by
     WHERE ${DUE_NOW}
     ORDER BY q.next_attempt_at, q.id LIMIT @limit`;
const DROP = "UPDATE assignment_mails SET failed_at = ?, last_error = 'no longer assigned' WHERE id = ?";

type Row = Omit<DueAssignment, 'requests'> & { staffId: number; requestIds: string };

/**
 * The e-mails owed to staff given requests (queued by the assignment store), and their delivery. A
 * request taken from them or given to someone else before the e-mail goes is left out of it; an e-mail
 * left with none is dropped unsent. A member of staff who loses their role in the town loses its requests
 * (SQLite's triggers `staff_roles_unassign_removed`/`_readonly`, migration 011; PostgreSQL's function
 * `staff_roles_unassign()`, pg-migrations/011), so their e-mail leaves those out too.
 */
export function createAssignmentMailsStore(db: Queryable) {
  // The mail's requests are a JSON array of ids.
  const stillTheirs = `SELECT r.id, s.name, s.i18n, r.address FROM requests r JOIN services s ON s.id = r.service_id
     WHERE r.id IN (${jsonIds(db, '?')}) AND r.assignee_id = ? ORDER BY r.id`;
  const delivery = createDeliveryRecord(db, 'assignment_mails', STALE_AFTER);

  /** The e-mails with the requests still theirs; those left with none are dropped. */
  async function read(rows: Row[], now: number): Promise<DueAssignment[]> {
    const found: DueAssignment[] = [];
    for (const { staffId, requestIds, ...m } of rows) {
      const theirs = await db.query<{ id: number; name: string; i18n: string; address: string | null }>(stillTheirs, [requestIds, staffId]);
      const requests = theirs.map((r) => ({ id: r.id, address: r.address, serviceName: localized(r.name, r.i18n, m.locale, 'name') }));
      if (requests.length === 0) await db.run(DROP, [now, m.id]);
      else found.push({ ...m, requests });
    }
    return found;
  }

  return {
    /** Up to `limit` e-mails whose time has come, oldest first; those whose requests all went elsewhere are dropped. */
    due: async (now: number, limit: number) => read(await delivery.due<Row>(DUE, now, limit), now),
    /** The same, claimed by this server to send them (see the delivery record). */
    claim: async (now: number, limit: number) => read(await delivery.claim<Row>(DUE, now, limit), now),
    markSent: delivery.markSent,
    markFailed: delivery.markFailed,
  };
}
