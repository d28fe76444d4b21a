/**
 * The bench's PostgreSQL side: one durable private cluster for the run (started when first needed), and
 * each filled SQLite store copied into a database of its own through `copyStore`, as `georeport copy`
 * does, then vacuumed, analysed and checkpointed so that the measurements that follow find statistics
 * for the planner and no background work left from the load.
 */
import { copyStore } from '../../server/db/copy.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type EngineName = (typeof ENGINES)[number];

/** `BENCH_ENGINES` (default `sqlite,postgres`): the engines each of phases 1 and 2 runs on, in that order. */
export function benchEngines(raw = process.env.BENCH_ENGINES ?? 'sqlite,postgres'): EngineName[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ENGINES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) throw new TypeError(`BENCH_ENGINES: ${raw} (expected sqlite and/or postgres)`);
  return ENGINES.filter((e) => names.includes(e));
}

export interface CopiedStore {
  url: string;
  /** Rows copied in all tables, and the requests among them. */
  rows: number;
  requests: number;
  copySeconds: number;
  /** VACUUM (ANALYZE) then CHECKPOINT after the copy. */
  settleSeconds: number;
  /** pg_database_size once settled. */
  databaseMiB: number;
}

/**
 * `shared_buffers` for the bench's cluster (`BENCH_PG_SHARED_BUFFERS`, default 256MB): twice PostgreSQL's
 * default, a share of memory a host gives a database that also runs the application; the rest of a store
 * of a million requests stays in the system's page cache, where SQLite's whole file is too.
 */
export const SHARED_BUFFERS = process.env.BENCH_PG_SHARED_BUFFERS ?? '256MB';

export function createBenchPostgres() {
  let cluster: Promise<PostgresCluster> | undefined;
  return {
    sharedBuffers: SHARED_BUFFERS,
    /** Copies the SQLite store `file` (closed, not served) into a new database of the cluster. */
    async copy(file: string): Promise<CopiedStore> {
      cluster ??= startPostgres({ durable: true, sharedBuffers: SHARED_BUFFERS });
      const url = await (await cluster).createDatabase({ migrated: true });
      const [source, target] = [await openEngine({ dbFile: file, migrate: false }), await openEngine({ databaseUrl: url, dbFile: '', migrate: false, poolSize: 2 })];
      try {
        const started = performance.now();
        const report = await copyStore(source, target);
        const copySeconds = (performance.now() - started) / 1000;
        const settling = performance.now();
        await target.run('VACUUM (ANALYZE)');
        await target.run('CHECKPOINT');
        const settleSeconds = (performance.now() - settling) / 1000;
        const size = await target.one<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
        return {
          url, copySeconds, settleSeconds, databaseMiB: Number(size!.bytes) / 2 ** 20,
          rows: report.tables.reduce((n, t) => n + t.rows, 0),
          requests: report.tables.find((t) => t.name === 'requests')?.rows ?? 0,
        };
      } finally {
        await Promise.all([source.close(), target.close()]);
      }
    },
    /** Stops the cluster if it was started (fast shutdown; its folder removed). */
    async stop(): Promise<void> {
      const started = cluster;
      cluster = undefined;
      await started?.then((c) => c.stop(), () => undefined);
    },
  };
}
