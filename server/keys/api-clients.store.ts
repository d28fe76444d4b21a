import type { Db } from '../db/database.ts';
import { createVersionedCache } from '../db/versioned-cache.ts';
import { hashSecret as hashKey, newSecret } from './secrets.ts';

export interface ApiClient {
  id: number;
  jurisdictionId: string | null;
  name: string;
  keyPrefix: string;
  rateLimitPerMinute: number | null;
  createdAt: number;
  revokedAt: number | null;
}

interface ApiClientRowDb {
  id: number;
  jurisdiction_id: string | null;
  name: string;
  key_prefix: string;
  rate_limit_per_minute: number | null;
  created_at: number;
  revoked_at: number | null;
}

const toClient = (r: ApiClientRowDb): ApiClient => ({
  id: r.id,
  jurisdictionId: r.jurisdiction_id,
  name: r.name,
  keyPrefix: r.key_prefix,
  rateLimitPerMinute: r.rate_limit_per_minute,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export type ApiClientsStore = ReturnType<typeof createApiClientsStore>;

/** API clients and their keys. A key is shown once, at creation; only its hash is stored. */
export function createApiClientsStore(db: Db) {
  const cache = createVersionedCache(db, 'api_clients');
  const COLUMNS = 'id, jurisdiction_id, name, key_prefix, rate_limit_per_minute, created_at, revoked_at';
  const insert = db.prepare<unknown[], ApiClientRowDb>(
    `INSERT INTO api_clients (jurisdiction_id, name, key_prefix, key_hash, rate_limit_per_minute, created_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const byHash = db.prepare<[string], ApiClientRowDb>(
    `SELECT ${COLUMNS} FROM api_clients WHERE key_hash = ? AND revoked_at IS NULL`,
  );
  const all = db.prepare<[], ApiClientRowDb>(`SELECT ${COLUMNS} FROM api_clients ORDER BY id`);
  const revoke = db.prepare<[number, number], ApiClientRowDb>(
    `UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`,
  );
  const audit = db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');

  return {
    /**
     * Creates a client and returns it with its key (the only time the key is available).
     * @param key a chosen key (demo data only); by default a random one.
     */
    create: db.transaction(
      (input: { name: string; jurisdictionId: string | null; rateLimitPerMinute: number | null; now: number; actor: string; key?: string }) => {
        const key = input.key ?? newSecret('grk_');
        const row = insert.get(input.jurisdictionId, input.name, key.slice(0, 8), hashKey(key), input.rateLimitPerMinute, input.now)!;
        audit.run(input.now, input.actor, 'api_client.create', `api_client:${row.id}`, JSON.stringify({ name: input.name }));
        return { client: toClient(row), key };
      },
    ),
    /** The active client owning `key`, or undefined (unknown or revoked). */
    verify(key: string): ApiClient | undefined {
      const hash = hashKey(key);
      return cache.get(hash, () => {
        const row = byHash.get(hash);
        return row && toClient(row);
      });
    },
    list(): ApiClient[] {
      return all.all().map(toClient);
    },
    /** Revokes a key at once; returns the client, or undefined when no active client has that id. */
    revoke: db.transaction((id: number, now: number, actor: string) => {
      const row = revoke.get(now, id);
      if (row) audit.run(now, actor, 'api_client.revoke', `api_client:${id}`, '{}');
      return row && toClient(row);
    }),
  };
}
