import type { Db } from './database.ts';
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

/**
 * The synchronous cache of the stores still on better-sqlite3's own interface, while issue 16 moves them
 * to the asynchronous one; it goes once the last of them (catalogue, API clients, map) has moved.
 */
export function createVersionedCacheSync(db: Db, name: CacheName) {
  const version = db.prepare<[string], { version: number }>('SELECT version FROM cache_versions WHERE name = ?').pluck();
  const entries = new Map<string, unknown>();
  let seen = -1;
  return {
    version: () => version.get(name) as unknown as number,
    get<T>(key: string, compute: () => T): T {
      const current = version.get(name) as unknown as number;
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
