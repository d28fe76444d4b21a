import { createHmac } from 'node:crypto';
import type { BusApp, BusAppsStore } from './bus-apps.store.ts';
import type { BusAuditStore } from './audit.store.ts';
import type { OutboxStore } from './outbox.store.ts';

/** Messages per push, and how long a push may take. */
const BATCH = 50;
const TIMEOUT_MS = 10_000;

/** The signature of a push: `sha256=` and the hex HMAC-SHA256, keyed with the app's webhook secret, of `TIMESTAMP.BODY`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Seconds before trying a refused push again: 30 s, doubling at each attempt, at most an hour. */
const backoff = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 3600);

/**
 * Pushes the outbox of every app with a `webhook_url`: POST `{"messages": [...]}` with
 * `X-Georeport-Timestamp` and `X-Georeport-Signature`; a 2xx acknowledges them all, anything else (or no
 * answer within 10 s) hands them back for later, with a growing pause, until they die past the app's
 * attempts. Each push is written to the audit log (direction `out`).
 */
export function createWebhookPusher(deps: { apps: BusAppsStore; outbox: OutboxStore; audit: BusAuditStore; fetch?: typeof fetch }) {
  const doFetch = deps.fetch ?? fetch;
  async function push(app: BusApp, now: number): Promise<number> {
    const messages = deps.outbox.lease(app, BATCH, Math.ceil(TIMEOUT_MS / 1000) + 5, now);
    if (messages.length === 0) return 0;
    const body = JSON.stringify({ messages });
    const started = performance.now();
    let status = 0;
    let detail: string | null = null;
    try {
      const res = await doFetch(app.webhookUrl!, {
        method: 'POST', body, signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { 'Content-Type': 'application/json', 'X-Georeport-Timestamp': String(now), 'X-Georeport-Signature': signature(app.webhookSecret!, now, body) },
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      detail = (e as Error).message;
    }
    const ids = messages.map((m) => Number(m.id));
    if (status >= 200 && status < 300) deps.outbox.ack(app.id, ids, now);
    else {
      detail ??= `answered ${status}`;
      for (const m of messages) deps.outbox.nack(app, Number(m.id), backoff(m.attempt), `webhook: ${detail}`, now);
    }
    deps.audit.record({ appId: app.id, at: now, direction: 'out', method: 'POST', endpoint: app.webhookUrl!, status, ids, durationMs: performance.now() - started, detail });
    return status >= 200 && status < 300 ? messages.length : 0;
  }
  return {
    /** One round: a push to each webhook app that has messages waiting. Resolves to the messages delivered. */
    async run(now: number): Promise<number> {
      let delivered = 0;
      for (const app of deps.apps.list()) if (app.webhookUrl && app.webhookSecret && app.revokedAt === null) delivered += await push(app, now);
      return delivered;
    },
  };
}
