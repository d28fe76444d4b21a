export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends (for `Retry-After`). */
  retryAfter: number;
}

export interface RateLimiter {
  /** Counts one hit for `key` against `limit` per window (default: the limiter's own). */
  hit(key: string, limit?: number): Promise<RateLimitResult>;
}

/** Whole seconds from `now` until `end` (milliseconds), at least 1: what `Retry-After` says. */
export const secondsUntil = (end: number, now: number): number => Math.max(1, Math.ceil((end - now) / 1000));

/**
 * Fixed-window counters kept in memory: the limits of one process, the embedded SQLite default (servers
 * sharing a PostgreSQL count in it instead: `rate-limit.store.ts`). Windows that have ended are swept
 * once the table grows, so a flood of distinct keys cannot grow it without bound.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; now: () => number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const SWEEP_AT = 10_000;
  return {
    async hit(key, limit = options.limit) {
      const now = options.now();
      let w = windows.get(key);
      if (!w || now - w.start >= options.windowMs) {
        if (windows.size >= SWEEP_AT) {
          for (const [k, v] of windows) if (now - v.start >= options.windowMs) windows.delete(k);
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return { allowed: w.count <= limit, retryAfter: secondsUntil(w.start + options.windowMs, now) };
    },
  };
}
