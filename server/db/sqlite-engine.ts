import type Database from 'better-sqlite3';
import type { Engine, Params, Queryable, RunResult } from './engine.ts';
import { bindParams } from './sql-params.ts';
import { createTransactionScope } from './transaction-scope.ts';

type Statement = Database.Statement<unknown[]>;

/** Statements kept prepared; a store has a few dozen, dynamic filters build a few hundred at most. */
const CACHE_SIZE = 500;

/**
 * The Engine over one better-sqlite3 connection. Every statement runs synchronously when called (the
 * promise is already settled), so a transaction costs what it did: no turn of the event loop between
 * its statements. Because that one connection is shared, a transaction holds it: a call on the engine
 * itself made while a transaction is open (from another request) waits for the transaction to end
 * instead of slipping into it.
 */
export function createSqliteEngine(db: Database.Database): Engine {
  const cache = new Map<string, Statement>();
  let held: Promise<void> | undefined;
  /**
   * The error with which SQLite rolled the whole open transaction back from inside a savepoint (a full
   * disk or store does: SQLITE_FULL). Whoever caught it inside (group commit goes on with the other
   * writes of its batch) must not carry on in autocommit: every later statement, savepoint or commit of
   * that transaction throws it, so none of its writes is answered as stored.
   */
  let rolledBack: { error: unknown } | undefined;
  const refuseIfRolledBack = () => {
    if (rolledBack) throw rolledBack.error;
  };
  const scope = createTransactionScope();

  const prepare = (sql: string): Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  };
  const args = (params: Params | undefined): unknown[] => (params === undefined ? [] : [bindParams(params)]);

  const all = (sql: string, params?: Params): unknown[] => {
    const statement = prepare(sql);
    if (!statement.reader) {
      statement.run(...args(params));
      return [];
    }
    return statement.all(...args(params));
  };
  const arrays = (sql: string, params?: Params): unknown[] => {
    const statement = prepare(sql).raw(true);
    try {
      return statement.all(...args(params));
    } finally {
      statement.raw(false);
    }
  };
  const first = (sql: string, params?: Params): unknown => {
    const statement = prepare(sql);
    return statement.reader ? statement.get(...args(params)) : void statement.run(...args(params));
  };
  const run = (sql: string, params?: Params): RunResult => {
    const statement = prepare(sql);
    if (!statement.reader) return { changes: statement.run(...args(params)).changes };
    const rows = statement.all(...args(params)) as { id?: number }[];
    const id = rows.at(-1)?.id;
    return typeof id === 'number' ? { changes: rows.length, lastId: id } : { changes: rows.length };
  };

  /** A handle whose statements run inside the open transaction (or savepoint) `depth`. */
  const handle = (depth: number): { tx: Queryable; end: () => void } => {
    let open = true;
    let nested: Promise<unknown> = Promise.resolve();
    const check = () => {
      if (!open) throw new Error('this transaction has ended: use the engine, not its old handle');
      refuseIfRolledBack();
    };
    const tx: Queryable = {
      kind: 'sqlite',
      query: async <T>(sql: string, params?: Params) => (check(), all(sql, params) as T[]),
      values: async <T extends readonly unknown[]>(sql: string, params?: Params) => (check(), arrays(sql, params) as T[]),
      one: async <T>(sql: string, params?: Params) => (check(), first(sql, params) as T | undefined),
      run: async (sql, params) => (check(), run(sql, params)),
      transaction: <T>(fn: (tx: Queryable) => Promise<T> | T) => {
        check();
        const result = nested.then(() => within(depth + 1, fn));
        nested = result.catch(() => undefined);
        return result;
      },
    };
    return { tx, end: () => (open = false) };
  };

  /** Runs `fn` in a transaction (depth 0) or a savepoint (depth ≥ 1). */
  const within = async <T>(depth: number, fn: (tx: Queryable) => Promise<T> | T): Promise<T> => {
    const name = `s${depth}`;
    refuseIfRolledBack(); // a savepoint now would begin a transaction of its own
    // IMMEDIATE takes the write lock at once: a deferred transaction that reads then writes can fail
    // with SQLITE_BUSY while another process (a CLI command) writes, which the busy timeout cannot cure.
    db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`);
    const { tx, end } = handle(depth);
    try {
      const value = await fn(tx);
      refuseIfRolledBack();
      db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${name}`);
      return value;
    } catch (error) {
      // Some errors (a full disk, an interrupted statement) have already rolled SQLite back, savepoints
      // and all: then the transaction is over, whatever the code around the savepoint decides.
      if (db.inTransaction) db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`);
      else if (depth > 0) rolledBack ??= { error };
      throw error;
    } finally {
      end();
      if (depth === 0) rolledBack = undefined;
    }
  };

  /** Runs `work` now, or once the open transaction has ended. */
  const outside = <T>(work: () => T): Promise<T> => {
    try {
      if (held) {
        scope.refuseInside();
        return held.then(() => outside(work));
      }
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    kind: 'sqlite',
    query: <T>(sql: string, params?: Params) => outside(() => all(sql, params) as T[]),
    values: <T extends readonly unknown[]>(sql: string, params?: Params) => outside(() => arrays(sql, params) as T[]),
    one: <T>(sql: string, params?: Params) => outside(() => first(sql, params) as T | undefined),
    run: (sql, params) => outside(() => run(sql, params)),
    async transaction<T>(fn: (tx: Queryable) => Promise<T> | T): Promise<T> {
      if (held) scope.refuseInside();
      while (held) await held;
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      try {
        return await scope.run(() => within(0, fn));
      } finally {
        held = undefined;
        release();
      }
    },
    async close() {
      while (held) await held;
      db.close();
    },
  };
}
