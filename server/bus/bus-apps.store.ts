import { writeAudit } from '../admin/audit-log.ts';
import type { Queryable } from '../db/engine.ts';
import { hashSecret, newSecret } from '../keys/secrets.ts';

export const BUS_EVENTS = ['created', 'updated', 'media_added', 'merged', 'reopened'] as const;
export type BusEvent = (typeof BUS_EVENTS)[number];

export interface BusApp {
  id: number;
  jurisdictionId: string;
  name: string;
  secretPrefix: string;
  /** Service codes it takes; null: every service. */
  services: string[] | null;
  /** Events it takes; null: all. */
  events: BusEvent[] | null;
  /** `deferred`: a request waiting for moderation is held until published, one hidden never sent. */
  delivery: 'immediate' | 'deferred';
  maxAttempts: number;
  /** Messages are pushed there (signed) instead of pulled. */
  webhookUrl: string | null;
  /** The key webhooks are signed with (HMAC-SHA256). */
  webhookSecret: string | null;
  /** Who hears about this app's alerts (with the technical administrator). */
  ownerEmail: string | null;
  alertWebhook: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastPollAt: number | null;
}

export interface NewBusApp {
  jurisdictionId: string;
  name: string;
  services: string[] | null;
  events: BusEvent[] | null;
  delivery: BusApp['delivery'];
  maxAttempts: number;
  webhookUrl: string | null;
  ownerEmail: string | null;
  alertWebhook: string | null;
  now: number;
  actor: string;
}

interface BusAppRowDb {
  id: number;
  jurisdiction_id: string;
  name: string;
  secret_prefix: string;
  services: string | null;
  events: string | null;
  delivery: BusApp['delivery'];
  max_attempts: number;
  webhook_url: string | null;
  webhook_secret: string | null;
  owner_email: string | null;
  alert_webhook: string | null;
  created_at: number;
  revoked_at: number | null;
  last_poll_at: number | null;
}

const COLUMNS = `id, jurisdiction_id, name, secret_prefix, services, events, delivery, max_attempts, webhook_url, webhook_secret, owner_email,
  alert_webhook, created_at, revoked_at, last_poll_at`;

const toApp = (r: BusAppRowDb): BusApp => ({
  id: r.id, jurisdictionId: r.jurisdiction_id, name: r.name, secretPrefix: r.secret_prefix,
  services: r.services === null ? null : (JSON.parse(r.services) as string[]),
  events: r.events === null ? null : (JSON.parse(r.events) as BusEvent[]),
  delivery: r.delivery, maxAttempts: r.max_attempts, webhookUrl: r.webhook_url, webhookSecret: r.webhook_secret, ownerEmail: r.owner_email,
  alertWebhook: r.alert_webhook, createdAt: r.created_at, revokedAt: r.revoked_at, lastPollAt: r.last_poll_at,
});

export type BusAppsStore = ReturnType<typeof createBusAppsStore>;

const INSERT = `INSERT INTO bus_apps (jurisdiction_id, name, secret_prefix, secret_hash, services, events, delivery, max_attempts,
    webhook_url, webhook_secret, owner_email, alert_webhook, created_at)
  VALUES (@jurisdictionId, @name, @prefix, @hash, @services, @events, @delivery, @maxAttempts, @webhookUrl, @webhookSecret,
    @ownerEmail, @alertWebhook, @now) RETURNING ${COLUMNS}`;
const BY_HASH = `SELECT ${COLUMNS} FROM bus_apps WHERE secret_hash = ? AND revoked_at IS NULL`;
const BY_ID = `SELECT ${COLUMNS} FROM bus_apps WHERE id = ?`;
const ALL = `SELECT ${COLUMNS} FROM bus_apps ORDER BY id`;
const REVOKE = `UPDATE bus_apps SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`;
const POLLED = 'UPDATE bus_apps SET last_poll_at = ? WHERE id = ?';

/**
 * The bus's consumer applications and their secrets (shown once at creation, stored hashed). A creation
 * or revocation and its audit entry are one transaction; no trigger writes `bus_apps` on either engine
 * (the outbox fan-out reads it: `bus_outbox`, a trigger on SQLite, its plpgsql twin on PostgreSQL).
 */
export function createBusAppsStore(db: Queryable) {
  return {
    /** Creates an app; returns it with its secret, the only time the secret is available. */
    create: (input: NewBusApp) =>
      db.transaction(async (tx) => {
        const secret = newSecret('grb_');
        const row = (await tx.one<BusAppRowDb>(INSERT, {
          jurisdictionId: input.jurisdictionId, name: input.name, prefix: secret.slice(0, 8), hash: hashSecret(secret),
          services: input.services && JSON.stringify(input.services), events: input.events && JSON.stringify(input.events),
          delivery: input.delivery, maxAttempts: input.maxAttempts, webhookUrl: input.webhookUrl,
          webhookSecret: input.webhookUrl ? newSecret('grw_') : null, ownerEmail: input.ownerEmail, alertWebhook: input.alertWebhook, now: input.now,
        }))!;
        await writeAudit(tx, input.now, { jurisdictionId: input.jurisdictionId, actor: input.actor, action: 'bus_app.create', target: `bus_app:${row.id}`, detail: { name: input.name } });
        return { app: toApp(row), secret };
      }),
    /** The active app owning `secret`, or undefined. */
    async verify(secret: string): Promise<BusApp | undefined> {
      const row = await db.one<BusAppRowDb>(BY_HASH, [hashSecret(secret)]);
      return row && toApp(row);
    },
    async get(id: number): Promise<BusApp | undefined> {
      const row = await db.one<BusAppRowDb>(BY_ID, [id]);
      return row && toApp(row);
    },
    async list(): Promise<BusApp[]> {
      return (await db.query<BusAppRowDb>(ALL)).map(toApp);
    },
    revoke: (id: number, now: number, actor: string) =>
      db.transaction(async (tx) => {
        const row = await tx.one<BusAppRowDb>(REVOKE, [now, id]);
        if (row) await writeAudit(tx, now, { jurisdictionId: row.jurisdiction_id, actor, action: 'bus_app.revoke', target: `bus_app:${id}` });
        return row && toApp(row);
      }),
    /** Records that the app called (its health: "last poll"). */
    async touch(id: number, now: number): Promise<void> {
      await db.run(POLLED, [now, id]);
    },
  };
}
