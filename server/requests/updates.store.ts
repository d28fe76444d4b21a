import type { Queryable } from '../db/engine.ts';
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

const EXISTING = 'SELECT id FROM request_events WHERE actor = ? AND update_id = ?';
const TARGET = 'SELECT updated_at FROM requests WHERE id = ? AND jurisdiction_id = ? AND queued = 0';
// Nothing is inserted (and no id returned) when the same update was recorded meanwhile: PostgreSQL runs
// two transactions side by side (a CRM retrying), where SQLite runs one after the other.
const INSERT = `INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, update_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`;
// Flags are compared to 1 and NULL tests cast (PostgreSQL has no integer truth and cannot type a
// placeholder only tested for NULL); SQLite reads them alike.
const APPLY = `UPDATE requests SET
       detailed_status = coalesce(@detailed, detailed_status),
       status = coalesce(@status, status),
       status_notes = CASE WHEN @public = 1 AND CAST(@note AS TEXT) IS NOT NULL THEN @note ELSE status_notes END,
       expected_at = coalesce(@expected, expected_at),
       updated_at = CASE WHEN @public = 1 OR CAST(@detailed AS TEXT) IS NOT NULL THEN @now ELSE updated_at END
     WHERE id = @id`;
const PUBLIC_UPDATES = `SELECT e.id, e.request_id, e.type, coalesce(e.detailed_status, r.detailed_status) AS detailed_status, e.note, e.created_at
     FROM request_events e JOIN requests r ON r.id = e.request_id
     WHERE r.jurisdiction_id = ? AND r.visibility = 'published' AND r.queued = 0
       AND e.public = 1 AND e.type IN ('status', 'note') AND e.created_at BETWEEN ? AND ?
     ORDER BY e.created_at, e.id LIMIT ?`;

type Added = { eventId: number; duplicate: boolean };

/** The values of an update's event and of its change to the request, once its request's last change is known. */
function plan(u: NewUpdate, updatedAt: number) {
  // Time never runs backwards: a backdated update would reorder the timeline and, moving `updated_at`
  // into the past, hand a closed request's reporter to the retention purge early.
  const at = Math.max(u.now, updatedAt);
  const type = u.detailedStatus === null ? 'note' : 'status';
  return {
    event: [u.requestId, type, u.detailedStatus, u.note, u.public ? 1 : 0, u.actor, u.updateId, at],
    apply: {
      id: u.requestId,
      detailed: u.detailedStatus,
      status: u.detailedStatus && coreStatus(u.detailedStatus),
      public: u.public ? 1 : 0,
      note: u.note,
      expected: u.expectedAt,
      now: at,
    },
  };
}

export type UpdatesStore = ReturnType<typeof createUpdatesStore>;

/**
 * Status changes and notes on requests: the one way a request's status moves, whoever moves it. Build
 * it on a transaction's handle to record an update within that transaction.
 *
 * Rules kept outside this store, on the events it inserts: the e-mails owed to followers by SQLite's
 * trigger `notifications_on_status` (migration 009) and PostgreSQL's function `notifications_on_status()`
 * (pg-migrations/009); the bus messages by the trigger `bus_outbox` (migration 011) and the function
 * `bus_outbox()` (pg-migrations/006, 011); the cache versions by the `requests_*_version` triggers and
 * `bump_cache_version` (pg-migrations/003, 005).
 */
export function createUpdatesStore(db: Queryable) {
  return {
    /**
     * Records an update and applies it to the request, atomically. Returns the event id and whether it
     * was already recorded (same actor and `updateId`); undefined when the request does not exist.
     */
    add: (u: NewUpdate): Promise<Added | undefined> =>
      db.transaction(async (tx) => {
        if (u.updateId !== null) {
          const seen = await tx.one<{ id: number }>(EXISTING, [u.actor, u.updateId]);
          if (seen) return { eventId: seen.id, duplicate: true };
        }
        const request = await tx.one<{ updated_at: number }>(TARGET, [u.requestId, u.jurisdictionId]);
        if (!request) return undefined;
        const { event, apply } = plan(u, request.updated_at);
        const eventId = (await tx.run(INSERT, event)).lastId;
        if (eventId === undefined) return { eventId: (await tx.one<{ id: number }>(EXISTING, [u.actor, u.updateId]))!.id, duplicate: true };
        await tx.run(APPLY, apply);
        return { eventId, duplicate: false };
      }),

    /** Public status changes and notes of a jurisdiction's public requests made within [from, to], oldest first. */
    async publicUpdates(jurisdictionId: string, from: number, to: number, limit: number): Promise<PublicEvent[]> {
      const rows = await db.query<{ id: number; request_id: number; type: string; detailed_status: DetailedStatus | null; note: string | null; created_at: number }>(
        PUBLIC_UPDATES, [jurisdictionId, from, to, limit],
      );
      return rows.map((e) => ({
        id: e.id, requestId: e.request_id, type: e.type, detailedStatus: e.detailed_status, note: e.note, at: e.created_at,
      }));
    },
  };
}
