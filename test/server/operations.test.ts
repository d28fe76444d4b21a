import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, DEMO_REQUESTS } from '../helpers/app.ts';
import { pothole } from '../helpers/georeport.ts';

test('/health answers ok while the store answers, 503 when it does not', async () => {
  const t = await createTestApp();
  const ok = await t.app.request('http://localhost/health');
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { status: 'ok' });
  await t.engine.close();
  const down = await t.app.request('http://localhost/health');
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: 'unavailable', reason: 'store unreachable' });
});

test('/metrics counts requests by route pattern and status, and reports the store and rate-limit refusals', async () => {
  const t = await createTestApp({ config: { rateLimitIpPerMinute: 1, metricsToken: 'metrics-token-for-tests' } });
  await t.get('services.json');
  await t.get('services/lampadaire.json');
  await t.get('services/inconnu.json');
  await t.get('no-such-thing');
  await t.post('requests.json', pothole(t));
  await t.post('requests.json', pothole(t));
  const res = await t.app.request('http://localhost/metrics', { headers: { Authorization: 'Bearer metrics-token-for-tests' } });
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /georeport_http_requests_total\{method="GET",route="\/open311\/v2\/services\.json",status="200"\} 1/);
  assert.match(text, /georeport_http_requests_total\{method="GET",route="\/open311\/v2\/services\/:file",status="200"\} 1/);
  assert.match(text, /georeport_http_requests_total\{method="GET",route="\/open311\/v2\/services\/:file",status="404"\} 1/);
  assert.match(text, /georeport_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/, 'raw paths never become labels');
  assert.match(text, /georeport_http_requests_total\{method="POST",route="\/open311\/v2\/requests\.json",status="429"\} 1/);
  assert.match(text, /georeport_http_request_duration_seconds_bucket\{method="GET",route="\/open311\/v2\/services\.json",le="\+Inf"\} 1/);
  assert.match(text, /georeport_rate_limited_total\{scope="ip"\} 1/);
  assert.match(text, new RegExp(`georeport_store_requests\\{visibility="published"\\} ${DEMO_REQUESTS + 1}\n`));
  assert.match(text, /georeport_store_bytes \d{4,}/);
});

test('rate limits: past the per-IP limit a POST is a 429 with Retry-After and an Open311 error; per key too', async () => {
  const t = await createTestApp({ config: { rateLimitIpPerMinute: 2, rateLimitKeyPerMinute: 1000 } });
  assert.equal((await t.post('requests.json', pothole(t))).status, 200);
  assert.equal((await t.post('requests.json', pothole(t))).status, 200);
  const refused = await t.post('requests.xml', pothole(t));
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get('retry-after')!, /^\d+$/);
  assert.match(await refused.text(), /<errors><error><code>429<\/code><description>too many requests/);
  t.clock.ms += 61_000;
  assert.equal((await t.post('requests.json', pothole(t))).status, 200, 'a new minute, a new allowance');

  const k = await createTestApp({ config: { rateLimitIpPerMinute: 1000, rateLimitKeyPerMinute: 1 } });
  assert.equal((await k.post('requests.json', pothole(k))).status, 200);
  assert.equal((await k.post('requests.json', pothole(k))).status, 429);
  assert.equal((await k.get('requests.json')).status, 200, 'reads are not limited');
});
