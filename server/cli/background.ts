import { createBusAlerts } from '../bus/alerts.ts';
import { createBusAppsStore } from '../bus/bus-apps.store.ts';
import { createBusAuditStore } from '../bus/audit.store.ts';
import { createOutboxStore } from '../bus/outbox.store.ts';
import { createWebhookPusher } from '../bus/webhooks.ts';
import type { Config } from '../config.ts';
import type { Engine } from '../db/engine.ts';
import { createOutbound } from '../http/outbound.ts';
import type { Logger } from '../logger.ts';
import { createMailer } from '../notify/mailer.ts';
import { createAssignmentMailsStore } from '../notify/assignments.store.ts';
import { createConfirmationsStore } from '../notify/confirmations.store.ts';
import { createNotificationsStore } from '../notify/notifications.store.ts';
import { createNotifier } from '../notify/notifier.ts';
import { createRequestsStore } from '../requests/requests.store.ts';
import { createJobs } from './jobs.ts';
import { startLeadership } from './leadership.ts';
import { createRetention } from '../admin/retention.ts';

const seconds = () => Math.floor(Date.now() / 1000);

/**
 * What the server does besides answering: the batch step, e-mails (with SMTP: to followers, confirmation
 * requests and status changes; to staff, what was assigned to them), webhook pushes to the CRMs that take them, bus alerts, and the hourly
 * retention purge. On PostgreSQL, each job runs on the one server leading it (several may share the
 * database); on SQLite, the one process runs them all. `stop` aborts the calls to CRMs in flight and
 * resolves once the runs in progress end and the jobs' locks are released.
 */
export function startBackground(config: Config, engine: Engine, logger: Logger) {
  // Servers share a store through its PostgreSQL URL; without one (the SQLite file) this process is alone.
  const leadership = config.databaseUrl ? startLeadership(config.databaseUrl, config.jobLeaderRetryMs, logger) : undefined;
  const jobs = createJobs(logger, leadership);
  const requests = createRequestsStore(engine);
  jobs.every('batch step', config.batchIntervalSeconds * 1000, async () => {
    const ids = await requests.acceptQueued(seconds());
    if (ids.length > 0) logger.info('batch requests accepted', { ids });
  });
  const mailer = config.smtpUrl ? createMailer(config.smtpUrl, config.mailFrom) : undefined;
  if (mailer) {
    const stores = { notifications: createNotificationsStore(engine), confirmations: createConfirmationsStore(engine), assignments: createAssignmentMailsStore(engine) };
    const notifier = createNotifier(stores, mailer, { publicUrl: config.publicUrl, timeZone: config.timeZone }, logger);
    jobs.every('e-mails to followers and staff', 2000, async () => {
      const sent = await notifier.deliver(seconds());
      if (sent > 0) logger.info('e-mails sent', { sent });
    });
  }
  const apps = createBusAppsStore(engine);
  const audit = createBusAuditStore(engine);
  const { fetch } = createOutbound({ allowHosts: config.outboundAllow });
  // Calls to CRMs in flight when the server stops are aborted: their messages wait for the next start.
  const stopping = new AbortController();
  const pusher = createWebhookPusher({ apps, outbox: createOutboxStore(engine, new URL('media/', config.publicUrl).href), audit, fetch, stop: stopping.signal });
  // Rounds overlap: a round starts pushes only for apps with none in flight, so a slow CRM holds only its own.
  jobs.every('bus webhooks', 2000, () => pusher.run(seconds()), { overlap: true });
  const alerts = createBusAlerts({
    db: engine, apps, audit, logger, mailer, fetch, stop: stopping.signal, settings: { adminEmail: config.adminEmail, silenceMinutes: config.busSilenceMinutes },
  });
  jobs.every('bus alerts', 60_000, () => alerts.check(seconds()));
  const retention = createRetention(engine, config.retentionMonths);
  jobs.every('retention', 3600_000, async () => {
    const erased = await retention.purge(seconds());
    if (erased.reporters + erased.followers > 0) logger.info('personal data erased', erased);
  });
  return {
    async stop() {
      stopping.abort();
      await jobs.stop();
      await leadership?.stop();
      mailer?.close();
    },
  };
}
