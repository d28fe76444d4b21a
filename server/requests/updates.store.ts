import type { Db } from '../db/database.ts';
import { coreStatus, type DetailedStatus, type PublicEvent } from './requests.types.ts';

export interface NewUpdate {
  jurisdictionId: string;
  requestId: number;
  /** A new status, or null for a note alone. */
  detailedStatus: DetailedStatus | null;
  note: string | null;
  /** Public updates join the request's timeline and set its `status_notes`. */
  public: boolean;
  /** Who made it (`api:3`, `staff:7`, `bus:crm`): with `updateId`, the idempotency scope. */
  actor: string;
  /** The sender's own id for this update: sending it again changes nothing. */
  updateId: string | null;
  expectedAt: number | null;
  /** When it happened (a sender may date it); never earlier than the request's last change. */
  now: number;
}

export type UpdatesStore = ReturnType<typeof createUpdatesStore>;

/** Status changes and notes on requests: the one way a request's status moves, whoever moves it. */
export function createUpdatesStore(db: Db) {
  const existing = db.prepare<[string, string], { id: number }>('SELECT id FROM request_events WHERE actor = ? AND update_id = ?');
  const target = db.prepare<[number, string], { updated_at: number }>('SELECT updated_at FROM requests WHERE id = ? AND jurisdiction_id = ? AND queued = 0');
  const insert = db.prepare<unknown[], { id: number }>(
    `INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, update_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const apply = db.prepare(
    `UPDATE requests SET
       detailed_status = coalesce(@detailed, detailed_status),
       status = coalesce(@status, status),
       status_notes = CASE WHEN @public AND @note IS NOT NULL THEN @note ELSE status_notes END,
       expected_at = coalesce(@expected, expected_at),
       updated_at = CASE WHEN @public OR @detailed IS NOT NULL THEN @now ELSE updated_at END
     WHERE id = @id`,
  );
  const publicUpdates = db.prepare<[string, number, number, number], { id: number; request_id: number; type: string; detailed_status: DetailedStatus | null; note: string | null; created_at: number }>(
    `SELECT e.id, e.request_id, e.type, coalesce(e.detailed_status, r.detailed_status) AS detailed_status, e.note, e.created_at
     FROM request_events e JOIN requests r ON r.id = e.request_id
     WHERE r.jurisdiction_id = ? AND r.visibility = 'published' AND r.queued = 0
       AND e.public = 1 AND e.type IN ('status', 'note') AND e.created_at BETWEEN ? AND ?
     ORDER BY e.created_at, e.id LIMIT ?`,
  );

  return {
    /**
     * Records an update and applies it to the request, atomically. Returns the event id and whether it
     * was already recorded (same actor and `updateId`); undefined when the request does not exist.
     */
    add: db.transaction((u: NewUpdate): { eventId: number; duplicate: boolean } | undefined => {
      if (u.updateId !== null) {
        const seen = existing.get(u.actor, u.updateId);
        if (seen) return { eventId: seen.id, duplicate: true };
      }
      const request = target.get(u.requestId, u.jurisdictionId);
      if (!request) return undefined;
      // Time never runs backwards: a backdated update would reorder the timeline and, moving `updated_at`
      // into the past, hand a closed request's reporter to the retention purge early.
      const at = Math.max(u.now, request.updated_at);
      const type = u.detailedStatus === null ? 'note' : 'status';
      const eventId = insert.get(u.requestId, type, u.detailedStatus, u.note, u.public ? 1 : 0, u.actor, u.updateId, at)!.id;
      apply.run({
        id: u.requestId,
        detailed: u.detailedStatus,
        status: u.detailedStatus && coreStatus(u.detailedStatus),
        public: u.public ? 1 : 0,
        note: u.note,
        expected: u.expectedAt,
        now: at,
      });
      return { eventId, duplicate: false };
    }),

    /** Public status changes and notes of a jurisdiction's public requests made within [from, to], oldest first. */
    publicUpdates(jurisdictionId: string, from: number, to: number, limit: number): PublicEvent[] {
      return publicUpdates.all(jurisdictionId, from, to, limit).map((e) => ({
        id: e.id, requestId: e.request_id, type: e.type, detailedStatus: e.detailed_status, note: e.note, at: e.created_at,
      }));
    },
  };
}
