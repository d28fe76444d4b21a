import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBusAppsStore } from '../../server/bus/bus-apps.store.ts';
import { createBusAuditStore } from '../../server/bus/audit.store.ts';
import { createOutboxStore } from '../../server/bus/outbox.store.ts';
import { createWebhookPusher } from '../../server/bus/webhooks.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Engine, Params, Queryable } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { jobLockKey } from '../../server/db/job-locks.ts';
import { createApiClientsStore } from '../../server/keys/api-clients.store.ts';
import { createLogger } from '../../server/logger.ts';
import { createAssignmentMailsStore } from '../../server/notify/assignments.store.ts';
import { createConfirmationsStore } from '../../server/notify/confirmations.store.ts';
import { createMailer } from '../../server/notify/mailer.ts';
import { createNotificationsStore } from '../../server/notify/notifications.store.ts';
import { createNotifier } from '../../server/notify/notifier.ts';
import { createRequestsStore } from '../../server/requests/requests.store.ts';
import { loopbackFetch } from '../helpers/outbound.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { startReceiver, until } from '../helpers/receiver.ts';
import { startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

/**
 * Background jobs on several servers sharing one PostgreSQL (issue 17): each job runs on one server, the
 * one holding its advisory lock, and moves within seconds when that server dies; e-mails are claimed
 * (`FOR UPDATE SKIP LOCKED`) and bus messages leased under the app's row lock, so that two servers running
 * one job at once (during a hand-over) still send nothing twice. PostgreSQL only, whatever the pass: the
 * embedded SQLite has one process, which runs every job (the other suites cover it).
 */
let cluster: PostgresCluster;
let smtp: SmtpSink;
const engines: Engine[] = [];
before(async () => {
  [cluster, smtp] = await Promise.all([startPostgres(), startSmtpSink()]);
});
after(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await smtp?.stop();
  await cluster?.stop();
});

/** A pool of its own on the database at `url`, as each server has. */
async function pool(url: string): Promise<Engine> {
  const engine = await openEngine({ databaseUrl: url, dbFile: '', migrate: false, poolSize: 4 });
  engines.push(engine);
  return engine;
}

const seconds = () => Math.floor(Date.now() / 1000);
const silent = createLogger('silent');

/** The jobs a server with SMTP runs (server/cli/background.ts). */
const JOBS = ['batch step', 'e-mails to followers and staff', 'bus webhooks', 'bus alerts', 'retention'];

/** The jobs a running server leads now, from its `job leader` log lines (a killed server leads none). */
function ledBy(server: ServerProcess): Set<string> {
  const led = new Set<string>();
  if (server.child.exitCode !== null || server.child.signalCode !== null) return led;
  for (const line of server.logs()) {
    if (line.msg !== 'job leader') continue;
    if (line.leading === true) led.add(String(line.job));
    else led.delete(String(line.job));
  }
  return led;
}

/** Whether each job is led by exactly one of `servers`. */
const oneLeaderEach = (servers: ServerProcess[]) => JOBS.every((job) => servers.filter((s) => ledBy(s).has(job)).length === 1);

/** E-mails a server logged as sent. */
const sentBy = (server: ServerProcess) =>
  server.logs().filter((l) => l.msg === 'e-mails sent').reduce((n, l) => n + Number(l.sent), 0);

/** Once `n` e-mails in all have reached the SMTP server and the servers' logs: how many each server sent. */
async function mailsSent(servers: ServerProcess[], n: number): Promise<number[]> {
  await smtp.waitFor(n);
  await until(() => servers.reduce((sum, s) => sum + sentBy(s), 0) >= n, `${n} e-mails logged as sent`);
  return servers.map(sentBy);
}

describe('one leader per job', () => {
  test('three servers on one database: each job runs on one of them, and moves within seconds when it is killed or loses its connection', async () => {
    const url = await cluster.createDatabase({ migrated: true });
    const admin = await pool(url);
    await seedDemo(admin, Date.now());
    const { key } = await createApiClientsStore(admin).create({ name: 'widget', jurisdictionId: null, rateLimitPerMinute: null, scopes: ['report'], now: seconds(), actor: 'test' });
    const media = tempDir();
    const env = { GEOREPORT_DATABASE_URL: url, GEOREPORT_SMTP_URL: smtp.url, GEOREPORT_MEDIA_DIR: media.dir, GEOREPORT_JOB_LEADER_RETRY_MS: '200' };
    const servers: ServerProcess[] = [];
    /** A report with an e-mail address, filed on `server`: its confirmation e-mail is owed. */
    const report = async (server: ServerProcess, email: string) => {
      const res = await fetch(`${server.url}open311/v2/requests.json`, {
        method: 'POST',
        body: new URLSearchParams({ api_key: key, service_code: 'nid-de-poule', lat: '47.3941', long: '0.6848', 'attribute[taille]': 'petit', email, email_updates: 'true' }),
      });
      assert.equal(res.status, 200, await res.text());
    };
    try {
      const a = await startServer({ env });
      servers.push(a);
      await until(() => ledBy(a).size === JOBS.length, 'the first server leads every job');
      const [b, c] = await Promise.all([startServer({ env }), startServer({ env })]);
      servers.push(b, c);
      // Each has tried for the locks (its lock session ran the attempt) and won none.
      await until(async () => {
        const tried = await admin.one<{ n: number }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%pg_try_advisory_lock%' AND query NOT LIKE '%pg_stat_activity%'",
        );
        return tried!.n === 3;
      }, 'the three servers tried for the locks');
      assert.ok(oneLeaderEach(servers));
      assert.deepEqual([ledBy(b).size, ledBy(c).size], [0, 0]);

      // Reports filed on the two others: their confirmation e-mails go out once each, all from the leader.
      await report(b, 'one@example.org');
      await report(c, 'two@example.org');
      await report(b, 'three@example.org');
      assert.deepEqual(await mailsSent(servers, 3), [3, 0, 0]);

      await a.kill();
      await until(() => oneLeaderEach([b, c]), 'another server leads each job', 10_000);
      const mailing = ledBy(b).has(JOBS[1]!) ? [2, 0] : [0, 2];
      await report(b, 'four@example.org');
      await report(c, 'five@example.org');
      assert.deepEqual((await mailsSent(servers, 5)).slice(1), mailing, 'sent by the new leader');

      // The e-mail leader's lock session ends (a network cut, a restarted PostgreSQL): it stops leading its
      // jobs at once, and each job is led again by one server.
      const leader = ledBy(b).has(JOBS[1]!) ? b : c;
      const from = leader.stdout().length;
      const ended = await admin.one<{ n: number }>(
        "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND objid = ?",
        [jobLockKey(JOBS[1]!) >>> 0],
      );
      assert.equal(ended!.n, 1);
      const lost = await leader.waitForLog('job leader', 5000, from);
      assert.deepEqual([lost.leading, lost.reason], [false, 'connection to the database lost']);
      await until(() => oneLeaderEach([b, c]), 'each job led again', 10_000);

      assert.deepEqual(smtp.received.map((m) => m.envelope.to.join(',')).sort(), ['five@example.org', 'four@example.org', 'one@example.org', 'three@example.org', 'two@example.org']);
      for (const s of [b, c]) {
        const led = [...ledBy(s)].sort();
        assert.deepEqual(await s.stop(), { code: 0, signal: null });
        const released = s.logs().filter((l) => l.msg === 'job leader' && l.reason === 'stopping').map((l) => l.job);
        assert.deepEqual(released.sort(), led, 'a server that stops says which jobs it lets go');
      }
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      media.cleanup();
    }
  });
});

const insertId = async (db: Queryable, sql: string, params: unknown[]) => (await db.run(`${sql} RETURNING id`, params as never)).lastId!;

/** A town with one service: `request()` files a published request in it, `event()` writes one of a request's events (its triggers queue e-mails and bus messages). */
async function town(db: Queryable, now: number) {
  await db.run('INSERT INTO jurisdictions (id, name, created_at) VALUES (?, ?, ?)', ['ville.example', 'Ville', now]);
  const service = await insertId(db, 'INSERT INTO services (jurisdiction_id, code, name, updated_at) VALUES (?, ?, ?, ?)', ['ville.example', 'voirie', 'Voirie', now]);
  const request = () =>
    insertId(db, 'INSERT INTO requests (jurisdiction_id, service_id, lat, long, address, requested_at, updated_at, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      'ville.example', service, 47.39, 0.68, '12 rue Haute', now, now, 'published',
    ]);
  const event = (requestId: number, type: string, status: string | null) =>
    insertId(db, 'INSERT INTO request_events (request_id, type, detailed_status, note, public, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      requestId, type, status, null, true, 'staff:1', now,
    ]);
  return { request, event };
}

/**
 * `db`, whose first transaction to read rows `FROM` what `from` names stops right after that read (its
 * locks held, nothing written yet) until `resume` is called: one server caught in the middle of a claim.
 */
function pausedInClaim(db: Engine, from: string) {
  let reached!: () => void;
  let resume!: () => void;
  const reading = new Promise<void>((r) => (reached = r));
  const resumed = new Promise<void>((r) => (resume = r));
  const pausing = (tx: Queryable): Queryable =>
    new Proxy(tx, {
      get: (target, name) =>
        name === 'query'
          ? async (sql: string, params?: Params) => {
            const rows = await target.query(sql, params);
            if (sql.includes(from) && rows.length > 0) {
              reached();
              await resumed;
            }
            return rows;
          }
          : Reflect.get(target, name, target),
    });
  const engine = new Proxy(db, {
    get: (target, name) =>
      name === 'transaction'
        ? <T>(fn: (tx: Queryable) => Promise<T> | T) => target.transaction((tx) => fn(pausing(tx)))
        : Reflect.get(target, name, target),
  });
  return { engine, reading, resume };
}

/** Two servers' pools on a new database holding a town (see `town`). */
async function twoServers() {
  const url = await cluster.createDatabase({ migrated: true });
  const [one, two] = [await pool(url), await pool(url)];
  const now = seconds();
  return { one, two, now, ...(await town(one, now)) };
}

describe('two servers running one job at once (a hand-over)', () => {
  test('followers’ status e-mails: each arrives exactly once, the second server skipping what the first is claiming', async () => {
    const { one, two, now, request, event } = await twoServers();
    const id = await request();
    const followers = 40;
    for (let i = 0; i < followers; i++) {
      await one.run('INSERT INTO followers (request_id, kind, email, locale, notify, token, created_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id, 'supporter', `follower-${i}@example.org`, 'fr', 1, `token-${i}`, now, now,
      ]);
    }
    await event(id, 'status', 'fixed'); // queues an e-mail to each follower
    const before = smtp.received.length;
    const mailer = createMailer(smtp.url, 'ville@example.org');
    const notifier = (db: Engine) => {
      const stores = { notifications: createNotificationsStore(db), confirmations: createConfirmationsStore(db), assignments: createAssignmentMailsStore(db) };
      return createNotifier(stores, mailer, { publicUrl: 'http://localhost/', timeZone: 'Europe/Paris' }, silent);
    };
    // The first server reads the e-mails it claims, and stops there, its transaction open; the second
    // sends meanwhile; then the first goes on.
    const first = pausedInClaim(one, 'FROM notifications q');
    const firstRun = notifier(first.engine).deliver(now);
    await first.reading;
    const sent = [0, await notifier(two).deliver(now)];
    first.resume();
    sent[0] = await firstRun;
    for (const db of [one, two]) sent.push(await notifier(db).deliver(now)); // nothing left for either
    assert.deepEqual(sent, [20, 20, 0, 0], 'twenty each (a batch), then none');
    mailer.close();
    const mails = (await smtp.waitFor(before + followers)).slice(before);
    assert.equal(new Set(mails.map((m) => m.envelope.to.join(','))).size, followers, 'one e-mail to each follower');
  });

  test('the batch step: each queued request is accepted once, by one of them', async () => {
    const { one, two, now, request } = await twoServers();
    const queued: number[] = [];
    for (let i = 0; i < 50; i++) queued.push(await request());
    await one.run(`UPDATE requests SET queued = 1 WHERE id IN (${queued.join(', ')})`);
    const accepted = await Promise.all([createRequestsStore(one).acceptQueued(now), createRequestsStore(two).acceptQueued(now)]);
    assert.deepEqual(accepted.flat().sort((a, b) => a - b), queued);
    const events = await one.one<{ n: number }>("SELECT count(*) AS n FROM request_events WHERE type = 'accepted'");
    assert.equal(events!.n, queued.length, 'one acceptance in each history');
  });

  test('webhook pushes: the bus lease, under the app’s row lock, delivers each message to the CRM exactly once', async () => {
    const { one, two, now, request, event } = await twoServers();
    const crm = await startReceiver();
    try {
      await createBusAppsStore(one).create({
        jurisdictionId: 'ville.example', name: 'GRC', services: null, events: null, delivery: 'immediate', maxAttempts: 10,
        webhookUrl: crm.url, ownerEmail: null, alertWebhook: null, now, actor: 'test',
      });
      const messages = 120;
      for (let i = 0; i < messages; i++) await event(await request(), 'created', null);
      const pusher = (db: Engine) =>
        createWebhookPusher({ apps: createBusAppsStore(db), outbox: createOutboxStore(db, 'http://localhost/media/'), audit: createBusAuditStore(db), fetch: loopbackFetch });
      const servers = [pusher(one), pusher(two)];
      for (let round = 0; round < 10; round++) {
        const counts = await Promise.all(servers.map((s) => s.run(now)));
        if (counts.every((n) => n === 0)) break;
      }
      const ids = crm.received.flatMap((r) => (JSON.parse(r.body) as { messages: { id: string }[] }).messages.map((m) => m.id));
      assert.equal(ids.length, messages, `${ids.length} deliveries for ${messages} messages`);
      assert.equal(new Set(ids).size, messages);
      assert.ok(crm.received.length >= 3, 'pushed in batches');
    } finally {
      await crm.close();
    }
  });
});
