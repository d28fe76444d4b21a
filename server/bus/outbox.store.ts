import type { Db } from '../db/database.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import type { BusApp } from './bus-apps.store.ts';
import { createBusPayloads, type BusEventOut, type BusRequest } from './payload.ts';

/** A message as an app receives it. */
export interface BusMessage {
  id: string;
  type: string;
  /** How many times it has been delivered, this one included. */
  attempt: number;
  created_at: string;
  /** Until when this delivery is the app's; unacknowledged by then, it is delivered again. */
  lease_expires_at: string | null;
  /** `pending`, `leased`, `acked` or `dead` (in history and dead letters). */
  state?: string;
  last_error?: string | null;
  event: BusEventOut | null;
  /** Null when the request no longer exists. */
  request: BusRequest | null;
}

interface MessageRowDb {
  id: number;
  request_id: number;
  event_id: number;
  type: string;
  created_at: number;
  lease_expires_at: number | null;
  attempts: number;
  acked_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}

export interface Backlog {
  pending: number;
  leased: number;
  dead: number;
  /** Held for moderation (deferred apps). */
  held: number;
  oldest: string | null;
}

const MESSAGE_COLUMNS = 'id, request_id, event_id, type, created_at, lease_expires_at, attempts, acked_at, dead_at, last_error';

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/**
 * The bus outbox, per app: messages leased in order (a request's messages one at a time, so an app never
 * sees an update before the creation it follows), acknowledged, refused for later, dead after too many
 * deliveries, replayed. Every change is one transaction.
 */
export function createOutboxStore(db: Db, mediaBase: string) {
  const payloads = createBusPayloads(db, mediaBase);
  const expire = db.prepare(
    `UPDATE bus_messages SET dead_at = @now, last_error = coalesce(last_error, 'not acknowledged')
     WHERE app_id = @app AND acked_at IS NULL AND dead_at IS NULL AND lease_expires_at IS NOT NULL AND lease_expires_at <= @now
       AND attempts >= @max`,
  );
  const next = db.prepare<Record<string, number>, { id: number }>(
    `SELECT m.id FROM bus_messages m JOIN requests r ON r.id = m.request_id
     WHERE m.app_id = @app AND m.acked_at IS NULL AND m.dead_at IS NULL AND m.available_at <= @now
       AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= @now)
       AND (@deferred = 0 OR r.visibility = 'published')
       AND NOT EXISTS (SELECT 1 FROM bus_messages e WHERE e.app_id = m.app_id AND e.request_id = m.request_id AND e.id < m.id
         AND e.acked_at IS NULL AND e.dead_at IS NULL)
     ORDER BY m.id LIMIT +@max`,
  );
  const lease = db.prepare<[number, string], MessageRowDb>(
    `UPDATE bus_messages SET lease_expires_at = ?, attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))
     RETURNING ${MESSAGE_COLUMNS}`,
  );
  const ack = db.prepare<[number, number, string], { id: number }>(
    `UPDATE bus_messages SET acked_at = ?, lease_expires_at = NULL
     WHERE app_id = ? AND id IN (SELECT value FROM json_each(?)) AND acked_at IS NULL AND dead_at IS NULL AND attempts > 0 RETURNING id`,
  );
  const one = db.prepare<[number, number], MessageRowDb>(`SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE app_id = ? AND id = ?`);
  const nack = db.prepare(
    `UPDATE bus_messages SET lease_expires_at = NULL, available_at = @until, last_error = @error,
       dead_at = CASE WHEN attempts >= @max THEN @now END
     WHERE app_id = @app AND id = @id AND acked_at IS NULL AND dead_at IS NULL AND attempts > 0`,
  );
  const dead = db.prepare<[number, number, number], MessageRowDb>(
    `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE app_id = ? AND dead_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
  );
  const replay = db.prepare<[number, number, string], { id: number }>(
    `UPDATE bus_messages SET dead_at = NULL, attempts = 0, available_at = ?, lease_expires_at = NULL, last_error = NULL
     WHERE app_id = ? AND id IN (SELECT value FROM json_each(?)) AND dead_at IS NOT NULL RETURNING id`,
  );
  const history = db.prepare<[number, number, number, number], MessageRowDb>(
    `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE app_id = ? AND created_at >= ? AND id > ? ORDER BY id LIMIT ?`,
  );
  const backlog = db.prepare<Record<string, number>, { pending: number; leased: number; dead: number; held: number; oldest: number | null }>(
    `SELECT
       count(*) FILTER (WHERE m.dead_at IS NULL AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= @now)
         AND (@deferred = 0 OR r.visibility = 'published')) AS pending,
       count(*) FILTER (WHERE m.dead_at IS NULL AND m.lease_expires_at > @now) AS leased,
       count(*) FILTER (WHERE m.dead_at IS NOT NULL) AS dead,
       count(*) FILTER (WHERE m.dead_at IS NULL AND @deferred = 1 AND r.visibility <> 'published') AS held,
       min(m.created_at) FILTER (WHERE m.dead_at IS NULL) AS oldest
     FROM bus_messages m JOIN requests r ON r.id = m.request_id WHERE m.app_id = @app AND m.acked_at IS NULL`,
  );

  const state = (m: MessageRowDb, now: number) =>
    m.acked_at !== null ? 'acked' : m.dead_at !== null ? 'dead' : m.lease_expires_at !== null && m.lease_expires_at > now ? 'leased' : 'pending';

  /** Messages as delivered: each with its event and its request, read now. */
  function render(rows: MessageRowDb[], now: number, withState: boolean): BusMessage[] {
    const requests = payloads.requests(rows.map((m) => m.request_id));
    const events = payloads.events(rows.map((m) => m.event_id));
    return rows.map((m) => ({
      id: String(m.id), type: m.type, attempt: m.attempts, created_at: formatDatetime(m.created_at),
      lease_expires_at: m.lease_expires_at === null ? null : formatDatetime(m.lease_expires_at),
      ...(withState ? { state: state(m, now), last_error: m.last_error } : {}),
      event: events.get(m.event_id) ?? null, request: requests.get(m.request_id) ?? null,
    }));
  }

  return {
    /** Leases up to `max` messages for `leaseSeconds`; messages delivered `maxAttempts` times without an ack die first. */
    lease: db.transaction((app: BusApp, max: number, leaseSeconds: number, now: number): BusMessage[] => {
      expire.run({ app: app.id, max: app.maxAttempts, now });
      const ids = next.all({ app: app.id, now, max, deferred: app.delivery === 'deferred' ? 1 : 0 }).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = lease.all(now + leaseSeconds, JSON.stringify(ids)).sort((a, b) => a.id - b.id);
      return render(rows, now, false);
    }),
    /** Acknowledges delivered messages; returns those acknowledged now (others were unknown, or done already). */
    ack(appId: number, ids: number[], now: number): number[] {
      return ack.all(now, appId, JSON.stringify(ids)).map((r) => r.id);
    },
    /** Hands a delivered message back, to be delivered again in `retryAfter` seconds (or dead, past its attempts). */
    nack: db.transaction((app: BusApp, id: number, retryAfter: number, error: string | null, now: number): 'retry' | 'dead' | undefined => {
      const changed = nack.run({ app: app.id, id, until: now + retryAfter, error, max: app.maxAttempts, now }).changes;
      if (!changed) return undefined;
      return one.get(app.id, id)!.dead_at !== null ? 'dead' : 'retry';
    }),
    deadLetters(appId: number, after: number, limit: number, now: number): BusMessage[] {
      return render(dead.all(appId, after, limit), now, true);
    },
    /** Gives dead messages a new life: delivered again from now, attempts from zero. */
    replay(appId: number, ids: number[], now: number): number[] {
      return replay.all(now, appId, JSON.stringify(ids)).map((r) => r.id);
    },
    /** Every message from `since` (Unix seconds) on, after the cursor `after`, in order, whatever its state; nothing is leased. */
    history(appId: number, since: number, after: number, limit: number, now: number): BusMessage[] {
      return render(history.all(appId, since, after, limit), now, true);
    },
    backlog(app: BusApp, now: number): Backlog {
      const b = backlog.get({ app: app.id, now, deferred: app.delivery === 'deferred' ? 1 : 0 })!;
      return { ...b, oldest: b.oldest === null ? null : formatDatetime(b.oldest) };
    },
  };
}
