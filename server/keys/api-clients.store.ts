import { writeAudit } from '../admin/audit-log.ts';
import type { Queryable } from '../db/engine.ts';
import { createVersionedCache, EVERY_TOWN } from '../db/versioned-cache.ts';
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

const COLUMNS = 'id, jurisdiction_id, name, key_prefix, rate_limit_per_minute, scopes, created_at, revoked_at';
const INSERT = `INSERT INTO api_clients (jurisdiction_id, name, key_prefix, key_hash, rate_limit_per_minute, scopes, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`;
const BY_HASH = `SELECT ${COLUMNS} FROM api_clients WHERE key_hash = ? AND revoked_at IS NULL`;
const ALL = `SELECT ${COLUMNS} FROM api_clients ORDER BY id`;
const REVOKE = `UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`;
const SET_SCOPES = `UPDATE api_clients SET scopes = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`;

/**
 * API clients and their keys. A key is shown once, at creation; only its hash is stored. A change and its
 * audit entry are one transaction. The `api_clients` cache version (one for every town: a key is looked up
 * before its town is known) is bumped on every change by triggers (migration 018), so a revoked key stops
 * at once on every process.
 * @param db the engine (or a transaction: the demo seed creates its key in its own).
 * @param options.demo whether the demo key (DEMO_API_KEY) opens anything: only on a demo server.
 */
export function createApiClientsStore(db: Queryable, options: { demo: boolean } = { demo: false }) {
  const cache = createVersionedCache(db, 'api_clients');
  const demoHash = hashKey(DEMO_API_KEY);

  return {
    /**
     * Creates a client and returns it with its key (the only time the key is available).
     * @param key a chosen key (demo data only); by default a random one.
     */
    create: (input: { name: string; jurisdictionId: string | null; rateLimitPerMinute: number | null; scopes: Scope[]; now: number; actor: string; key?: string }) =>
      db.transaction(async (tx) => {
        const key = input.key ?? newSecret('grk_');
        const row = (await tx.one<ApiClientRowDb>(INSERT, [
          input.jurisdictionId, input.name, key.slice(0, 8), hashKey(key), input.rateLimitPerMinute, JSON.stringify(input.scopes), input.now,
        ]))!;
        await writeAudit(tx, input.now, { jurisdictionId: input.jurisdictionId, actor: input.actor, action: 'api_client.create', target: `api_client:${row.id}`, detail: { name: input.name, scopes: input.scopes } });
        return { client: toClient(row), key };
      }),
    /** The active client owning `key`, or undefined (unknown, revoked, or the demo key off a demo server). */
    async verify(key: string): Promise<ApiClient | undefined> {
      const hash = hashKey(key);
      if (hash === demoHash && !options.demo) return undefined;
      return cache.get(EVERY_TOWN, hash, async () => {
        const row = await db.one<ApiClientRowDb>(BY_HASH, [hash]);
        return row && toClient(row);
      });
    },
    async list(): Promise<ApiClient[]> {
      return (await db.query<ApiClientRowDb>(ALL)).map(toClient);
    },
    /** Revokes a key at once; returns the client, or undefined when no active client has that id. */
    revoke: (id: number, now: number, actor: string) =>
      db.transaction(async (tx) => {
        const row = await tx.one<ApiClientRowDb>(REVOKE, [now, id]);
        if (row) await writeAudit(tx, now, { jurisdictionId: row.jurisdiction_id, actor, action: 'api_client.revoke', target: `api_client:${id}` });
        return row && toClient(row);
      }),
    /** Gives an active key exactly these scopes (at once); returns it, or undefined when no active key has that id. */
    setScopes: (id: number, scopes: Scope[], now: number, actor: string) =>
      db.transaction(async (tx) => {
        const row = await tx.one<ApiClientRowDb>(SET_SCOPES, [JSON.stringify(scopes), id]);
        if (row) await writeAudit(tx, now, { jurisdictionId: row.jurisdiction_id, actor, action: 'api_client.scopes', target: `api_client:${id}`, detail: { scopes } });
        return row && toClient(row);
      }),
  };
}
