import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A real HTTP receiver on loopback: records what it is sent and answers `status()`. */
async function receiver(status: () => number) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

const now = (t: TestApp) => Math.floor(t.clock.ms / 1000);
const stores = (t: TestApp) => ({ apps: createBusAppsStore(t.db), outbox: createOutboxStore(t.db, 'http://localhost/media/'), audit: createBusAuditStore(t.db) });

describe('webhooks', () => {
  test('messages are pushed signed (HMAC-SHA256 of timestamp.body); a 2xx acknowledges them, a failure retries later', async () => {
    const t = createTestApp();
    let answer = 500;
    const hook = await receiver(() => answer);
    try {
      const { app } = busApp(t, { webhookUrl: hook.url });
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
      const out = createBusAuditStore(t.db).list({ appId: app.id }, 0, 10).filter((e) => e.direction === 'out');
      assert.deepEqual(out.map((e) => e.status), [204, 500]);
    } finally {
      await hook.close();
    }
  });
});

describe('alerts', () => {
  test('a silent app, dead letters and a request past its SLA raise one alert each, sent to the app’s alert webhook', async () => {
    const t = createTestApp();
    const hook = await receiver(() => 200);
    try {
      const { app, secret } = busApp(t, { alertWebhook: hook.url, maxAttempts: 1 });
      const id = await file(t, pothole(t)); // SLA 120 h
      const alerts = createBusAlerts({ ...stores(t), db: t.db, logger: createLogger('silent'), settings: { adminEmail: '', silenceMinutes: 15 } });
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
