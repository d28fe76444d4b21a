import type { Db } from '../db/database.ts';
import { formatDatetime } from '../georeport/datetime.ts';

export type AuditLog = ReturnType<typeof createAuditLog>;

/** The audit log of staff and administrative actions: who did what to what, when. */
export function createAuditLog(db: Db, now: () => number) {
  const insert = db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  const list = db.prepare<Record<string, unknown>, { id: number; at: number; actor: string; action: string; target: string | null; detail: string }>(
    `SELECT id, at, actor, action, target, detail FROM audit_log
     WHERE (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action LIKE @action || '%') AND id < @before
     ORDER BY id DESC LIMIT +@limit`,
  );
  return {
    record(actor: string, action: string, target: string | null, detail: object = {}): void {
      insert.run(Math.floor(now() / 1000), actor, action, target, JSON.stringify(detail));
    },
    /** Newest first, before the cursor `before` (an entry id). */
    list(filter: { actor: string | null; action: string | null }, before: number, limit: number) {
      return list.all({ ...filter, before, limit }).map((e) => ({ ...e, id: String(e.id), at: formatDatetime(e.at), detail: JSON.parse(e.detail) as unknown }));
    },
  };
}
