import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, spawnHelper, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

interface ConsumerRun {
  /** Messages received: id, type, attempt, request id. */
  received: { id: string; type: string; attempt: number; request: string }[];
  /** Message ids the bus confirmed acknowledged. */
  acked: Set<string>;
  exited: Promise<unknown>;
  kill(): void;
}

/** Runs the reference consumer (`georeport bus-consumer`) as its own process, reading what it prints. */
function consumer(server: ServerProcess, secret: string, args: string[]): ConsumerRun {
  const { child, exited } = spawnHelper('server/main.ts', ['bus-consumer', '--url', `${server.url}bus/v1/`, '--secret', secret, ...args]);
  const run: ConsumerRun = { received: [], acked: new Set(), exited, kill: () => child.kill('SIGKILL') };
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as { received?: string; type?: string; attempt?: number; request?: string; acked?: string[] };
      buffer = buffer.slice(nl + 1);
      if (line.received) run.received.push({ id: line.received, type: line.type!, attempt: line.attempt!, request: line.request! });
      for (const id of line.acked ?? []) run.acked.add(id);
    }
  });
  return run;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setUp() {
  const tmp = tempDir();
  const env = { GEOREPORT_DB: join(tmp.dir, 'georeport.db'), GEOREPORT_MEDIA_DIR: join(tmp.dir, 'media'), GEOREPORT_RATE_LIMIT_IP: '1000000', GEOREPORT_RATE_LIMIT_KEY: '1000000' };
  const server = await startServer({ args: ['--seed-demo'], env });
  const created = await runCli(['bus', 'apps', 'create', '--jurisdiction', 'ville.example', '--name', 'GRC'], env);
  assert.equal(created.code, 0, created.stderr);
  const secret = /^secret: (\S+)$/m.exec(created.stdout)![1]!;
  return { tmp, env, server, secret };
}

async function post(server: ServerProcess, i: number): Promise<string> {
  const res = await fetch(`${server.url}open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: 'demo-public-key', service_code: 'tag-graffiti', lat: String(47.39 + i * 1e-4), long: '0.68', email: `r${i}@exemple.fr` }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
}

test('a consumer killed with messages leased loses none: they are delivered again, once acknowledged never more', async () => {
  const { tmp, server, secret } = await setUp();
  try {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(await post(server, i));
    const first = consumer(server, secret, ['--lease', '5', '--hold-ms', '60000', '--max', '10']);
    await until(() => first.received.length === 5, 'the first consumer leases the five');
    first.kill(); // mid-lease: handled, not acknowledged
    await first.exited;
    assert.equal(first.acked.size, 0);
    await new Promise((r) => setTimeout(r, 5500));
    const second = consumer(server, secret, ['--once', '--max', '10']);
    await second.exited;
    assert.deepEqual(new Set(second.received.map((m) => m.request)), ids, 'every request delivered again');
    assert.ok(second.received.every((m) => m.attempt === 2 && m.type === 'created'));
    assert.equal(second.acked.size, 5);
    const third = consumer(server, secret, ['--once']);
    await third.exited;
    assert.deepEqual(third.received, [], 'acknowledged: not delivered again');
  } finally {
    await server.stop();
    tmp.cleanup();
  }
});

test('the server killed (SIGKILL) while requests are filed and messages leased loses no message and redelivers none acknowledged', async (t) => {
  const { tmp, env, server, secret } = await setUp();
  let restarted: ServerProcess | undefined;
  try {
    const filed = new Set<string>();
    let stop = false;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          filed.add(await post(server, w * 10_000 + i));
        } catch {
          return; // the server is gone
        }
      }
    });
    // Holding each batch 300 ms before its ack: at the kill, a batch is most likely leased and not acknowledged.
    const before = consumer(server, secret, ['--lease', '5', '--wait', '1', '--max', '20', '--hold-ms', '300']);
    await until(() => before.acked.size >= 20 && filed.size >= 100 && before.received.length > before.acked.size, 'load under way, a batch in hand');
    await server.kill();
    stop = true;
    await Promise.all(writers);
    before.kill();
    await before.exited;

    restarted = await startServer({ env });
    await new Promise((r) => setTimeout(r, 5500)); // leases of the killed server's deliveries expire
    const after = consumer(restarted, secret, ['--once', '--max', '500']);
    await after.exited;

    const delivered = new Set([...before.received, ...after.received].filter((m) => m.type === 'created').map((m) => m.request));
    const lost = [...filed].filter((id) => !delivered.has(id));
    assert.deepEqual(lost, [], `every one of the ${filed.size} acknowledged requests reached the CRM`);
    const again = after.received.filter((m) => before.acked.has(m.id));
    assert.deepEqual(again, [], `none of the ${before.acked.size} messages acknowledged before the crash came back`);
    const inHand = before.received.filter((m) => !before.acked.has(m.id)).map((m) => m.id);
    const redelivered = new Set(after.received.filter((m) => m.attempt > 1).map((m) => m.id));
    assert.ok(inHand.length > 0 && inHand.every((id) => redelivered.has(id)), 'the batch leased at the kill was delivered again');
    t.diagnostic(`${filed.size} requests filed, ${before.received.length} messages delivered and ${before.acked.size} acknowledged before the kill, ${after.received.length} delivered after the restart (${after.received.filter((m) => m.attempt > 1).length} again)`);
    const health = await fetch(`${restarted.url}bus/v1/health`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.deepEqual(((await health.json()) as { backlog: { pending: number; leased: number } }).backlog.pending, 0);
  } finally {
    await restarted?.stop();
    await server.stop();
    tmp.cleanup();
  }
});
