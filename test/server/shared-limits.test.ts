import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import type { Config } from '../../server/config.ts';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { createStoreRateLimiter } from '../../server/http/rate-limit.store.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { createLogger } from '../../server/logger.ts';
import { BASE, form, testConfig } from '../helpers/app.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

// Several servers on one PostgreSQL (issue 17): every test here runs there, whatever GEOREPORT_TEST_ENGINE says.
let cluster: PostgresCluster;
const opened: Engine[] = [];
before(async () => (cluster = await startPostgres()));
after(async () => {
  await Promise.all(opened.map((e) => e.close()));
  await cluster.stop();
});

/** A minute-aligned start, as a server's clock could read. */
const START = Date.UTC(2026, 5, 1, 12);

/** Two engines (two pools, as two servers have) over one new migrated database. */
async function sharedStore(): Promise<Engine[]> {
  const url = await cluster.createDatabase({ migrated: true });
  const engines = [await openEngine({ databaseUrl: url, dbFile: '', poolSize: 2 }), await openEngine({ databaseUrl: url, dbFile: '', poolSize: 2 })];
  opened.push(...engines);
  return engines;
}

/** Two georeport apps on one PostgreSQL holding the demo city, behind a proxy they trust, on one clock. */
async function twoServers(config: Partial<Config>) {
  const engines = await sharedStore();
  const clock = { ms: START };
  await seedDemo(engines[0]!, clock.ms);
  const apps = engines.map((engine) =>
    createApp({ config: testConfig({ trustProxy: true, ...config }), engine, logger: createLogger('silent'), now: () => clock.ms }),
  );
  /** Files a report on server `n` (0 or 1) from `address`, as the load balancer forwards it. */
  const file = (n: number, address: string) =>
    apps[n]!.request(`${BASE}requests.json`, {
      method: 'POST',
      body: form({ api_key: DEMO_API_KEY, service_code: 'nid-de-poule', 'attribute[taille]': 'petit', lat: '47.39', long: '0.68' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
    });
  return { file, clock };
}

async function assertRefused(res: Response, what: string): Promise<void> {
  assert.equal(res.status, 429, what);
  assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/, `Retry-After: ${what}`);
  assert.match(await res.text(), /"code":429/, what);
}

test('two servers share one client’s limit: past N filings a minute, the next is a 429 with Retry-After whichever server it reaches', async () => {
  const { file, clock } = await twoServers({ rateLimitIpPerMinute: 4, rateLimitKeyPerMinute: 1e9 });
  const client = '198.51.100.7';
  for (let i = 0; i < 4; i++) assert.equal((await file(i % 2, client)).status, 200, `filing ${i + 1} of 4, on server ${(i % 2) + 1}`);
  await assertRefused(await file(0, client), 'the fifth filing, on server 1');
  await assertRefused(await file(1, client), 'the sixth, on server 2');
  assert.equal((await file(1, '198.51.100.8')).status, 200, 'another client keeps its own budget');
  clock.ms += 60_000;
  assert.equal((await file(0, client)).status, 200, 'a new minute, a new budget');
});

test('the addresses of one IPv6 /64 share one limit on both servers; another /64 has its own', async () => {
  const { file } = await twoServers({ rateLimitIpPerMinute: 3, rateLimitKeyPerMinute: 1e9 });
  const household = ['2001:db8:1:2::1', '2001:db8:1:2:aaaa::9', '2001:db8:1:2:ffff:ffff:ffff:fffe'];
  for (const [i, address] of household.entries()) assert.equal((await file(i % 2, address)).status, 200, address);
  await assertRefused(await file(0, '2001:db8:1:2:1234::1'), 'a fourth address of the /64, on server 1');
  await assertRefused(await file(1, '2001:0db8:0001:0002::77'), 'the /64 written long, on server 2');
  assert.equal((await file(1, '2001:db8:1:3::1')).status, 200, 'the next /64');
});

test('a flood of 10,000 distinct keys is swept once its window has passed, and keys are stored bounded', async () => {
  const engines = await sharedStore();
  const clock = { ms: START };
  const limiters = engines.map((engine) => createStoreRateLimiter(engine, { name: 'ip', limit: 5, windowMs: 60_000, now: () => clock.ms, logger: createLogger('silent') }));
  const rows = async () => (await engines[0]!.one<{ n: number; longest: number }>('SELECT count(*) AS n, max(length(key)) AS longest FROM rate_limit_hits'))!;
  const long = 'k'.repeat(2000);
  for (let i = 0; i < 10_000; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => limiters[(i + j) % 2]!.hit(`${long}${i + j}`)));
  }
  assert.deepEqual(await rows(), { n: 10_000, longest: 22 }, 'the flood is counted, each key in 22 characters');
  clock.ms += 2 * 60_000; // the window after next: the flood's window is no longer kept for a lagging clock
  assert.equal((await limiters[1]!.hit('a resident')).allowed, true);
  assert.deepEqual(await rows(), { n: 1, longest: 22 }, 'the flood swept, the new window’s hit kept');
});

test('while the store does not answer, the limit still holds on each server, and the log says so once, without the client', async () => {
  const [engine] = await sharedStore();
  const lines: string[] = [];
  const limiter = createStoreRateLimiter(engine!, { name: 'ip', limit: 2, windowMs: 60_000, now: () => START, logger: createLogger('warn', (l) => lines.push(l)) });
  assert.equal((await limiter.hit('203.0.113.5')).allowed, true, 'counted in the store');
  await engine!.close();
  const results = [await limiter.hit('203.0.113.5'), await limiter.hit('203.0.113.5'), await limiter.hit('203.0.113.5')];
  assert.deepEqual(results.map((r) => r.allowed), [true, true, false], 'counted on this server alone: its limit of 2, then a refusal');
  assert.ok(results[2]!.retryAfter >= 1);
  assert.equal(lines.length, 1, lines.join(''));
  assert.match(lines[0]!, /rate limits: the store does not answer/);
  assert.doesNotMatch(lines[0]!, /203\.0\.113/);
});
