import type { Db } from '../db/database.ts';
import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';

/** One entry: in which town (null: the server's own, shown to no town), who did what to what. */
export interface AuditRecord {
  jurisdictionId: string | null;
  actor: string;
  action: string;
  target: string | null;
  detail?: object;
}

/** What a staff member does to their own account: shown in every town where they hold a role. */
const ACCOUNT_ACTIONS = ['staff.login', 'staff.logout', 'staff.password', 'staff.password_failed'];

/**
 * Writes audit entries with one prepared statement; stores whose changes are audited in their own
 * transaction (keys, bus apps) call it inside it. `at`: Unix seconds.
 */
export function createAuditWriter(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, jurisdiction_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)');
  return (at: number, e: AuditRecord): void => {
    insert.run(at, e.jurisdictionId, e.actor, e.action, e.target, JSON.stringify(e.detail ?? {}));
  };
}

/**
 * Writes one audit entry through `db` (the engine, or the transaction of the change it records): the
 * asynchronous form of createAuditWriter, for the stores already moved to the engine (keys, bus apps).
 */
export async function writeAudit(db: Queryable, at: number, e: AuditRecord): Promise<void> {
  await db.run('INSERT INTO audit_log (at, jurisdiction_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)', [
    at, e.jurisdictionId, e.actor, e.action, e.target, JSON.stringify(e.detail ?? {}),
  ]);
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * The audit log of staff and administrative actions: who did what to what, when, in which town. A town
 * reads its own entries and its staff's account events; entries of other towns and of anonymous callers
 * (failed logins name the e-mail tried) are never shown to it.
 */
export function createAuditLog(db: Db, now: () => number) {
  const write = createAuditWriter(db);
  const list = db.prepare<Record<string, unknown>, { id: number; at: number; actor: string; action: string; target: string | null; detail: string }>(
    `SELECT id, at, actor, action, target, detail FROM audit_log
     WHERE (jurisdiction_id = @jurisdiction OR (jurisdiction_id IS NULL AND action IN (SELECT value FROM json_each(@accountActions))
            AND actor IN (SELECT 'staff:' || staff_id FROM staff_roles WHERE jurisdiction_id = @jurisdiction)))
       AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action LIKE @action || '%') AND id < @before
     ORDER BY id DESC LIMIT +@limit`,
  );
  return {
    record(entry: AuditRecord): void {
      write(Math.floor(now() / 1000), entry);
    },
    /** A town's entries, newest first, before the cursor `before` (an entry id). */
    list(jurisdictionId: string, filter: { actor: string | null; action: string | null }, before: number, limit: number) {
      return list
        .all({ ...filter, jurisdiction: jurisdictionId, accountActions: JSON.stringify(ACCOUNT_ACTIONS), before, limit })
        .map((e) => ({ ...e, id: String(e.id), at: formatDatetime(e.at), detail: JSON.parse(e.detail) as unknown }));
    },
  };
}
