import { createHmac } from 'node:crypto';
import { createOutbound } from '../http/outbound.ts';
import type { BusApp, BusAppsStore } from './bus-apps.store.ts';
import type { BusAuditStore } from './audit.store.ts';
import { createLanes } from './lanes.ts';
import type { OutboxStore } from './outbox.store.ts';
import { callReceiver } from './receiver-call.ts';

/** Messages per push, how long a push may take, and how many apps are pushed to at once. */
const BATCH = 50;
const TIMEOUT_MS = 10_000;
const PARALLEL = 8;

/** The signature of a push: `sha256=` and the hex HMAC-SHA256, keyed with the app's webhook secret, of `TIMESTAMP.BODY`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Seconds before trying a refused push again: 30 s, doubling at each attempt, at most an hour. */
const backoff = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 3600);

export interface WebhookPusherDeps {
  apps: BusAppsStore;
  outbox: OutboxStore;
  audit: BusAuditStore;
  /** The outbound fetch (default: one that allows no private host). */
  fetch?: typeof fetch;
  /** Aborted when the server stops: pushes in flight end at once, their messages go back to the outbox. */
  stop?: AbortSignal;
}

/**
 * Pushes the outbox of every app with a `webhook_url`: POST `{"messages": [...]}` with
 * `X-Georeport-Timestamp` and `X-Georeport-Signature`; a 2xx acknowledges them all, anything else (a
 * redirect, a refused private target, or no answer within 10 s) hands them back for later, with a growing
 * pause, until they die past the app's attempts. Each app has its own lane (one push in flight, several
 * apps at once), so a slow receiver delays only its own app. Each push is written to the audit log
 * (direction `out`).
 */
export function createWebhookPusher(deps: WebhookPusherDeps) {
  const doFetch = deps.fetch ?? createOutbound().fetch;
  const lanes = createLanes(PARALLEL);

  async function push(app: BusApp, now: number): Promise<number> {
    if (deps.stop?.aborted) return 0;
    const messages = await deps.outbox.lease(app, BATCH, Math.ceil(TIMEOUT_MS / 1000) + 5, now);
    if (messages.length === 0) return 0;
    const body = JSON.stringify({ messages });
    const headers = {
      'X-Georeport-Timestamp': String(now),
      'X-Georeport-Signature': signature(app.webhookSecret!, now, body),
    };
    const outcome = await callReceiver(doFetch, app.webhookUrl!, {
      body,
      headers,
      timeoutMs: TIMEOUT_MS,
      stop: deps.stop,
    });
    const ids = messages.map((m) => Number(m.id));
    if (outcome.ok) await deps.outbox.ack(app.id, ids, now);
    else
      for (const m of messages)
        await deps.outbox.nack(app, Number(m.id), backoff(m.attempt), `webhook: ${outcome.detail}`, now);
    await deps.audit.record({
      appId: app.id,
      at: now,
      direction: 'out',
      method: 'POST',
      endpoint: app.webhookUrl!,
      status: outcome.status,
      ids,
      durationMs: outcome.durationMs,
      detail: outcome.detail,
    });
    return outcome.ok ? messages.length : 0;
  }

  return {
    /**
     * One round: starts a push to each webhook app with messages waiting and no push in flight (while
     * lanes are free). Resolves, once those pushes end, to the messages they delivered; rounds may overlap.
     */
    async run(now: number): Promise<number> {
      const apps = new Map(
        (await deps.apps.list())
          .filter((a) => a.webhookUrl && a.webhookSecret && a.revokedAt === null)
          .map((a) => [a.id, a]),
      );
      const delivered = await lanes.each([...apps.keys()], (id) => push(apps.get(id)!, now));
      return delivered.reduce((a, b) => a + b, 0);
    },
  };
}
