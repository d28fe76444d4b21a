import type { Queryable } from '../db/engine.ts';
import { jsonIds } from '../db/json-lists.ts';
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

/** The texts of the outbox's statements on one engine (they differ in their id lists, planner hints and locks). */
function statements(db: Pick<Queryable, 'kind'>) {
  const sqlite = db.kind === 'sqlite';
  const ids = jsonIds(db, '?');
  return {
    /**
     * A lease holds the app's row until its transaction ends, so two leases of one app (two polls, a poll
     * and a webhook push, two servers) take turns and never hand out the same message. `NO KEY UPDATE`:
     * the messages written meanwhile check their reference to the app (`KEY SHARE`), which a plain
     * `FOR UPDATE` would make wait for the lease, and a lease wait for a filing still open. SQLite needs
     * none: its transactions take the write lock at once (BEGIN IMMEDIATE).
     */
    lock: sqlite ? null : 'SELECT id FROM bus_apps WHERE id = ? FOR NO KEY UPDATE',
    expire: `UPDATE bus_messages SET dead_at = @now, last_error = coalesce(last_error, 'not acknowledged')
      WHERE app_id = @app AND acked_at IS NULL AND dead_at IS NULL AND lease_expires_at IS NOT NULL AND lease_expires_at <= @now
        AND attempts >= @max`,
    // `+@max` keeps SQLite from planning again for each limit; PostgreSQL has no such hint. Not a cursor:
    // every lease looks at all open messages, so one committed late is taken by the next lease. A
    // request's messages are numbered in commit order (on PostgreSQL, `bus_outbox()` locks the request
    // first: pg-migrations/016), so the one `e.id < m.id` waits for is never committed after `m`.
    next: `SELECT m.id FROM bus_messages m JOIN requests r ON r.id = m.request_id
      WHERE m.app_id = @app AND m.acked_at IS NULL AND m.dead_at IS NULL AND m.available_at <= @now
        AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= @now)
        AND (@deferred = 0 OR r.visibility = 'published')
        AND NOT EXISTS (SELECT 1 FROM bus_messages e WHERE e.app_id = m.app_id AND e.request_id = m.request_id AND e.id < m.id
          AND e.acked_at IS NULL AND e.dead_at IS NULL)
      ORDER BY m.id LIMIT ${sqlite ? '+@max' : '@max'}`,
    // Still open when leased: an ack committed meanwhile (by another server) is not delivered again.
    lease: `UPDATE bus_messages SET lease_expires_at = ?, attempts = attempts + 1
      WHERE id IN (${ids}) AND acked_at IS NULL AND dead_at IS NULL RETURNING ${MESSAGE_COLUMNS}`,
    // Exactly once: of two acks of one message, the second finds it acknowledged (on PostgreSQL, once the
    // first has committed) and returns nothing.
    ack: `UPDATE bus_messages SET acked_at = ?, lease_expires_at = NULL
      WHERE app_id = ? AND id IN (${ids}) AND acked_at IS NULL AND dead_at IS NULL AND attempts > 0 RETURNING id`,
    nack: `UPDATE bus_messages SET lease_expires_at = NULL, available_at = @until, last_error = @error,
        dead_at = CASE WHEN attempts >= @max THEN CAST(@now AS bigint) END
      WHERE app_id = @app AND id = @id AND acked_at IS NULL AND dead_at IS NULL AND attempts > 0 RETURNING dead_at`,
    // An operator's list, not a feed: a message dies (an update) at any time, whatever its id, so a page's
    // cursor may pass one that dies later; it is in every list read again from the start, until replayed.
    dead: `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE app_id = ? AND dead_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
    replay: `UPDATE bus_messages SET dead_at = NULL, attempts = 0, available_at = ?, lease_expires_at = NULL, last_error = NULL
      WHERE app_id = ? AND id IN (${ids}) AND dead_at IS NOT NULL RETURNING id`,
    /**
     * A feed a CRM re-reads with a cursor (the last id it was given), so no message may commit behind it.
     * SQLite commits one writer at a time, in id order. PostgreSQL does not (message 11 may commit before
     * message 10), so it reads in the order of the writing transactions (`txid`, then id) and only the
     * messages of transactions older than every one still running (the snapshot's `xmin`): any message
     * committed later has a `txid` at or past that horizon, after the cursor. The cursor's own `txid` is
     * looked up by id (a cursor whose message is gone starts again from `since`: read twice, never missed).
     */
    history: sqlite
      ? `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE app_id = @app AND created_at >= @since AND id > @after ORDER BY id LIMIT @limit`
      : `SELECT ${MESSAGE_COLUMNS} FROM bus_messages
        WHERE app_id = @app AND created_at >= @since
          AND (txid, id) > (coalesce((SELECT c.txid FROM bus_messages c WHERE c.id = @after AND c.app_id = @app), 0), @after)
          AND txid < CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)
        ORDER BY txid, id LIMIT @limit`,
    backlog: `SELECT
        count(*) FILTER (WHERE m.dead_at IS NULL AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= @now)
          AND (@deferred = 0 OR r.visibility = 'published')) AS pending,
        count(*) FILTER (WHERE m.dead_at IS NULL AND m.lease_expires_at > @now) AS leased,
        count(*) FILTER (WHERE m.dead_at IS NOT NULL) AS dead,
        count(*) FILTER (WHERE m.dead_at IS NULL AND @deferred = 1 AND r.visibility <> 'published') AS held,
        min(m.created_at) FILTER (WHERE m.dead_at IS NULL) AS oldest
      FROM bus_messages m JOIN requests r ON r.id = m.request_id WHERE m.app_id = @app AND m.acked_at IS NULL`,
  };
}

const byId = (a: number, b: number) => a - b;

/**
 * The bus outbox, per app: messages leased in order (a request's messages one at a time, so an app never
 * sees an update before the creation it follows), acknowledged, refused for later, dead after too many
 * deliveries, replayed. Every change is one statement or one transaction. Messages are written with their
 * event by `bus_outbox` (a trigger on SQLite; its plpgsql twin on PostgreSQL, migrations 006, 011 and 016,
 * where it also locks the request, for per-request order across servers, and wakes long polls).
 */
export function createOutboxStore(db: Queryable, mediaBase: string) {
  const sql = statements(db);

  const state = (m: MessageRowDb, now: number) =>
    m.acked_at !== null ? 'acked' : m.dead_at !== null ? 'dead' : m.lease_expires_at !== null && m.lease_expires_at > now ? 'leased' : 'pending';

  /** Messages as delivered: each with its event and its request, read now (through `on`, the lease's transaction). */
  async function render(on: Queryable, rows: MessageRowDb[], now: number, withState: boolean): Promise<BusMessage[]> {
    const payloads = createBusPayloads(on, mediaBase);
    const requests = await payloads.requests(rows.map((m) => m.request_id));
    const events = await payloads.events(rows.map((m) => m.event_id));
    return rows.map((m) => ({
      id: String(m.id), type: m.type, attempt: m.attempts, created_at: formatDatetime(m.created_at),
      lease_expires_at: m.lease_expires_at === null ? null : formatDatetime(m.lease_expires_at),
      ...(withState ? { state: state(m, now), last_error: m.last_error } : {}),
      event: events.get(m.event_id) ?? null, request: requests.get(m.request_id) ?? null,
    }));
  }

  return {
    /** Leases up to `max` messages for `leaseSeconds`; messages delivered `maxAttempts` times without an ack die first. */
    lease: (app: BusApp, max: number, leaseSeconds: number, now: number): Promise<BusMessage[]> =>
      db.transaction(async (tx) => {
        if (sql.lock) await tx.one(sql.lock, [app.id]);
        await tx.run(sql.expire, { app: app.id, max: app.maxAttempts, now });
        const next = await tx.query<{ id: number }>(sql.next, { app: app.id, now, max, deferred: app.delivery === 'deferred' ? 1 : 0 });
        if (next.length === 0) return [];
        const rows = (await tx.query<MessageRowDb>(sql.lease, [now + leaseSeconds, JSON.stringify(next.map((r) => r.id))])).sort((a, b) => a.id - b.id);
        return render(tx, rows, now, false);
      }),
    /** Acknowledges delivered messages; returns those acknowledged now (others were unknown, or done already), in id order. */
    async ack(appId: number, ids: number[], now: number): Promise<number[]> {
      return (await db.query<{ id: number }>(sql.ack, [now, appId, JSON.stringify(ids)])).map((r) => r.id).sort(byId);
    },
    /** Hands a delivered message back, to be delivered again in `retryAfter` seconds (or dead, past its attempts). */
    async nack(app: BusApp, id: number, retryAfter: number, error: string | null, now: number): Promise<'retry' | 'dead' | undefined> {
      const row = await db.one<{ dead_at: number | null }>(sql.nack, { app: app.id, id, until: now + retryAfter, error, max: app.maxAttempts, now });
      if (!row) return undefined;
      return row.dead_at !== null ? 'dead' : 'retry';
    },
    async deadLetters(appId: number, after: number, limit: number, now: number): Promise<BusMessage[]> {
      return render(db, await db.query<MessageRowDb>(sql.dead, [appId, after, limit]), now, true);
    },
    /** Gives dead messages a new life: delivered again from now, attempts from zero. Returns their ids, in order. */
    async replay(appId: number, ids: number[], now: number): Promise<number[]> {
      return (await db.query<{ id: number }>(sql.replay, [now, appId, JSON.stringify(ids)])).map((r) => r.id).sort(byId);
    },
    /** Every message from `since` (Unix seconds) on, after the cursor `after`, in commit order, whatever its state; nothing is leased. */
    async history(appId: number, since: number, after: number, limit: number, now: number): Promise<BusMessage[]> {
      return render(db, await db.query<MessageRowDb>(sql.history, { app: appId, since, after, limit }), now, true);
    },
    async backlog(app: BusApp, now: number): Promise<Backlog> {
      const b = (await db.one<Omit<Backlog, 'oldest'> & { oldest: number | null }>(sql.backlog, { app: app.id, now, deferred: app.delivery === 'deferred' ? 1 : 0 }))!;
      return { ...b, oldest: b.oldest === null ? null : formatDatetime(b.oldest) };
    },
  };
}
