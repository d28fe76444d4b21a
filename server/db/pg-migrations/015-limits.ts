/**
 * Rate limits shared by every server on one PostgreSQL (issue 17; `server/http/rate-limit.store.ts`):
 * `rate_limit_hits`, a counter a row per limiter, key (hashed) and window start (epoch milliseconds,
 * aligned on the window's length).
 *
 * UNLOGGED: a counter changes on every counted request, and a logged table would write each change to
 * the write-ahead log, to be flushed, replicated and archived, for data worth nothing a minute later.
 * Counters may be lost instead: a crash empties the table (every client starts a fresh window), and
 * replicas and WAL archives do not hold it (a promoted replica starts with no counters). The window
 * lost is all a client gains.
 *
 * The primary key leads with (limiter, window_start), which the sweep of old windows reads.
 */
export const sharedLimits = /* sql */ `
CREATE UNLOGGED TABLE rate_limit_hits (
  limiter text COLLATE "C" NOT NULL,
  window_start bigint NOT NULL,
  key text COLLATE "C" NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (limiter, window_start, key)
);
`;
