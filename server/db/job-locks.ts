import { createHash } from 'node:crypto';
import { connectPostgres } from './postgres-engine.ts';

/**
 * The first key of every job lock ('gjob' in ASCII). Job locks take two int4 keys and the migration
 * lock (pg-migrate.ts) one bigint: PostgreSQL keeps the two key spaces apart, so they never meet.
 */
const JOB_LOCKS = 0x676a6f62;

/** A job's lock: the first four bytes of the SHA-256 of its name, as an int4. */
export const jobLockKey = (name: string): number => createHash('sha256').update(name).digest().readInt32BE(0);

/**
 * Session-level advisory locks naming the background jobs a node leads, held on a connection of their
 * own. Never on the pool: a pooled connection goes to whichever statement comes next, and its session's
 * locks with it. The locks last as long as that session: PostgreSQL releases them when it ends (the node
 * stopped, was killed, or lost its connection), and `onLost` is told at once, so the node stops leading.
 * The next call opens a new session, holding nothing.
 */
export function openJobLocks(url: string, onLost: () => void) {
  const sql = connectPostgres(url, { max: 1, onclose: onLost });
  return {
    /** Tries each of these locks (none of them held by this session: a lock taken twice must be released twice); resolves to those taken. */
    async take(keys: number[]): Promise<number[]> {
      // The keys as JSON text (a parameter typed json would be written as a JSON string of that text).
      const rows = await sql<{ key: number }[]>`SELECT key FROM (
          SELECT CAST(value AS int4) AS key FROM json_array_elements_text(CAST(CAST(${JSON.stringify(keys)} AS text) AS json))
        ) AS wanted WHERE pg_try_advisory_lock(CAST(${JOB_LOCKS} AS int4), key)`;
      return rows.map((r) => r.key);
    },
    /** Releases every lock, then ends the session. */
    async close(): Promise<void> {
      try {
        await sql`SELECT pg_advisory_unlock_all()`;
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
