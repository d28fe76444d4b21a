import type { Db } from '../db/database.ts';
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

/** Every bus call, in and out, per app: what was asked, what came of it, how long it took. */
export function createBusAuditStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO bus_audit (app_id, at, direction, method, endpoint, status, ids, duration_ms, detail)
     VALUES (@appId, @at, @direction, @method, @endpoint, @status, @ids, @durationMs, @detail)`,
  );
  const list = db.prepare<Record<string, number | null>, Record<string, unknown>>(
    `SELECT id, app_id, at, direction, method, endpoint, status, ids, duration_ms, detail FROM bus_audit
     WHERE (@app IS NULL OR app_id IS @app) AND (@unknown IS NULL OR app_id IS NULL) AND at >= @since ORDER BY id DESC LIMIT +@limit`,
  );
  return {
    record(e: AuditEntry): void {
      insert.run({ ...e, ids: JSON.stringify(e.ids.slice(0, 500)), detail: e.detail?.slice(0, 500) ?? null });
    },
    /** Entries newest first: of one app, or (`unknownOnly`) of the callers no app could be found for. */
    list(filter: { appId: number | null; unknownOnly?: boolean }, since: number, limit: number) {
      return list.all({ app: filter.appId, unknown: filter.unknownOnly ? 1 : null, since, limit }).map((r) => ({
        id: Number(r.id), app_id: r.app_id as number | null, at: formatDatetime(Number(r.at)), direction: String(r.direction),
        method: String(r.method), endpoint: String(r.endpoint), status: Number(r.status), ids: JSON.parse(String(r.ids)) as unknown[],
        duration_ms: Number(r.duration_ms), detail: r.detail as string | null,
      }));
    },
  };
}
