import type { Queryable } from '../db/engine.ts';

export type AlertKind = 'silent' | 'failing' | 'dead_letter' | 'sla';
export type Alert = { id: number; app_id: number; kind: AlertKind; message: string; created_at: number };

// `ON CONFLICT (key) DO NOTHING` (SQLite's INSERT OR IGNORE, spelt so that PostgreSQL reads it too): a
// cause already raised, by this server or another, is not raised twice. The NOT EXISTS spares
// PostgreSQL a sequence value per cause raised again (every minute), so alert ids run as on SQLite.
const RAISE = `INSERT INTO bus_alerts (app_id, kind, key, message, created_at)
  SELECT @app, @kind, @key, @message, @now WHERE NOT EXISTS (SELECT 1 FROM bus_alerts WHERE key = @key)
  ON CONFLICT (key) DO NOTHING`;
const UNSENT = 'SELECT id, app_id, kind, message, created_at FROM bus_alerts WHERE sent_at IS NULL ORDER BY id LIMIT 50';
const SENT = 'UPDATE bus_alerts SET sent_at = ? WHERE id = ?';
const FAILING = 'SELECT count(*) AS n FROM bus_messages WHERE app_id = ? AND acked_at IS NULL AND dead_at IS NULL AND attempts >= ?';
const DEAD = 'SELECT count(*) AS n, max(id) AS newest FROM bus_messages WHERE app_id = ? AND dead_at IS NOT NULL';
const LATE = `SELECT r.id, r.expected_at FROM requests r
  WHERE r.id IN (SELECT DISTINCT request_id FROM bus_messages WHERE app_id = ?)
    AND r.detailed_status = 'received' AND r.expected_at < ? ORDER BY r.expected_at, r.id LIMIT 100`;

export type BusAlertsStore = ReturnType<typeof createBusAlertsStore>;

/** The bus alerts raised and sent, and what the alerts job reads to find new causes. No trigger writes `bus_alerts`. */
export function createBusAlertsStore(db: Queryable) {
  return {
    /** Raises an alert once per `key`; resolves to whether it is new. */
    async raise(appId: number, kind: AlertKind, key: string, message: string, now: number): Promise<boolean> {
      return (await db.run(RAISE, { app: appId, kind, key, message, now })).changes > 0;
    },
    /** Alerts not sent yet, oldest first (50 at a time). */
    unsent: () => db.query<Alert>(UNSENT),
    async markSent(id: number, now: number): Promise<void> {
      await db.run(SENT, [now, id]);
    },
    /** Open messages of the app delivered `attempts` times or more. */
    async failing(appId: number, attempts: number): Promise<number> {
      return (await db.one<{ n: number }>(FAILING, [appId, attempts]))!.n;
    },
    /** The app's dead letters: how many, and the newest id (null: none). */
    async dead(appId: number): Promise<{ n: number; newest: number | null }> {
      return (await db.one<{ n: number; newest: number | null }>(DEAD, [appId]))!;
    },
    /** Requests sent to the app, still "received" past their due date (earliest due first, 100 at most). */
    late: (appId: number, now: number) => db.query<{ id: number; expected_at: number }>(LATE, [appId, now]),
  };
}
