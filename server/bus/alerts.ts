import type { Queryable } from '../db/engine.ts';
import { formatDatetime } from '../georeport/datetime.ts';
import { createOutbound } from '../http/outbound.ts';
import type { Logger } from '../logger.ts';
import { isEmailAddress } from '../shared/checks.ts';
import type { Mailer } from '../notify/mailer.ts';
import type { BusApp, BusAppsStore } from './bus-apps.store.ts';
import type { BusAuditStore } from './audit.store.ts';
import { createBusAlertsStore, type Alert, type AlertKind as Kind } from './alerts.store.ts';
import { createLanes } from './lanes.ts';
import { callReceiver } from './receiver-call.ts';

export interface AlertSettings {
  /** The technical administrator, told about every app (empty: nobody beyond each app's owner). */
  adminEmail: string;
  /** An app that has not called for this long is silent. */
  silenceMinutes: number;
}

/** Deliveries that failed this many times, still open, make an app "failing". */
const FAILING_ATTEMPTS = 3;
/** How long an alert webhook may take, and how many apps are alerted at once. */
const TIMEOUT_MS = 10_000;
const PARALLEL = 8;

/**
 * Alerts about the bus, to the technical administrator and each app's owner, by e-mail and/or to the
 * app's alert webhook: an app silent for too long, deliveries failing again and again, dead letters, a
 * request delivered to the CRM but not taken in charge (still "received") past its service's SLA. Each
 * cause is raised once (its `key`); an alert that could not be sent is tried again at the next round.
 * Apps are alerted in parallel, each in its own lane (one stuck alert webhook holds only its own app's
 * alerts); `fetch` is the outbound fetch (default: one that allows no private host), `stop` aborts the
 * calls in flight when the server stops.
 */
export function createBusAlerts(deps: {
  db: Queryable; apps: BusAppsStore; audit: BusAuditStore; settings: AlertSettings; logger: Logger; mailer?: Mailer; fetch?: typeof fetch; stop?: AbortSignal;
}) {
  const { db, settings } = deps;
  const doFetch = deps.fetch ?? createOutbound().fetch;
  const lanes = createLanes(PARALLEL);
  const store = createBusAlertsStore(db);

  const raise = async (app: BusApp, kind: Kind, key: string, message: string, now: number) => {
    if (await store.raise(app.id, kind, key, message, now)) deps.logger.warn('bus alert', { app: app.id, kind, message });
  };

  async function deliver(app: BusApp, alert: Alert, now: number): Promise<boolean> {
    // An owner e-mail stored before addresses were checked may be a list: it is not written to.
    const to = [...new Set([app.ownerEmail, settings.adminEmail].filter((x): x is string => !!x && isEmailAddress(x)))];
    let ok = true;
    if (deps.mailer && to.length > 0) {
      const subject = `[georeport] bus ${app.name}: ${alert.kind.replace('_', ' ')}`;
      const text = `${alert.message}\n\nApp ${app.id} (${app.name}), ${app.jurisdictionId}, at ${formatDatetime(alert.created_at)}.\n`;
      for (const address of to) await deps.mailer.send({ to: address, subject, text, headers: { 'Auto-Submitted': 'auto-generated' } }).catch(() => (ok = false));
    }
    if (app.alertWebhook) {
      const body = JSON.stringify({ app: { id: String(app.id), name: app.name }, kind: alert.kind, message: alert.message, at: formatDatetime(alert.created_at) });
      const outcome = await callReceiver(doFetch, app.alertWebhook, { body, headers: {}, timeoutMs: TIMEOUT_MS, stop: deps.stop });
      ok &&= outcome.ok;
      await deps.audit.record({
        appId: app.id, at: now, direction: 'out', method: 'POST', endpoint: app.alertWebhook, status: outcome.status, ids: [], durationMs: outcome.durationMs,
        detail: `alert ${alert.kind}${outcome.detail ? `: ${outcome.detail}` : ''}`,
      });
    }
    return ok;
  }

  /** Sends an app's alerts in order, up to the first that fails (the rest wait for the next round with it). */
  async function deliverAll(app: BusApp | undefined, alerts: Alert[], now: number): Promise<number> {
    let delivered = 0;
    for (const alert of alerts) {
      if (deps.stop?.aborted || (app && !(await deliver(app, alert, now)))) break;
      await store.markSent(alert.id, now);
      delivered++;
    }
    return delivered;
  }

  return {
    /** Looks for new causes, then sends every alert not sent yet. Resolves to the alerts sent. */
    async check(now: number): Promise<number> {
      const apps = (await deps.apps.list()).filter((a) => a.revokedAt === null);
      for (const app of apps) {
        const heard = app.lastPollAt ?? app.createdAt;
        if (!app.webhookUrl && heard < now - settings.silenceMinutes * 60) {
          await raise(app, 'silent', `silent:${app.id}:${app.lastPollAt ?? 0}`,
            `The app has not called the bus since ${app.lastPollAt === null ? 'it was created' : formatDatetime(app.lastPollAt)}: requests wait for it.`, now);
        }
        const failed = await store.failing(app.id, FAILING_ATTEMPTS);
        if (failed > 0) await raise(app, 'failing', `failing:${app.id}:${Math.floor(now / 86_400)}`, `${failed} message(s) were delivered ${FAILING_ATTEMPTS} times or more without being acknowledged.`, now);
        const d = await store.dead(app.id);
        if (d.newest !== null) await raise(app, 'dead_letter', `dead:${app.id}:${d.newest}`, `${d.n} message(s) are dead letters (newest: ${d.newest}); see bus dead-letters and replay.`, now);
        for (const r of await store.late(app.id, now)) {
          await raise(app, 'sla', `sla:${app.id}:${r.id}`, `Request ${r.id} is still "received": it was due by ${formatDatetime(r.expected_at)}.`, now);
        }
      }
      const byId = new Map(apps.map((a) => [a.id, a]));
      const waiting = new Map<number, Alert[]>();
      for (const alert of await store.unsent()) waiting.set(alert.app_id, [...(waiting.get(alert.app_id) ?? []), alert]);
      const delivered = await lanes.each([...waiting.keys()], (id) => deliverAll(byId.get(id), waiting.get(id)!, now));
      return delivered.reduce((a, b) => a + b, 0);
    },
  };
}
