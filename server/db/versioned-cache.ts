import type { Queryable } from './engine.ts';

type CacheName = 'catalogue' | 'api_clients' | 'requests';

/**
 * A cache that empties itself whenever the named version counter (`cache_versions`, bumped by triggers on
 * SQLite and by their plpgsql twins on PostgreSQL) has moved: reading it costs one indexed integer lookup,
 * and it is never stale across processes or, on PostgreSQL, across the servers sharing the database.
 */
export function createVersionedCache(db: Queryable, name: CacheName) {
  const entries = new Map<string, unknown>();
  let seen = -1;
  const version = async () => (await db.one<{ version: number }>('SELECT version FROM cache_versions WHERE name = ?', [name]))!.version;
  return {
    /** The counter as it stands: it moves whenever the data behind the cache changes (an ETag for it). */
    version,
    /** The cached value for `key`, computed by `compute` when absent or when the data changed since. */
    async get<T>(key: string, compute: () => T | Promise<T>): Promise<T> {
      const current = await version();
      // Keys can come from clients (unknown service codes): a bounded size keeps a flood from growing it.
      if (current !== seen || entries.size >= 10_000) {
        entries.clear();
        seen = current;
      }
      if (entries.has(key)) return entries.get(key) as T;
      // Kept under the version read before computing: if the data moved meanwhile, the next read clears it.
      const value = await compute();
      entries.set(key, value);
      return value;
    },
  };
}
