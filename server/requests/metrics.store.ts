import type { Queryable } from '../db/engine.ts';

/** What the operator's checks read of the store: whether it answers, its size, its requests by visibility. */
export type StoreMetrics = ReturnType<typeof createStoreMetrics>;

// SQLite's size is its pages (the WAL file is measured beside it); PostgreSQL's is the database's files.
const BYTES_SQLITE = 'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()';
const BYTES_POSTGRES = 'SELECT pg_database_size(current_database()) AS bytes';
// Ordered so that the metrics list the same lines in the same order on both engines.
const BY_VISIBILITY = 'SELECT visibility, count(*) AS n FROM requests GROUP BY visibility ORDER BY visibility';

/** The store's figures for `GET /health` and `GET /metrics`. */
export function createStoreMetrics(db: Queryable) {
  const bytes = db.kind === 'postgres' ? BYTES_POSTGRES : BYTES_SQLITE;
  return {
    /** Resolves when the store answers a trivial statement (the health check); rejects otherwise. */
    async answers(): Promise<void> {
      await db.one('SELECT 1');
    },
    /** Bytes the database takes (for SQLite, without its WAL file). */
    async bytes(): Promise<number> {
      return (await db.one<{ bytes: number }>(bytes))!.bytes;
    },
    /** How many requests each visibility holds (those with none are left out). */
    requestsByVisibility(): Promise<{ visibility: string; n: number }[]> {
      return db.query<{ visibility: string; n: number }>(BY_VISIBILITY);
    },
  };
}
