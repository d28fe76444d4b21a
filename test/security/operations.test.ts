import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';
import { createLogger } from '../../server/logger.ts';
import { csvField } from '../../server/opendata/csv.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { BASE, createTestApp, form, testConfig } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';
import { startServer } from '../helpers/server-process.ts';
import { createSqliteEngine } from '../../server/db/sqlite-engine.ts';

describe('security: operational defaults', () => {
  test('item 16: unsubscribe and confirmation tokens never reach the request log', async () => {
    const lines: string[] = [];
    const db = openDatabase(':memory:');
    const engine = createSqliteEngine(db);
    await seedDemo(engine, Date.now());
    const app = createApp({ config: testConfig({ demo: true }), engine, logger: createLogger('info', (l) => lines.push(l)) });
    const token = 'Zq8mV3kP1xR7tY2wN5bH4cJ6';
    await app.request(`http://localhost/unsubscribe/${token}`);
    await app.request(`http://localhost/unsubscribe/${token}`, { method: 'POST' });
    assert.ok(lines.length >= 2, 'the requests were logged');
    assert.ok(lines.every((l) => !l.includes(token)), lines.join(''));
  });

  test('item 16: CSV cells that a spreadsheet would run, even after spaces, are defused', () => {
    for (const attack of [' =HYPERLINK("https://evil.example","x")', '\t=1+1', '  +33 cmd', ' -2+3', '\u00a0@SUM(A1)', '\n=1']) {
      const cell = csvField(attack);
      assert.match(cell.replace(/^"/, ''), /^'/, JSON.stringify(attack));
    }
    assert.equal(csvField('rue de la Paix'), 'rue de la Paix');
  });

  test('item 16: a photo URL on another host is not shown to the public (no tracking pixel, no unmoderated picture)', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { media_url: 'https://tracker.example/pixel.png?who=everyone' }));
    for (const query of [`requests/${id}.json`, `requests/${id}.json?extensions=true`, `requests.json?service_request_id=${id}&extensions=true`]) {
      assert.doesNotMatch(await (await t.get(query)).text(), /tracker\.example/, query);
    }
  });

  test('item 16: a few addresses cannot use up the public key’s limit and lock every resident out', async () => {
    const t = await createTestApp({ config: { trustProxy: true, rateLimitIpPerMinute: 5, rateLimitKeyPerMinute: 10 } });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      for (let i = 0; i < 5; i++) await t.post('requests.json', pothole(t, { lat: `47.3${i}` }), from(ip));
    }
    const resident = await t.post('requests.json', pothole(t), from('203.0.113.77'));
    assert.equal(resident.status, 200, await resident.text());
  });

  test('item 16: IPv6 clients rotating addresses within their /64 share one per-address limit', async () => {
    const t = await createTestApp({ config: { trustProxy: true, rateLimitIpPerMinute: 5 } });
    const statuses = [];
    for (let i = 1; i <= 8; i++) {
      const res = await t.post('requests.json', pothole(t, { lat: `47.3${i}` }), { 'X-Forwarded-For': `2001:db8:1:2::${i.toString(16)}` });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    const neighbour = await t.post('requests.json', pothole(t), { 'X-Forwarded-For': '2001:db8:1:3::1' });
    assert.equal(neighbour.status, 200, 'another /64 is another household');
  });

  test('item 16: the well-known demo key works only on a server started in demo mode', async () => {
    const db = openDatabase(':memory:');
    const engine = createSqliteEngine(db);
    await seedDemo(engine, Date.now());
    const app = createApp({ config: testConfig({ demo: false }), engine, logger: createLogger('silent') });
    const res = await app.request(`${BASE}requests.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ api_key: DEMO_API_KEY, service_code: 'tag-graffiti', lat: '47.39', long: '0.68' }),
    });
    assert.equal(res.status, 403, await res.text());
  });

  test('item 16: a demo server on a public address warns at start-up that its key is public', async () => {
    const server = await startServer({ args: ['--seed-demo', '--db', ':memory:', '--public-url', 'https://311.ville.example/'] });
    try {
      const warning = await server.waitForLog('the demo key is enabled on a public address', 5000);
      assert.equal(warning.level, 'warn');
    } finally {
      await server.stop();
    }
  });
});
