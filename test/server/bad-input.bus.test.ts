import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { anyJsonOf, MIXED } from '../helpers/bad-get.ts';
import { brief, createRng, encodePairs, SEED, storeSnapshot, type Rng } from '../helpers/bad-input.ts';
import { busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

const KEYS = ['ids', 'id', 'retry_after', 'error', 'update_id', 'detailed_status', 'note', 'public', 'external_id', 'expected_datetime', 'services', 'service_code'];
const anyJson = (rng: Rng) => anyJsonOf(rng, KEYS);

/** A body for `path`: usually the right shape with one field spoiled, sometimes anything, sometimes not JSON. */
function body(rng: Rng, path: string): string {
  if (rng.chance(0.1)) return rng.pick(['', '{', 'null', '[]', '{"ids":', rng.text(1, 50, MIXED)]);
  if (rng.chance(0.2)) return JSON.stringify(anyJson(rng));
  const valid: Record<string, Record<string, unknown>> = {
    ack: { ids: ['1'] }, nack: { id: '1', retry_after: 30, error: 'x' }, replay: { ids: ['1'] },
    updates: { update_id: 'u', detailed_status: 'planned', note: 'n', public: true, external_id: 'e', expected_datetime: '2026-06-10T08:00:00Z', agency_responsible: 'a' },
    catalogue: { services: [{ service_code: 'a', service_name: 'A', attributes: [{ code: 'x', datatype: 'string', order: 1 }] }] },
  };
  const shape = { ...valid[path]! };
  const key = rng.pick(Object.keys(shape));
  shape[key] = anyJson(rng);
  return JSON.stringify(shape);
}

test('the bus answers generated malformed calls with a JSON error, never a 5xx, and a refused write changes nothing', async () => {
  const t = await createTestApp();
  const { secret } = await busApp(t);
  const id = await file(t, pothole(t));
  await lease(t, secret);
  const rng = createRng(SEED ^ 0xb05);
  const calls: [string, string, string][] = [
    ['POST', 'ack', 'ack'], ['POST', 'nack', 'nack'], ['POST', 'replay', 'replay'],
    ['POST', `requests/${id}/updates`, 'updates'], ['PUT', 'catalogue', 'catalogue'],
  ];
  const reads = ['messages', 'history', 'dead-letters', 'audit'];
  for (let n = 0; n < 600; n++) {
    const before = (await storeSnapshot(t.engine)) + JSON.stringify(await t.engine.query('SELECT code, active FROM services ORDER BY id'));
    let res: Response;
    let label: string;
    if (rng.chance(0.3)) {
      const path = rng.pick(reads);
      const query = encodePairs(Array.from({ length: rng.int(1, 3) }, () => [rng.pick(['max', 'wait', 'lease', 'since', 'after', 'limit', rng.text(1, 6)]), String(anyJson(rng))] as const));
      label = `GET ${path}?${brief(query)}`;
      res = await t.app.request(`http://localhost/bus/v1/${path}?${query.replace(/wait=\d+/, 'wait=0')}`, { headers: { Authorization: `Bearer ${secret}` } });
    } else {
      const [method, path, shape] = rng.pick(calls);
      const sent = body(rng, shape);
      label = `${method} ${path} ${brief(sent)}`;
      res = await t.app.request(`http://localhost/bus/v1/${path}`, { method, body: sent, headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' } });
    }
    const context = `seed ${SEED} bus case ${n}: ${label}`;
    assert.ok(res.status < 500, `never a 5xx: ${context}`);
    const answer = (await res.json()) as { error?: { code: number; message: string } };
    if (res.status >= 400) {
      assert.equal(answer.error?.code, res.status, `a JSON error with its code: ${context}`);
      assert.ok(answer.error!.message, context);
      const after = (await storeSnapshot(t.engine)) + JSON.stringify(await t.engine.query('SELECT code, active FROM services ORDER BY id'));
      assert.equal(after, before, `refused, nothing changed: ${context}`);
    }
  }
});
