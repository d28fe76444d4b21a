import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether the engines check where their statements come from. On Node 20 an AsyncLocalStorage makes
 * every promise of the process dearer once it runs: a fifth of an in-process GET of one request
 * (62–65 µs against 51–52 µs without it). So the check runs where mistakes are made and caught: under
 * the test runner (`node --test` sets NODE_TEST_CONTEXT in every test process and the servers they
 * start), or with GEOREPORT_CHECK_TRANSACTIONS=1.
 */
const CHECKED = process.env.NODE_TEST_CONTEXT !== undefined || process.env.GEOREPORT_CHECK_TRANSACTIONS === '1';

/**
 * Knows whether code runs inside one of this engine's transactions. A statement sent to the engine
 * itself from there, instead of through the transaction's handle, would wait forever for the
 * transaction on SQLite's one connection and would miss the transaction's own writes on PostgreSQL:
 * when checked (above), both engines refuse it at once instead, with the same message.
 */
export function createTransactionScope(checked = CHECKED) {
  if (!checked) return { run: <T>(fn: () => Promise<T>): Promise<T> => fn(), refuseInside(): void {} };
  const scope = new AsyncLocalStorage<true>();
  return {
    run: <T>(fn: () => Promise<T>): Promise<T> => scope.run(true, fn),
    /** Throws when called from inside a transaction of this engine. */
    refuseInside(): void {
      if (scope.getStore()) throw new Error("inside a transaction, use the transaction's handle, not the engine");
    },
  };
}
