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

const INSERT = 'INSERT INTO audit_log (at, jurisdiction_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)';
const values = (at: number, e: AuditRecord) => [at, e.jurisdictionId, e.actor, e.action, e.target, JSON.stringify(e.detail ?? {})];

/**
 * Writes one audit entry through `db`: the engine, or the handle of the transaction whose change it
 * records (keys, bus apps, assignments, the retention purge). `at`: Unix seconds.
 */
export async function writeAudit(db: Queryable, at: number, e: AuditRecord): Promise<void> {
  await db.run(INSERT, values(at, e));
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * The audit log of staff and administrative actions: who did what to what, when, in which town. A town
 * reads its own entries and its staff's account events; entries of other towns and of anonymous callers
 * (failed logins name the e-mail tried) are never shown to it. The action filter is a prefix, matched
 * as SQLite's LIKE matches it on both engines (ASCII case ignored, `%` and `_` wildcards, no escape).
 */
export function createAuditLog(db: Queryable, now: () => number) {
  const list = `SELECT id, at, actor, action, target, detail FROM audit_log
     WHERE (jurisdiction_id = @jurisdiction OR (jurisdiction_id IS NULL AND action IN (${ACCOUNT_ACTIONS.map((a) => `'${a}'`).join(', ')})
            AND actor IN (SELECT 'staff:' || staff_id FROM staff_roles WHERE jurisdiction_id = @jurisdiction)))
       AND (CAST(@actor AS TEXT) IS NULL OR actor = @actor)
       AND (CAST(@action AS TEXT) IS NULL OR lower(action) LIKE lower(@action) || '%' ESCAPE '!') AND id < @before
     ORDER BY id DESC LIMIT @limit`;
  return {
    /** Writes `entry` now; `tx`: the transaction it belongs to, when it is part of one. */
    async record(entry: AuditRecord, tx: Queryable = db): Promise<void> {
      await writeAudit(tx, Math.floor(now() / 1000), entry);
    },
    /** A town's entries, newest first, before the cursor `before` (an entry id). */
    async list(jurisdictionId: string, filter: { actor: string | null; action: string | null }, before: number, limit: number) {
      // `!` is the escape character on both engines (PostgreSQL's default, `\`, is none on SQLite).
      const action = filter.action?.replace(/!/g, '!!') ?? null;
      const rows = await db.query<{ id: number; at: number; actor: string; action: string; target: string | null; detail: string }>(
        list, { actor: filter.actor, action, jurisdiction: jurisdictionId, before, limit },
      );
      return rows.map((e) => ({ ...e, id: String(e.id), at: formatDatetime(e.at), detail: JSON.parse(e.detail) as unknown }));
    },
  };
}
