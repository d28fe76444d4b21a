import type { Queryable } from '../db/engine.ts';
import { JsonError } from '../http/json-error.ts';
import type { DetailedStatus } from '../requests/requests.types.ts';
import { createUpdatesStore } from '../requests/updates.store.ts';
import { createAssignmentStore, type StaffRef } from './assignment.store.ts';
import type { AuditLog } from './audit-log.ts';
import { createCaseworkStore, mergeRefusals } from './casework.store.ts';
import { createInboxStore } from './inbox.store.ts';

/** One action on a selection, with what it needs (validated by the route). */
export type BulkAction =
  | { action: 'assign'; to: StaffRef | null }
  | { action: 'status'; detailedStatus: DetailedStatus; note: string | null }
  | { action: 'publish' }
  | { action: 'reject'; reason: string }
  | { action: 'merge'; into: number };

export interface BulkDeps {
  engine: Queryable;
  audit: AuditLog;
}

/**
 * Bulk actions on a selection of a town's requests, all or nothing: every request is checked first and,
 * if one is not of the town or not in a state the action applies to, the call is refused (404 or 409)
 * with a problem naming each one at fault, and nothing changes. Otherwise each request changes as the
 * single action would change it (history, audit entry marked `bulk`, followers' e-mails, the bus), in one
 * transaction. A status change queues one e-mail per follower of each request (a resident following
 * two of the requests hears about each, as they asked); a selection naming a request twice acts once.
 * The stores are built on the transaction's handle, so that every statement is part of it.
 */
export function createBulkActions(deps: BulkDeps) {
  const { audit } = deps;

  /** The refusals of a selection for an action: [status, problems], or undefined when all may go. */
  async function refusals(tx: Queryable, jurisdictionId: string, ids: number[], a: BulkAction): Promise<[404 | 409, string[]] | undefined> {
    const found = await createInboxStore(tx).targets(jurisdictionId, a.action === 'merge' ? [...ids, a.into] : ids);
    const missing = [...ids, ...(a.action === 'merge' ? [a.into] : [])].filter((id) => !found.has(id));
    if (missing.length) return [404, missing.map((id) => `request ${id} is not a request of ${jurisdictionId}`)];
    const conflicts: string[] = [];
    for (const id of ids) {
      const r = found.get(id)!;
      if (a.action === 'publish' && r.visibility !== 'pending') conflicts.push(`request ${id} is not waiting for moderation`);
    }
    if (a.action === 'merge') {
      const merged = ids.filter((id) => id !== a.into).map((id) => ({ id, duplicateOf: found.get(id)!.duplicateOf }));
      conflicts.push(...mergeRefusals(merged, { id: a.into, duplicateOf: found.get(a.into)!.duplicateOf }));
      if (ids.every((id) => id === a.into)) conflicts.push('a merge needs at least one request besides the one kept');
    }
    return conflicts.length ? [409, conflicts] : undefined;
  }

  /** Applies one request's change and its audit entry (assignments audit themselves). */
  async function apply(tx: Queryable, jurisdictionId: string, id: number, a: Exclude<BulkAction, { action: 'assign' }>, by: StaffRef, now: number) {
    const actor = `staff:${by.id}`;
    const casework = createCaseworkStore(tx);
    const record = (action: string, detail: object = {}) =>
      audit.record({ jurisdictionId, actor, action, target: `request:${id}`, detail: { ...detail, bulk: true } }, tx);
    switch (a.action) {
      case 'status':
        await createUpdatesStore(tx).add({ jurisdictionId, requestId: id, detailedStatus: a.detailedStatus, note: a.note, public: true, actor, updateId: null, expectedAt: null, now });
        return record('request.status', { detailed_status: a.detailedStatus });
      case 'publish':
        await casework.publish(id, actor, now);
        return record('request.publish');
      case 'reject':
        await casework.reject(id, a.reason, actor, now);
        return record('request.reject', { reason: a.reason });
      case 'merge':
        if (id === a.into) return undefined;
        await casework.merge(id, a.into, actor, now);
        return record('request.merge', { into: a.into });
    }
  }

  return {
    /** Runs `a` on `ids` (requests of `jurisdictionId`) for `by`; returns the ids it changed. Throws JsonError when refused. */
    run: (jurisdictionId: string, ids: number[], a: BulkAction, by: StaffRef, options: { mail: boolean; now: number }): Promise<number[]> =>
      deps.engine.transaction(async (tx) => {
        const unique = [...new Set(ids)];
        const refused = await refusals(tx, jurisdictionId, unique, a);
        if (refused) {
          const [status, problems] = refused;
          const what = status === 404 ? `not requests of ${jurisdictionId}` : `in a state this action does not apply to`;
          throw new JsonError(status, `nothing was done: ${problems.length} of the selection ${problems.length === 1 ? 'is' : 'are'} ${what}`, problems);
        }
        if (a.action === 'assign') {
          return createAssignmentStore(tx).assign({ jurisdictionId, ids: unique, to: a.to, by, mail: options.mail, detail: { bulk: true }, now: options.now });
        }
        for (const id of unique) await apply(tx, jurisdictionId, id, a, by, options.now);
        return a.action === 'merge' ? unique.filter((id) => id !== a.into) : unique;
      }),
  };
}
