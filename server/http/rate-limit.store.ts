import { createHash } from 'node:crypto';
import type { Queryable } from '../db/engine.ts';
import type { Logger } from '../logger.ts';
import { createRateLimiter, secondsUntil, type RateLimiter } from './rate-limit.ts';

export interface StoreRateLimiterOptions {
  /** Names the limiter's counters in the table (`ip`, `key`…): limiters sharing keys count apart. */
  name: string;
  limit: number;
  windowMs: number;
  now: () => number;
  logger: Logger;
}

/** One statement a hit: the window's counter made or bumped, and read back. */
const BUMP = `INSERT INTO rate_limit_hits (limiter, window_start, key, count) VALUES (?, ?, ?, 1)
  ON CONFLICT (limiter, window_start, key) DO UPDATE SET count = rate_limit_hits.count + 1
  RETURNING count`;
/** Reads the primary key's prefix (limiter, window_start): no index of its own to keep. */
const SWEEP = 'DELETE FROM rate_limit_hits WHERE limiter = ? AND window_start < ?';

/**
 * A key as it is stored: its SHA-256, 22 characters whatever its length. Parts of a key come from the
 * client (an address, maybe forwarded; a client id), so a row's size is bounded before it is written; the
 * hash is not anonymous (every IPv4 address can be tried), which is why rows live for two windows only.
 */
const stored = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

/**
 * Fixed-window counters in the store, one table shared by every server on the same PostgreSQL
 * (migration 015, `rate_limit_hits`), so that a client behind a load balancer has one budget, not one
 * per server. Windows are aligned on the epoch (every server agrees where a minute starts, from its
 * clock), a counter a row per (limiter, key, window start), bumped with one statement.
 *
 * Old windows are swept by each server the first time it counts in a new window: a `DELETE` on the
 * primary key's prefix, run beside that hit's bump. The window just before is kept, for a server whose
 * clock lags a little behind, so the table holds the hits of two windows at most, however many distinct
 * keys a flood brings.
 *
 * When the store does not answer, the limiter neither refuses everything nor lets everything through:
 * it counts in this process's memory (the limit then holds per server) until the store answers again,
 * and says so once in the log. Refusing would tell residents to come back later for a fault not theirs
 * (and the write behind the limit answers its own error if the store is down); letting everything through
 * would drop the bound when it matters most, since a store too loaded to answer is what a flood makes.
 */
export function createStoreRateLimiter(db: Queryable, options: StoreRateLimiterOptions): RateLimiter {
  const { name, windowMs, now, logger } = options;
  const alone = createRateLimiter(options);
  /** Windows before this one are swept (by this server, or by another before it). */
  let sweptBefore = 0;
  let unreachable = false;

  const sweep = async (before: number) => {
    try {
      await db.run(SWEEP, [name, before]);
    } catch {
      if (sweptBefore === before) sweptBefore = 0; // tried again on a later hit
    }
  };

  return {
    async hit(key, limit = options.limit) {
      const at = now();
      const start = at - (at % windowMs);
      let sweeping: Promise<void> | undefined;
      if (start - windowMs > sweptBefore) {
        sweptBefore = start - windowMs;
        sweeping = sweep(sweptBefore);
      }
      let count: number;
      try {
        count = (await db.one<{ count: number }>(BUMP, [name, start, stored(key)]))!.count;
      } catch (error) {
        if (!unreachable) {
          logger.warn('rate limits: the store does not answer; counting on this server alone until it does', {
            limiter: name, error: error instanceof Error ? error.message : String(error),
          });
        }
        unreachable = true;
        return alone.hit(key, limit);
      }
      if (unreachable) logger.info('rate limits: the store answers again; counting in it', { limiter: name });
      unreachable = false;
      await sweeping;
      return { allowed: count <= limit, retryAfter: secondsUntil(start + windowMs, at) };
    },
  };
}
