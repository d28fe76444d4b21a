import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';

export interface AuditEntry {
  /** Null: the caller could not be told apart (no secret, or a wrong one). */
  appId: number | null;
  at: number;
  /** `in`: the app called us; `out`: we called the app (webhooks, alerts). */
  direction: 'in' | 'out';
  method: string;
  endpoint: string;
  status: number;
  /** The message or request ids the call was about. */
  ids: (string | number)[];
  durationMs: number;
  detail: string | null;
}

export type BusAuditStore = ReturnType<typeof createBusAuditStore>;

const INSERT = `INSERT INTO bus_audit (app_id, at, direction, method, endpoint, status, ids, duration_ms, detail)
  VALUES (@appId, @at, @direction, @method, @endpoint, @status, @ids, @durationMs, @detail)`;
// `+@limit` keeps SQLite from planning again for each limit; PostgreSQL has no such hint.
const list = (limit: string) => `SELECT id, app_id, at, direction, method, endpoint, status, ids, duration_ms, detail FROM bus_audit
  WHERE (CAST(@app AS bigint) IS NULL OR app_id = @app) AND (CAST(@unknown AS TEXT) IS NULL OR app_id IS NULL) AND at >= @since
  ORDER BY id DESC LIMIT ${limit}`;

/**
 * Every bus call, in and out, per app: what was asked, what came of it, how long it took. No trigger
 * writes these tables on either engine.
 */
export function createBusAuditStore(db: Queryable) {
  const LIST = list(db.kind === 'sqlite' ? '+@limit' : '@limit');
  return {
    async record(e: AuditEntry): Promise<void> {
      await db.run(INSERT, {
        appId: e.appId, at: e.at, direction: e.direction, method: e.method, endpoint: e.endpoint, status: e.status,
        ids: JSON.stringify(e.ids.slice(0, 500)), durationMs: e.durationMs, detail: e.detail?.slice(0, 500) ?? null,
      });
    },
    /** Entries newest first: of one app, or (`unknownOnly`) of the callers no app could be found for. */
    async list(filter: { appId: number | null; unknownOnly?: boolean }, since: number, limit: number) {
      const rows = await db.query(LIST, { app: filter.appId, unknown: filter.unknownOnly ? 1 : null, since, limit });
      return rows.map((r) => ({
        id: Number(r.id), app_id: r.app_id as number | null, at: formatDatetime(Number(r.at)), direction: String(r.direction),
        method: String(r.method), endpoint: String(r.endpoint), status: Number(r.status), ids: JSON.parse(String(r.ids)) as unknown[],
        duration_ms: Number(r.duration_ms), detail: r.detail as string | null,
      }));
    },
  };
}
