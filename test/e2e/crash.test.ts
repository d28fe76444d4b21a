/**
 * "Nothing lost": a request acknowledged with 200 survives a `kill -9` of the server. Real
 * processes, a real SQLite file, concurrent writers, a SIGKILL in the middle of the load, then a
 * restart on the same file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, tempDir } from '../helpers/server-process.ts';

const CLIENTS = 12;
/** The load lasts LOAD_MS and until TARGET requests are acknowledged (MAX_LOAD_MS at most). */
const LOAD_MS = 2_000;
const TARGET = 500;
const MAX_LOAD_MS = 15_000;
/** Fewer acknowledgements than this prove nothing: fail rather than pass vacuously. */
const MIN_ACKNOWLEDGED = 200;
const LOAD_ENV = { GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000' };

interface Sent {
  service_code: string;
  description: string;
  lat: string;
  long: string;
  address_string: string;
}

/** A request no other one resembles: its own text (with non-ASCII), coordinates and address. */
function uniqueRequest(client: number, n: number): Sent & Record<string, string> {
  const withAttribute = n % 2 === 0;
  return {
    api_key: 'demo-public-key',
    service_code: withAttribute ? 'nid-de-poule' : 'corbeille-pleine',
    ...(withAttribute ? { 'attribute[taille]': ['petit', 'moyen', 'grand'][n % 3]! } : {}),
    description: `crash ${client}/${n} — chaussée abîmée près de l'école ${Math.random()}`,
    lat: (47 + client / 100 + n / 1_000_000).toFixed(6),
    long: (-(client / 10) - n / 1_000_000).toFixed(6),
    address_string: `${n} rue du Client ${client}, Ville`,
  };
}

test('a request answered 200 before a SIGKILL is served intact after a restart', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = `${dir}/georeport.db`;

  const first = await startServer({ args: ['--seed-demo', '--db', db], env: LOAD_ENV });
  t.after(() => first.kill());
  const postUrl = `${first.url}open311/v2/requests.json`;

  const acknowledged: { id: string; sent: Sent }[] = [];
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killed = false;
  const unexpected: string[] = [];

  const client = async (c: number) => {
    for (let n = 0; !killed; n++) {
      const fields = uniqueRequest(c, n);
      inFlight++;
      try {
        const res = await fetch(postUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
        const text = await res.text();
        if (res.status !== 200) {
          unexpected.push(`${res.status} ${text}`);
          continue;
        }
        const body = JSON.parse(text) as { service_request_id: string }[];
        acknowledged.push({ id: body[0]!.service_request_id, sent: fields });
      } catch (e) {
        // Refused or reset: acceptable only once the server is killed (no answer, no promise made).
        if (!killed) unexpected.push(String((e as Error).cause ?? e));
      } finally {
        inFlight--;
      }
    }
  };

  const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const started = Date.now();
  while (
    Date.now() - started < MAX_LOAD_MS &&
    (Date.now() - started < LOAD_MS || acknowledged.length < TARGET)
  ) {
    await sleep(50);
  }
  inFlightAtKill = inFlight;
  killed = true;
  const exit = await first.kill();
  await load;

  assert.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped');
  assert.deepEqual(unexpected, [], 'every request before the kill was answered 200');
  assert.ok(inFlightAtKill > 0, 'the kill landed while requests were in flight');
  assert.ok(
    acknowledged.length >= MIN_ACKNOWLEDGED,
    `only ${acknowledged.length} acknowledged before the kill (need ${MIN_ACKNOWLEDGED})`,
  );
  assert.equal(
    new Set(acknowledged.map((a) => a.id)).size,
    acknowledged.length,
    'each acknowledgement has its own id',
  );

  // Restart on the same file without seeding (still a demo, whose key works): catalogue, key and requests
  // all come from disk.
  const second = await startServer({ args: ['--demo', '--db', db], env: LOAD_ENV });
  t.after(() => second.kill());
  const health = await fetch(`${second.url}health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  const missing: string[] = [];
  const damaged: string[] = [];
  const queue = [...acknowledged];
  const reader = async () => {
    for (let a = queue.pop(); a; a = queue.pop()) {
      const res = await fetch(`${second.url}open311/v2/requests/${a.id}.json`);
      if (res.status !== 200) {
        missing.push(`${a.id} (${res.status})`);
        await res.body?.cancel();
        continue;
      }
      const [got] = (await res.json()) as Record<string, unknown>[];
      const want = {
        service_request_id: a.id,
        service_code: a.sent.service_code,
        description: a.sent.description,
        lat: Number(a.sent.lat),
        long: Number(a.sent.long),
        address: a.sent.address_string,
      };
      const have = Object.fromEntries(Object.keys(want).map((k) => [k, got?.[k]]));
      if (JSON.stringify(have) !== JSON.stringify(want))
        damaged.push(`${JSON.stringify(have)} != ${JSON.stringify(want)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  assert.deepEqual(
    missing.slice(0, 10),
    [],
    `${missing.length} of ${acknowledged.length} acknowledged requests are lost`,
  );
  assert.deepEqual(
    damaged.slice(0, 5),
    [],
    `${damaged.length} acknowledged requests came back altered`,
  );

  // The store keeps working after the crash, and never hands out an acknowledged id again.
  const after = await fetch(`${second.url}open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(uniqueRequest(99, 1)).toString(),
  });
  assert.equal(after.status, 200);
  const [created] = (await after.json()) as { service_request_id: string }[];
  const highest = Math.max(...acknowledged.map((a) => Number(a.id)));
  assert.ok(
    Number(created!.service_request_id) > highest,
    `new id ${created!.service_request_id} reuses an acknowledged one (≤ ${highest})`,
  );

  const stopped = await second.stop();
  assert.equal(stopped.code, 0, `the restarted server stops cleanly\n${second.stderr()}`);
  if (process.env.GEOREPORT_E2E_VERBOSE) {
    console.log(
      `crash: ${acknowledged.length} acknowledged, ${inFlightAtKill} in flight at the kill`,
    );
  }
});
