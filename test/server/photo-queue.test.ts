import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPhotoQueue } from '../../server/media/photo-queue.ts';

/** A job that runs until released, recording how many ran at once. */
function gate(stats: { running: number; most: number }) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const work = async () => {
    stats.running++;
    stats.most = Math.max(stats.most, stats.running);
    await opened;
    stats.running--;
    return 'done';
  };
  return { work, open };
}

test('at most workers + waiting places are handed out; one left is handed out again', () => {
  const queue = createPhotoQueue({ workers: 2, waiting: 1 });
  const places = [queue.enter(), queue.enter(), queue.enter()];
  assert.ok(places.every(Boolean));
  assert.equal(queue.enter(), undefined, 'the fourth caller is refused at once');
  places[0]!.leave();
  places[0]!.leave(); // twice changes nothing
  const again = queue.enter();
  assert.ok(again, 'a place left is free again');
  assert.equal(queue.enter(), undefined, 'and only one');
});

test('no more than `workers` jobs run at once, and waiting ones run in their turn', async () => {
  const queue = createPhotoQueue({ workers: 2, waiting: 3 });
  const stats = { running: 0, most: 0 };
  const gates = Array.from({ length: 5 }, () => gate(stats));
  const runs = gates.map((g) => queue.enter()!.run(g.work));
  await new Promise((r) => setImmediate(r));
  assert.equal(stats.running, 2, 'two start');
  for (const g of gates) g.open();
  assert.deepEqual(await Promise.all(runs), ['done', 'done', 'done', 'done', 'done']);
  assert.equal(stats.most, 2, 'never more than two at once');
});

test('a failing job frees its worker for the next', async () => {
  const queue = createPhotoQueue({ workers: 1, waiting: 1 });
  const first = queue.enter()!.run(async () => {
    throw new Error('corrupt');
  });
  const second = queue.enter()!.run(async () => 'next');
  await assert.rejects(first, /corrupt/);
  assert.equal(await second, 'next');
});

test('a queue without workers is a configuration error', () => {
  assert.throws(() => createPhotoQueue({ workers: 0, waiting: 1 }), RangeError);
  assert.throws(() => createPhotoQueue({ workers: 1, waiting: -1 }), RangeError);
});
