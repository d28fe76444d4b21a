import type { Queryable } from '../db/engine.ts';
import { writeAudit } from './audit-log.ts';

/** A staff member as assignments name them: the audit log and the lists carry the name with the id. */
export interface StaffRef {
  id: number;
  name: string;
}

export interface Assignment {
  jurisdictionId: string;
  /** Requests of that town (checked by the caller). */
  ids: number[];
  /** Who gets them; null takes them from whoever has them. */
  to: StaffRef | null;
  by: StaffRef;
  /** Whether the server sends e-mail: the assignee is then told, unless they assigned themselves. */
  mail: boolean;
  /** Recorded in each audit entry's detail (a bulk action says so). */
  detail?: object;
  now: number;
}

export type AssignmentStore = ReturnType<typeof createAssignmentStore>;

/**
 * Requests given to a person. Each change is one audit entry naming who had the request and who has it
 * now; a request already with that person is left alone (nothing audited, nobody told twice). The
 * assignee's e-mail (one for every request of the call) is queued in the same transaction, so it is
 * neither lost nor owed for an assignment that did not happen. Triggers of its tables: the rule that
 * takes requests from staff who lose their role in a town is SQLite's `staff_roles_unassign_*` triggers,
 * and plpgsql's `staff_roles_unassign()` (pg-migrations/011-assignment.ts) on PostgreSQL.
 */
export function createAssignmentStore(db: Queryable) {
  const named = (s: StaffRef | null) => s && { id: String(s.id), name: s.name };

  return {
    /** Applies an assignment; returns the ids whose assignee changed. Called on a transaction's handle, it becomes part of it. */
    assign: (a: Assignment): Promise<number[]> =>
      db.transaction(async (tx) => {
        const changed: number[] = [];
        for (const id of a.ids) {
          const was = (await tx.one<{ assignee_id: number | null; name: string | null }>(
            'SELECT r.assignee_id, u.name FROM requests r LEFT JOIN staff_users u ON u.id = r.assignee_id WHERE r.id = ?', [id],
          ))!;
          if (was.assignee_id === (a.to?.id ?? null)) continue;
          await tx.run('UPDATE requests SET assignee_id = ? WHERE id = ?', [a.to?.id ?? null, id]);
          const from = was.assignee_id === null ? null : { id: was.assignee_id, name: was.name ?? '' };
          await writeAudit(tx, a.now, {
            jurisdictionId: a.jurisdictionId, actor: `staff:${a.by.id}`, action: 'request.assignee', target: `request:${id}`,
            detail: { from: named(from), to: named(a.to), ...a.detail },
          });
          changed.push(id);
        }
        if (a.mail && a.to && a.to.id !== a.by.id && changed.length > 0) {
          await tx.run(
            'INSERT INTO assignment_mails (staff_id, jurisdiction_id, assigned_by, request_ids, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)',
            [a.to.id, a.jurisdictionId, a.by.id, JSON.stringify(changed), a.now, a.now],
          );
        }
        return changed;
      }),
  };
}
