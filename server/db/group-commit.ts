import type { Queryable } from './engine.ts';

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes that arrive during one turn of the event loop share a single transaction,
 * so a burst pays for one commit (and one update of the full-text and spatial indexes' pages) instead
 * of one each. Every promise settles only once the shared transaction is committed, so an answer still
 * means the write is durable. Each write of a batch of several runs in a nested transaction (a savepoint)
 * on the handle it is given: a write that throws is undone alone, its error caught outside its savepoint
 * (PostgreSQL would otherwise abort the whole batch), and the rest of the batch commits.
 */
export function createGroupCommit<I, O>(
  db: Queryable,
  write: (tx: Queryable, input: I) => Promise<O>,
  maxBatch = 256,
): (input: I) => Promise<O> {
  const queue: Pending<I, O>[] = [];
  const flush = async () => {
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) setImmediate(flush);
    const outcomes: ({ ok: true; value: O } | { ok: false; error: unknown })[] = [];
    try {
      await db.transaction(async (tx) => {
        // A write alone needs no savepoint (one round trip less on PostgreSQL): its failure is the transaction's.
        if (batch.length === 1) return void outcomes.push({ ok: true, value: await write(tx, batch[0]!.input) });
        for (const { input } of batch) {
          try {
            outcomes.push({ ok: true, value: await tx.transaction((one) => write(one, input)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error); // the commit failed: none of them is stored
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (queue.length === 1) setImmediate(flush);
    });
}
