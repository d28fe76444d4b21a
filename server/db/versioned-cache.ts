import type { Queryable } from './engine.ts';

export type CacheName = 'catalogue' | 'api_clients' | 'requests';

/** The town of what covers every town: the list of towns, the API keys (migration 018). */
export const EVERY_TOWN = '';

/** Entries kept at most, all towns together: keys can come from clients (unknown service codes). */
const MAX_ENTRIES = 10_000;

const VERSION = 'SELECT version FROM cache_versions WHERE name = ? AND jurisdiction_id = ?';

/** A town's counter as it stands: it moves whenever the town's data behind it changes (an ETag for it). */
export const readCacheVersion = async (db: Queryable, name: CacheName, town: string): Promise<number> =>
  db.knownCacheVersion?.(name, town) ?? (await db.one<{ version: number }>(VERSION, [name, town]))?.version ?? 0;

/** `readCacheVersion` of several counters of a town, in one query at most. */
export async function readCacheVersions(db: Queryable, names: readonly CacheName[], town: string): Promise<number[]> {
  const known = names.map((name) => db.knownCacheVersion?.(name, town));
  if (known.every((v) => v !== undefined)) return known as number[];
  const sql = `SELECT name, version FROM cache_versions WHERE name IN (${names.map(() => '?').join(', ')}) AND jurisdiction_id = ?`;
  const rows = new Map(await db.values<[string, number]>(sql, [...names, town]));
  return names.map((name) => rows.get(name) ?? 0);
}

/**
 * A cache whose entries belong to a town and are emptied, that town's only, whenever the town's version
 * counter (`cache_versions`, migration 018) has moved; never stale across processes or, on PostgreSQL,
 * across the servers sharing the database. On SQLite a read costs one keyed integer lookup, as before;
 * on PostgreSQL none, once the process listens to the versions announced (db/pg-cache-versions.ts), and the
 * same lookup while it cannot.
 */
export function createVersionedCache(db: Queryable, name: CacheName) {
  const towns = new Map<string, { version: number; entries: Map<string, unknown> }>();
  let size = 0;

  const version = (town: string) => readCacheVersion(db, name, town);

  /** Keeps `value` under the version it was computed at (a read at another version replaces it: never stale, only recomputed). */
  function keep(town: string, at: number, key: string, value: unknown): void {
    let held = towns.get(town);
    if (held && held.version !== at) {
      size -= held.entries.size;
      held = undefined;
    }
    if (size >= MAX_ENTRIES) {
      towns.clear();
      size = 0;
      held = undefined;
    }
    if (!held) towns.set(town, (held = { version: at, entries: new Map() }));
    if (!held.entries.has(key)) size++;
    held.entries.set(key, value);
  }

  return {
    version,
    /** The cached value for `key` in `town`, computed by `compute` when absent or when the town's data changed since. */
    async get<T>(town: string, key: string, compute: () => T | Promise<T>): Promise<T> {
      const current = await version(town);
      const held = towns.get(town);
      if (held?.version === current && held.entries.has(key)) return held.entries.get(key) as T;
      // Kept under the version read before computing: if the data moved meanwhile, the next read replaces it.
      const value = await compute();
      keep(town, current, key, value);
      return value;
    },
  };
}
