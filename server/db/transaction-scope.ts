import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Knows whether code runs inside one of this engine's transactions. A statement sent to the engine
 * itself from there, instead of through the transaction's handle, would wait forever for the
 * transaction on SQLite's one connection and would miss the transaction's own writes on PostgreSQL:
 * both engines refuse it at once instead, with the same message.
 */
export function createTransactionScope() {
  const scope = new AsyncLocalStorage<true>();
  return {
    run: <T>(fn: () => Promise<T>): Promise<T> => scope.run(true, fn),
    /** Throws when called from inside a transaction of this engine. */
    refuseInside(): void {
      if (scope.getStore()) throw new Error("inside a transaction, use the transaction's handle, not the engine");
    },
  };
}
