import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createBusAlerts } from '../../server/bus/alerts.ts';
import { createBusAppsStore } from '../../server/bus/bus-apps.store.ts';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { createWebhookPusher } from '../../server/bus/webhooks.ts';
import { createLogger } from '../../server/logger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { startReceiver } from '../helpers/receiver.ts';

const now = (t: TestApp) => Math.floor(t.clock.ms / 1000);
/** The stores, and the outbound fetch allowing the loopback receivers. */
const stores = (t: TestApp) => ({
  apps: createBusAppsStore(t.engine), outbox: createOutboxStore(t.engine, 'http://localhost/media/'), audit: createBusAuditStore(t.engine), fetch: loopbackFetch,
});

describe('webhooks', () => {
  test('messages are pushed signed (HMAC-SHA256 of timestamp.body); a 2xx acknowledges them, a failure retries later', async () => {
    const t = await createTestApp();
    let answer = 500;
    const hook = await startReceiver({ answer: () => ({ status: answer }) });
    try {
      const { app } = await busApp(t, { webhookUrl: hook.url });
      const id = await file(t, pothole(t));
      const pusher = createWebhookPusher(stores(t));
      assert.equal(await pusher.run(now(t)), 0, 'refused: nothing delivered');
      const [refused] = hook.received;
      const timestamp = refused!.headers['x-georeport-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', app.webhookSecret!).update(`${timestamp}.${refused!.body}`).digest('hex')}`;
      assert.equal(refused!.headers['x-georeport-signature'], expected);
      assert.equal(JSON.parse(refused!.body).messages[0].request.service_request_id, id);
      assert.equal(await pusher.run(now(t)), 0);
      assert.equal(hook.received.length, 1, 'the next try waits (30 s)');
      answer = 204;
      t.clock.ms += 31_000;
      assert.equal(await pusher.run(now(t)), 1);
      assert.equal(JSON.parse(hook.received[1]!.body).messages[0].attempt, 2);
      t.clock.ms += 3600_000;
      assert.equal(await pusher.run(now(t)), 0, 'acknowledged: never again');
      const out = (await createBusAuditStore(t.engine).list({ appId: app.id }, 0, 10)).filter((e) => e.direction === 'out');
      assert.deepEqual(out.map((e) => e.status), [204, 500]);
    } finally {
      await hook.close();
    }
  });
  test('a receiver that is down is audited as unreachable with its system code, and without timing', async () => {
    const t = await createTestApp();
    const gone = await startReceiver();
    await gone.close();
    const { app } = await busApp(t, { webhookUrl: gone.url });
    await file(t, pothole(t));
    assert.equal(await createWebhookPusher(stores(t)).run(now(t)), 0);
    const [entry] = await createBusAuditStore(t.engine).list({ appId: app.id }, 0, 10);
    assert.deepEqual([entry!.status, entry!.detail, entry!.duration_ms], [0, 'unreachable (ECONNREFUSED)', 0]);
  });

  test('with more apps than lanes, those left out of a round go first at the next', async () => {
    const t = await createTestApp();
    const hook = await startReceiver();
    try {
      const apps = [];
      for (let i = 0; i < 10; i++) apps.push((await busApp(t, { name: `GRC ${i}`, webhookUrl: `${hook.url}/${i}` })).app);
      await file(t, pothole(t));
      const pusher = createWebhookPusher(stores(t));
      assert.equal(await pusher.run(now(t)), 8, 'eight lanes');
      assert.equal(await pusher.run(now(t)), 2, 'the two left out');
      assert.deepEqual(hook.received.map((r) => r.path).sort(), apps.map((_, i) => `/hook/${i}`).sort());
    } finally {
      await hook.close();
    }
  });
});

describe('alerts', () => {
  test('a silent app, dead letters and a request past its SLA raise one alert each, sent to the app’s alert webhook', async () => {
    const t = await createTestApp();
    const hook = await startReceiver();
    try {
      const { app, secret } = await busApp(t, { alertWebhook: hook.url, maxAttempts: 1 });
      const id = await file(t, pothole(t)); // SLA 120 h
      const alerts = createBusAlerts({ ...stores(t), db: t.engine, logger: createLogger('silent'), settings: { adminEmail: '', silenceMinutes: 15 } });
      assert.equal(await alerts.check(now(t)), 0, 'all is well');
      const [m] = await lease(t, secret, '?lease=10');
      t.clock.ms += 20 * 60_000; // silent for 20 minutes; the lease expired after its one attempt
      await lease(t, secret); // the call: no longer silent, and the message dies
      assert.equal(m!.attempt, 1);
      t.clock.ms += 121 * 3600_000; // past the SLA, still "received"; and silent again
      assert.equal(await alerts.check(now(t)), 3);
      const kinds = hook.received.map((r) => JSON.parse(r.body) as { kind: string; message: string; app: { id: string } });
      assert.deepEqual(kinds.map((k) => k.kind).sort(), ['dead_letter', 'silent', 'sla']);
      assert.ok(kinds.every((k) => k.app.id === String(app.id)));
      assert.match(kinds.find((k) => k.kind === 'sla')!.message, new RegExp(`Request ${id} is still "received"`));
      assert.equal(await alerts.check(now(t)), 0, 'each cause once');
    } finally {
      await hook.close();
    }
  });
});
