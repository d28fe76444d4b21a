import type { Db } from './database.ts';

/**
 * A cache that empties itself whenever the named version counter (`cache_versions`, bumped by triggers)
 * has moved: reading it costs one indexed integer lookup, and it is never stale across processes.
 */
export function createVersionedCache(db: Db, name: 'catalogue' | 'api_clients' | 'requests') {
  const version = db.prepare<[string], { version: number }>('SELECT version FROM cache_versions WHERE name = ?').pluck();
  const entries = new Map<string, unknown>();
  let seen = -1;
  return {
    /** The counter as it stands: it moves whenever the data behind the cache changes (an ETag for it). */
    version: () => version.get(name) as unknown as number,
    /** The cached value for `key`, computed by `compute` when absent or when the data changed since. */
    get<T>(key: string, compute: () => T): T {
      const current = version.get(name) as unknown as number;
      // Keys can come from clients (unknown service codes): a bounded size keeps a flood from growing it.
      if (current !== seen || entries.size >= 10_000) {
        entries.clear();
        seen = current;
      }
      if (entries.has(key)) return entries.get(key) as T;
      const value = compute();
      entries.set(key, value);
      return value;
    },
  };
}
