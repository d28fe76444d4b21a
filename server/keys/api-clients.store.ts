import { createAuditWriter } from '../admin/audit-log.ts';
import type { Db } from '../db/database.ts';
import { createVersionedCacheSync } from '../db/versioned-cache.ts';
import { DEMO_API_KEY } from './demo-key.ts';
import { hashSecret as hashKey, newSecret } from './secrets.ts';

/**
 * What a key may do. `report`: file requests, follow them, send photos (what the public widget needs: safe to
 * publish in a web page). `updates`: post status updates the FixMyStreet way (an integration's key, kept
 * secret: with it, requests are closed and their followers written to).
 */
export const SCOPES = ['report', 'updates'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiClient {
  id: number;
  jurisdictionId: string | null;
  name: string;
  keyPrefix: string;
  rateLimitPerMinute: number | null;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}

interface ApiClientRowDb {
  id: number;
  jurisdiction_id: string | null;
  name: string;
  key_prefix: string;
  rate_limit_per_minute: number | null;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

const toClient = (r: ApiClientRowDb): ApiClient => ({
  id: r.id,
  jurisdictionId: r.jurisdiction_id,
  name: r.name,
  keyPrefix: r.key_prefix,
  rateLimitPerMinute: r.rate_limit_per_minute,
  scopes: (JSON.parse(r.scopes) as string[]).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** A list of scopes as a caller gave it: the known ones, each once, in SCOPES order; undefined if any is unknown or none is given. */
export function parseScopes(given: unknown): Scope[] | undefined {
  if (!Array.isArray(given) || given.length === 0 || given.some((s) => !(SCOPES as readonly unknown[]).includes(s))) return undefined;
  return SCOPES.filter((s) => given.includes(s));
}

export type ApiClientsStore = ReturnType<typeof createApiClientsStore>;

/**
 * API clients and their keys. A key is shown once, at creation; only its hash is stored.
 * @param options.demo whether the demo key (DEMO_API_KEY) opens anything: only on a demo server.
 */
export function createApiClientsStore(db: Db, options: { demo: boolean } = { demo: false }) {
  const cache = createVersionedCacheSync(db, 'api_clients');
  const audit = createAuditWriter(db);
  const COLUMNS = 'id, jurisdiction_id, name, key_prefix, rate_limit_per_minute, scopes, created_at, revoked_at';
  const insert = db.prepare<unknown[], ApiClientRowDb>(
    `INSERT INTO api_clients (jurisdiction_id, name, key_prefix, key_hash, rate_limit_per_minute, scopes, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const byHash = db.prepare<[string], ApiClientRowDb>(
    `SELECT ${COLUMNS} FROM api_clients WHERE key_hash = ? AND revoked_at IS NULL`,
  );
  const all = db.prepare<[], ApiClientRowDb>(`SELECT ${COLUMNS} FROM api_clients ORDER BY id`);
  const revoke = db.prepare<[number, number], ApiClientRowDb>(
    `UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`,
  );
  const setScopes = db.prepare<[string, number], ApiClientRowDb>(
    `UPDATE api_clients SET scopes = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`,
  );
  const demoHash = hashKey(DEMO_API_KEY);

  return {
    /**
     * Creates a client and returns it with its key (the only time the key is available).
     * @param key a chosen key (demo data only); by default a random one.
     */
    create: db.transaction(
      (input: { name: string; jurisdictionId: string | null; rateLimitPerMinute: number | null; scopes: Scope[]; now: number; actor: string; key?: string }) => {
        const key = input.key ?? newSecret('grk_');
        const row = insert.get(input.jurisdictionId, input.name, key.slice(0, 8), hashKey(key), input.rateLimitPerMinute, JSON.stringify(input.scopes), input.now)!;
        audit(input.now, { jurisdictionId: input.jurisdictionId, actor: input.actor, action: 'api_client.create', target: `api_client:${row.id}`, detail: { name: input.name, scopes: input.scopes } });
        return { client: toClient(row), key };
      },
    ),
    /** The active client owning `key`, or undefined (unknown, revoked, or the demo key off a demo server). */
    verify(key: string): ApiClient | undefined {
      const hash = hashKey(key);
      if (hash === demoHash && !options.demo) return undefined;
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
      if (row) audit(now, { jurisdictionId: row.jurisdiction_id, actor, action: 'api_client.revoke', target: `api_client:${id}` });
      return row && toClient(row);
    }),
    /** Gives an active key exactly these scopes (at once); returns it, or undefined when no active key has that id. */
    setScopes: db.transaction((id: number, scopes: Scope[], now: number, actor: string) => {
      const row = setScopes.get(JSON.stringify(scopes), id);
      if (row) audit(now, { jurisdictionId: row.jurisdiction_id, actor, action: 'api_client.scopes', target: `api_client:${id}`, detail: { scopes } });
      return row && toClient(row);
    }),
  };
}
