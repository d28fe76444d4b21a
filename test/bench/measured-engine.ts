/**
 * An Engine that times and counts every call made through it, for post-steps.ts: each statement (a
 * `query`, `values`, `one` or `run`), and each transaction's BEGIN (from the call until its function
 * runs: a pool connection leased, SQLite's write lock taken), SAVEPOINT (a nested transaction) and
 * COMMIT (from the function's end until the transaction resolves). What a statement is counted under is
 * `classify`'s choice outside a transaction, and `inside` within one, where the time is the function's
 * whole run (statements sent together overlap: their own times would add up to more than it).
 */
import type { Engine, Params, Queryable } from '../../server/db/engine.ts';

export interface Call {
  /** The step it is counted under. */
  step: string;
  ms: number;
  /** False for the time of a transaction's function, which is no call of its own. */
  call: boolean;
}

export interface MeasuredEngine extends Engine {
  /** The calls made since the last `take`, forgotten once taken. */
  take(): Call[];
}

export function measureEngine(engine: Engine, classify: (sql: string) => string, inside: string): MeasuredEngine {
  let calls: Call[] = [];
  /** A call's time, unless it runs in a transaction (`depth` > 0), whose function's time counts instead. */
  const timed = (depth: number) => async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      calls.push({ step, ms: depth === 0 ? performance.now() - start : 0, call: true });
    }
  };

  /** `db`'s statements, each counted under `stepOf` its text. */
  const wrap = (db: Queryable, stepOf: (sql: string) => string, depth: number): Queryable => {
    const time = timed(depth);
    return {
    kind: db.kind,
      query: <T>(sql: string, params?: Params) => time(stepOf(sql), () => db.query<T>(sql, params)),
      values: <T extends readonly unknown[]>(sql: string, params?: Params) => time(stepOf(sql), () => db.values<T>(sql, params)),
      one: <T>(sql: string, params?: Params) => time(stepOf(sql), () => db.one<T>(sql, params)),
      run: (sql: string, params?: Params) => time(stepOf(sql), () => db.run(sql, params)),
      async transaction<T>(fn: (tx: Queryable) => Promise<T> | T): Promise<T> {
        const called = performance.now();
        let started = 0;
        let ended = 0;
        const result = await db.transaction(async (tx) => {
          started = performance.now();
          calls.push(depth === 0 ? { step: 'begin', ms: started - called, call: true } : { step: inside, ms: 0, call: true });
          try {
            return await fn(wrap(tx, () => inside, depth + 1));
          } finally {
            ended = performance.now();
          }
        });
        if (depth === 0) calls.push({ step: inside, ms: ended - started, call: false }, { step: 'commit', ms: performance.now() - ended, call: true });
        return result;
      },
      ...(db.knownCacheVersion ? { knownCacheVersion: db.knownCacheVersion.bind(db) } : {}),
    };
  };

  return {
    ...wrap(engine, classify, 0),
    close: () => engine.close(),
    ...(engine.listen ? { listen: engine.listen.bind(engine) } : {}),
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
  };
}
