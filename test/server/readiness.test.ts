import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Engine, Params } from '../../server/db/engine.ts';
import { createReadiness } from '../../server/http/readiness.ts';
import { openTestStore } from '../helpers/test-engine.ts';

/** The store of this pass, with a count of the statements `one` has running at once (the most seen). */
async function watchedStore() {
  const { engine } = await openTestStore();
  const seen = { running: 0, most: 0, total: 0 };
  const watched = new Proxy(engine, {
    get: (target, name) =>
      name === 'one'
        ? async (sql: string, params?: Params) => {
            seen.total++;
            seen.most = Math.max(seen.most, ++seen.running);
            try {
              return await target.one(sql, params);
            } finally {
              seen.running--;
            }
          }
        : Reflect.get(target, name, target),
  }) as Engine;
  return { engine: watched, seen };
}

test('a flood of health checks looks at the store once at a time, and every check gets the answer', async () => {
  const { engine, seen } = await watchedStore();
  const readiness = createReadiness(engine);
  const answers = await Promise.all(Array.from({ length: 200 }, () => readiness.check()));
  assert.deepEqual(new Set(answers), new Set([undefined]), 'all ready');
  assert.equal(seen.most, 1, 'one statement at a time');
  assert.ok(seen.total < 200, `${seen.total} looks for 200 checks`);
});

test('a draining node says so without asking the store', async () => {
  const { engine, seen } = await watchedStore();
  const readiness = createReadiness(engine);
  readiness.drain();
  assert.equal(await readiness.check(), 'draining');
  assert.equal(seen.total, 0);
});
