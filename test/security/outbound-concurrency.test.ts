/**
 * Issue 13, item 6: webhooks were pushed one app after another, each waiting up to 10 s, so three slow
 * receivers of another town held a city's CRM delivery for half a minute. Each app now has its own lane:
 * what one receiver does (or does not do) never delays another app's delivery.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBusAlerts } from '../../server/bus/alerts.ts';
import { createBusAppsStore } from '../../server/bus/bus-apps.store.ts';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { startBackground } from '../../server/cli/background.ts';
import { createLogger } from '../../server/logger.ts';
import { createKey, createTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { busApp } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { startReceiver, until } from '../helpers/receiver.ts';

const silent = createLogger('silent');
const outEntries = async (t: TestApp) =>
  (await createBusAuditStore(t.engine).list({ appId: null }, 0, 1000)).filter((e) => e.direction === 'out');
/** Generous: the slow pushes time out after 10 s each; one app after another, the city would wait 30 s. */
const BOUND_MS = 60_000;

/** A town with three bus apps whose receivers never answer, and the city's CRM, which does. */
async function twoTowns(t: TestApp, hook: 'webhookUrl' | 'alertWebhook') {
  const stuck = await Promise.all([1, 2, 3].map(() => startReceiver({ answer: () => 'hang' })));
  const crm = await startReceiver();
  for (const [i, r] of stuck.entries()) {
    await busApp(t, { jurisdictionId: 'autre.example', name: `lente ${i + 1}`, [hook]: r.url });
  }
  const city = (await busApp(t, { name: 'GRC de la ville', [hook]: crm.url })).app;
  const close = () => Promise.all([crm, ...stuck].map((r) => r.close()));
  return { stuck, crm, city, close };
}

describe('item 6: one app’s slow receiver does not delay another app', () => {
  test('item 6: three stuck receivers of another town do not hold the city’s webhook: it gets its message before their pushes end', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'], startMs: Date.now() });
    const towns = await twoTowns(t, 'webhookUrl');
    await file(
      t,
      pothole(t, { jurisdiction_id: 'autre.example', api_key: await createKey(t.engine, 'autre.example') }),
    );
    await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
    const bg = startBackground(testConfig({ outboundAllow: ['127.0.0.1'] }), t.engine, silent);
    try {
      // The pushes start side by side: on PostgreSQL the city's may end before the stuck ones are called.
      await until(() => towns.crm.received.length > 0 && towns.stuck.every((r) => r.received.length > 0), 'the city’s delivery, and a call to each stuck receiver', BOUND_MS);
      assert.deepEqual(
        (await outEntries(t)).filter((e) => e.app_id !== towns.city.id),
        [],
        'no slow push had ended yet',
      );
      assert.ok(
        towns.stuck.every((r) => r.received.length === 1),
        'the other town’s receivers were called meanwhile, once each',
      );
    } finally {
      await bg.stop();
      await towns.close();
    }
  });

  test('item 6: stopping the server ends the pushes in flight: they are audited, their messages wait for the next start, the store can close', async () => {
    const t = await createTestApp({ startMs: Date.now() });
    const stuck = await startReceiver({ answer: () => 'hang' });
    const { app } = await busApp(t, { webhookUrl: stuck.url });
    await file(t, pothole(t));
    const bg = startBackground(testConfig({ outboundAllow: ['127.0.0.1'] }), t.engine, silent);
    try {
      await until(() => stuck.received.length > 0, 'the push', BOUND_MS);
      await bg.stop();
      const [entry] = await outEntries(t);
      assert.equal(entry?.app_id, app.id, 'the push ended before stop resolved');
      assert.match(entry.detail ?? '', /the server stopped/);
      const backlog = await createOutboxStore(t.engine, 'http://localhost/media/').backlog(
        (await createBusAppsStore(t.engine).get(app.id))!,
        Math.floor(Date.now() / 1000),
      );
      assert.equal(backlog.pending, 1, 'not acknowledged: delivered again later');
      await t.engine.close();
    } finally {
      await stuck.close();
    }
  });

  test('item 6: alerts to stuck alert webhooks of another town do not hold the city’s alert', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const towns = await twoTowns(t, 'alertWebhook');
    const stopping = new AbortController();
    const alerts = createBusAlerts({
      db: t.engine,
      apps: createBusAppsStore(t.engine),
      audit: createBusAuditStore(t.engine),
      logger: silent,
      fetch: loopbackFetch,
      stop: stopping.signal,
      settings: { adminEmail: '', silenceMinutes: 15 },
    });
    t.clock.ms += 20 * 60_000; // every app silent: an alert each
    const round = alerts.check(Math.floor(t.clock.ms / 1000));
    try {
      await until(() => towns.crm.received.length > 0, 'the city’s alert', BOUND_MS);
      assert.deepEqual(
        (await outEntries(t)).filter((e) => e.app_id !== towns.city.id),
        [],
        'no slow alert call had ended yet',
      );
      assert.equal(JSON.parse(towns.crm.received[0]!.body).kind, 'silent');
    } finally {
      stopping.abort();
      await round;
      await towns.close();
    }
  });
});
