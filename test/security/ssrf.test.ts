/**
 * Issue 13, items 5 and 12: the server's outbound calls (bus webhooks, alert webhooks, the geocoder)
 * as an attacker would aim them: a bus app's webhook at the server's own loopback, at the private
 * network or at a cloud metadata address, written every way an address can be written; a receiver that
 * redirects the signed body elsewhere; and a bus app's owner e-mail that is really a list.
 *
 * Calls are only ever made to loopback receivers: the private and link-local targets below are refused
 * at configuration time (nothing is sent), and the call-time tests use targets that all lead back to a
 * receiver of the test, so a regression is seen (the receiver gets the call) without sending anything
 * off this machine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBusAlerts } from '../../server/bus/alerts.ts';
import { createBusAppsStore } from '../../server/bus/bus-apps.store.ts';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { startBackground } from '../../server/cli/background.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createMailer } from '../../server/notify/mailer.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { startBanStandIn } from '../helpers/ban-stand-in.ts';
import { busApp } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { startReceiver, until } from '../helpers/receiver.ts';
import { openStoreOf, runCli, tempDir } from '../helpers/server-process.ts';
import { startSmtpSink } from '../helpers/smtp.ts';

const J = 'j/ville.example';
const silent = createLogger('silent');

/** Private, loopback, link-local, multicast, reserved and documentation targets, written every which way. */
const PRIVATE_TARGETS = [
  'http://127.0.0.1/hook',
  'https://[::1]/hook',
  'http://10.20.30.40/crm',
  'http://169.254.169.254/latest/meta-data/',
  'http://localhost:8080/hook',
  'http://LOCALHOST./hook',
  'http://crm.localhost/hook',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://127.1/',
  'http://0177.0.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[::127.0.0.1]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://0.0.0.0/',
  'http://[::]/',
  'http://100.64.0.1/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://198.18.0.1/',
  'http://192.0.2.10/',
  'http://203.0.113.7/',
  'http://224.0.0.251/',
  'http://255.255.255.255/',
  'http://[fd12:3456::1]/',
  'http://[fe80::1]/',
  'http://[ff02::1]/',
  'http://[2001:db8::1]/',
];

/** Owner e-mails that are not one address: lists, names, header injection. */
const NOT_ONE_ADDRESS = [
  'chef@ville.example,espion@ailleurs.example',
  'chef@ville.example; espion@ailleurs.example',
  'chef@ville.example espion@ailleurs.example',
  'Chef <chef@ville.example>',
  '<chef@ville.example>',
  'groupe: chef@ville.example, espion@ailleurs.example;',
  '"chef,espion"@ville.example',
  'chef@ville.example\r\nBcc: espion@ailleurs.example',
  'chef@ville.example\u0000',
  'chef@ville',
];

const seconds = (t: TestApp) => Math.floor(t.clock.ms / 1000);
const outEntries = async (t: TestApp) =>
  (await createBusAuditStore(t.engine).list({ appId: null }, 0, 1000)).filter((e) => e.direction === 'out');
const busApps = (t: TestApp) => createBusAppsStore(t.engine).list();

/** The server's background work (webhook pushes every 2 s) on the test's store, until `stop`. */
function background(t: TestApp, config: Partial<Config> = {}) {
  return startBackground(testConfig(config), t.engine, silent);
}

describe('item 5: webhooks and alert webhooks at private addresses are refused when they are configured', () => {
  test('item 5: the admin API refuses a webhook_url at a private address, naming the setting that would allow it', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'administrator');
    const before = (await busApps(t)).length;
    for (const url of PRIVATE_TARGETS) {
      const r = await admin(t, s, 'POST', `${J}/bus`, { name: 'GRC', webhook_url: url });
      assert.equal(r.status, 400, `${url} accepted: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, /webhook_url/, url);
      assert.match(r.body.error.message, /GEOREPORT_OUTBOUND_ALLOW/, url);
    }
    assert.equal((await busApps(t)).length, before, 'no app was created');
  });

  test('item 5: the admin API accepts a public webhook, and a private one once its host is named in the allow setting', async () => {
    const t = await createTestApp({ config: { outboundAllow: ['crm.ville.example', '10.20.30.40'] } });
    const s = await staffWith(t, 'administrator');
    for (const url of [
      'https://93.184.216.34/georeport',
      'https://[2606:4700:4700::1111]/hook',
      'http://10.20.30.40/crm',
    ]) {
      const r = await admin(t, s, 'POST', `${J}/bus`, { name: 'GRC', webhook_url: url });
      assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
    }
    const r = await admin(t, s, 'POST', `${J}/bus`, {
      name: 'GRC',
      webhook_url: 'http://10.20.30.41/crm',
    });
    assert.equal(r.status, 400, 'the setting names hosts exactly: its neighbour is still refused');
  });

  test('item 5: the CLI refuses --webhook and --alert-webhook at private addresses, and takes them once allowed', async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const env = { GEOREPORT_DB: `${dir}/store.db`, GEOREPORT_MEDIA_DIR: `${dir}/media` };
    assert.equal((await runCli(['seed'], env)).code, 0);
    const create = (...flags: string[]) =>
      runCli(
        ['bus', 'apps', 'create', '--jurisdiction', 'ville.example', '--name', 'GRC', ...flags],
        env,
      );
    const targets = [
      ['--webhook', 'http://127.0.0.1:8080/hook'],
      ['--webhook', 'http://[::1]/hook'],
      ['--webhook', 'http://localhost/hook'],
      ['--webhook', 'http://10.1.2.3/hook'],
      ['--webhook', 'http://169.254.169.254/latest/meta-data/'],
      ['--alert-webhook', 'http://0x7f.1/alerts'],
      ['--alert-webhook', 'http://[::ffff:127.0.0.1]/alerts'],
    ];
    // One after another: seven processes started at once overran their time on a loaded 2-core machine.
    for (const flags of targets) {
      const r = await create(...flags);
      assert.equal(
        r.code,
        2,
        `refused with a usage error\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
      );
      assert.match(r.stderr, /--(alert-)?webhook/);
      assert.match(r.stderr, /GEOREPORT_OUTBOUND_ALLOW/);
    }
    const allowed = await create(
      '--webhook',
      'http://127.0.0.1:8080/hook',
      '--outbound-allow',
      '127.0.0.1',
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    const store = await openStoreOf(`${dir}/store.db`);
    try {
      assert.deepEqual(await store.query('SELECT webhook_url, alert_webhook FROM bus_apps'), [
        { webhook_url: 'http://127.0.0.1:8080/hook', alert_webhook: null },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('item 5: at call time, after resolving the name, a private target is not called', () => {
  test('item 5: webhook apps stored by an older version with loopback targets are not called; the audit says refused, without timing', async () => {
    const t = await createTestApp({ startMs: Date.now() });
    const v4 = await startReceiver();
    const v6 = await startReceiver({ host: '::1' });
    const targets = [
      `http://127.0.0.1:${v4.port}/hook`,
      `http://localhost:${v4.port}/hook`,
      `http://127.1:${v4.port}/hook`,
      `http://0x7f.1:${v4.port}/hook`,
      `http://2130706433:${v4.port}/hook`,
      `http://[::ffff:127.0.0.1]:${v4.port}/hook`,
      `http://0.0.0.0:${v4.port}/hook`,
      `http://[::1]:${v6.port}/hook`,
      `http://[::]:${v6.port}/hook`,
    ];
    for (const url of targets) await busApp(t, { name: url, webhookUrl: url });
    await file(t, pothole(t));
    const bg = background(t);
    try {
      await until(
        async () => new Set((await outEntries(t)).map((e) => e.app_id)).size === targets.length,
        'one push attempt per app',
      );
    } finally {
      await bg.stop();
      await v4.close();
      await v6.close();
    }
    assert.deepEqual([...v4.received, ...v6.received], [], 'no receiver was called');
    for (const e of await outEntries(t)) {
      assert.equal(e.status, 0, e.endpoint);
      assert.equal(e.detail, 'refused: private address', e.endpoint);
      assert.equal(e.duration_ms, 0, `${e.endpoint}: no timing to scan with`);
    }
    const outbox = createOutboxStore(t.engine, 'http://localhost/media/');
    for (const a of await busApps(t))
      assert.equal(
        (await outbox.backlog(a, seconds(t))).pending,
        1,
        `${a.name}: the message waits, not acknowledged`,
      );
  });

  test('item 5: the allow setting names hosts exactly: an allowed name is called, the same address under another name is not', async () => {
    const t = await createTestApp({ startMs: Date.now() });
    const hook = await startReceiver();
    await busApp(t, { name: 'by name', webhookUrl: `http://localhost:${hook.port}/by-name` });
    await busApp(t, { name: 'by address', webhookUrl: `http://127.0.0.1:${hook.port}/by-address` });
    await file(t, pothole(t));
    const bg = background(t, { outboundAllow: ['LOCALHOST'] });
    try {
      await until(async () => (await outEntries(t)).length >= 2, 'a push attempt per app');
    } finally {
      await bg.stop();
      await hook.close();
    }
    assert.deepEqual(
      hook.received.map((r) => r.path),
      ['/by-name'],
    );
    assert.deepEqual(
      (await outEntries(t))
        .map((e) => [e.endpoint.split('/').pop(), e.status, e.detail])
        .sort(),
      [
        ['by-address', 0, 'refused: private address'],
        ['by-name', 200, null],
      ],
    );
  });

  test('item 5: a redirect is never followed: the second receiver gets nothing and the message is not acknowledged', async () => {
    const t = await createTestApp({ startMs: Date.now() });
    const second = await startReceiver();
    const redirecting = await Promise.all(
      [301, 302, 303, 307, 308].map((status) =>
        startReceiver({ answer: () => ({ status, headers: { Location: second.url } }) }),
      ),
    );
    for (const r of redirecting) await busApp(t, { webhookUrl: r.url });
    await file(t, pothole(t, { email: 'habitant@exemple.fr' }));
    const bg = background(t, { outboundAllow: ['127.0.0.1'] });
    try {
      await until(async () => (await outEntries(t)).length >= redirecting.length, 'a push to each app');
    } finally {
      await bg.stop();
      await Promise.all([second, ...redirecting].map((r) => r.close()));
    }
    assert.ok(
      redirecting.every((r) => r.received.length >= 1),
      'each redirecting receiver was called',
    );
    assert.deepEqual(second.received, [], 'the signed body, contact included, went nowhere else');
    assert.deepEqual(
      (await outEntries(t))
        .map((e) => e.status)
        .sort(),
      [301, 302, 303, 307, 308],
    );
    for (const e of await outEntries(t)) assert.match(e.detail ?? '', /redirects are not followed/);
    const outbox = createOutboxStore(t.engine, 'http://localhost/media/');
    for (const a of await busApps(t))
      assert.equal((await outbox.backlog(a, seconds(t))).pending, 1, 'retried later');
  });

  test('item 5: an alert webhook at a loopback address is not called', async () => {
    const t = await createTestApp();
    const hook = await startReceiver();
    try {
      const { app } = await busApp(t, { alertWebhook: hook.url.replace('127.0.0.1', 'localhost') });
      await busApp(t, { alertWebhook: hook.url });
      const alerts = createBusAlerts({
        db: t.engine,
        apps: createBusAppsStore(t.engine),
        audit: createBusAuditStore(t.engine),
        logger: silent,
        settings: { adminEmail: '', silenceMinutes: 15 },
      });
      t.clock.ms += 20 * 60_000; // both apps silent: an alert each
      assert.equal(await alerts.check(seconds(t)), 0, 'no alert could be sent');
      assert.deepEqual(hook.received, []);
      const out = await outEntries(t);
      assert.equal(out.length, 2);
      assert.ok(
        out.every((e) => e.status === 0 && e.detail === 'alert silent: refused: private address'),
        JSON.stringify(out),
      );
      assert.ok(out.some((e) => e.app_id === app.id));
    } finally {
      await hook.close();
    }
  });

  test('item 5: a geocoder at a loopback address is not asked; the request keeps its address alone', async () => {
    const ban = await startBanStandIn();
    try {
      const addressOnly = (t: TestApp) => {
        const { lat, long, ...rest } = pothole(t, { address_string: '12 rue nationale' });
        return rest;
      };
      const where = async (t: TestApp, id: string) =>
        ((await (await t.get(`requests/${id}.json`)).json()) as { lat: number | null }[])[0]!.lat;
      const refused = await createTestApp({ config: { geocoderUrl: ban.url } });
      assert.equal(await where(refused, await file(refused, addressOnly(refused))), null);
      assert.equal(ban.requests.length, 0, 'the loopback geocoder was not called');
      const allowed = await createTestApp({
        config: { geocoderUrl: ban.url, outboundAllow: ['127.0.0.1'] },
      });
      assert.equal(
        await where(allowed, await file(allowed, addressOnly(allowed))),
        47.3952,
        'allowed by name, it is asked',
      );
    } finally {
      await ban.close();
    }
  });

  test('item 5: a geocoder URL at a private address literal stops the server at start-up, naming the setting', () => {
    for (const url of [
      'http://10.0.0.7/',
      'http://[::1]:7878/',
      'http://2130706433/',
      'http://169.254.169.254/',
    ]) {
      assert.throws(
        () => loadConfig({ GEOREPORT_GEOCODER_URL: url }, {}),
        /GEOREPORT_GEOCODER_URL.*GEOREPORT_OUTBOUND_ALLOW/s,
        url,
      );
    }
    const allowed = loadConfig(
      { GEOREPORT_GEOCODER_URL: 'http://10.0.0.7/', GEOREPORT_OUTBOUND_ALLOW: '10.0.0.7' },
      {},
    );
    assert.equal(allowed.geocoderUrl, 'http://10.0.0.7/');
  });
});

describe('item 12: a bus app’s owner e-mail is one address', () => {
  test('item 12: the admin API refuses an owner_email that is a list, a name or a header, and creates nothing', async () => {
    const t = await createTestApp();
    const s = await staffWith(t, 'administrator');
    const before = (await busApps(t)).length;
    for (const owner of [...NOT_ONE_ADDRESS, 42]) {
      const r = await admin(t, s, 'POST', `${J}/bus`, { name: 'GRC', owner_email: owner });
      assert.equal(r.status, 400, `${JSON.stringify(owner)} accepted`);
      assert.match(r.body.error.message, /owner_email/);
    }
    assert.equal((await busApps(t)).length, before);
    const ok = await admin(t, s, 'POST', `${J}/bus`, {
      name: 'GRC',
      owner_email: 'responsable-sig@ville.example',
    });
    assert.equal(ok.status, 201);
    assert.equal((await busApps(t)).at(-1)!.ownerEmail, 'responsable-sig@ville.example');
  });

  test('item 12: the CLI refuses an --owner-email that is not one address', async (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const env = { GEOREPORT_DB: `${dir}/store.db`, GEOREPORT_MEDIA_DIR: `${dir}/media` };
    assert.equal((await runCli(['seed'], env)).code, 0);
    const create = (owner: string) =>
      runCli(
        [
          'bus',
          'apps',
          'create',
          '--jurisdiction',
          'ville.example',
          '--name',
          'GRC',
          '--owner-email',
          owner,
        ],
        env,
      );
    for (const r of await Promise.all([NOT_ONE_ADDRESS[0]!, NOT_ONE_ADDRESS[3]!].map(create))) {
      assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.match(r.stderr, /--owner-email/);
    }
    assert.equal((await create('responsable-sig@ville.example')).code, 0);
  });

  test('item 12: an owner e-mail list stored by an older version gets no alert; the technical administrator still does', async () => {
    const t = await createTestApp();
    const sink = await startSmtpSink();
    const mailer = createMailer(sink.url, 'georeport@ville.example');
    try {
      await busApp(t, { ownerEmail: 'chef@ville.example,espion@ailleurs.example' });
      const alerts = createBusAlerts({
        db: t.engine,
        apps: createBusAppsStore(t.engine),
        audit: createBusAuditStore(t.engine),
        logger: silent,
        mailer,
        settings: { adminEmail: 'technique@ville.example', silenceMinutes: 15 },
      });
      t.clock.ms += 20 * 60_000;
      assert.equal(await alerts.check(seconds(t)), 1);
      await sink.waitFor(1);
      assert.deepEqual(
        sink.received.map((m) => m.envelope.to),
        [['technique@ville.example']],
      );
    } finally {
      mailer.close();
      await sink.stop();
    }
  });
});
