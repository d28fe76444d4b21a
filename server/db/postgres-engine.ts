import postgres from 'postgres';
import { createCacheVersionBoard } from './pg-cache-versions.ts';
import type { Engine, Params, Queryable, RunResult } from './engine.ts';
import { numberPlaceholders, orderedValues, type Numbered } from './sql-params.ts';
import { createTransactionScope } from './transaction-scope.ts';

/** Statement texts whose placeholders are kept rewritten (as many as the SQLite engine keeps prepared). */
const CACHE_SIZE = 500;

/** int8 as a number (ids, epoch seconds, counts); a value past 2^53 would lose digits, so it is refused. */
function integer(raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${raw} is beyond what a JavaScript number holds`);
  return n;
}

/** Who reads each pool's NOTICEs: the engine over it (its cache versions), none otherwise. */
const noticeReaders = new WeakMap<postgres.Sql, (notice: postgres.Notice) => void>();

/**
 * Opens a pool to PostgreSQL reading values as the SQLite engine gives them (see engine.ts): int8 and
 * numeric as numbers (`count(*)` and `sum()` are int8 and numeric there), booleans as 1/0. Notices
 * (`… already exists, skipping`) are not printed: the engine over the pool reads those of its cache
 * versions (migration 018), the rest are dropped. `prepare=false` in the URL turns off named prepared
 * statements, for PgBouncer in transaction mode before 1.21.
 */
export function connectPostgres(url: string, options: { max?: number; onclose?: () => void } = {}): postgres.Sql {
  const sql: postgres.Sql = postgres(url, {
    max: options.max ?? 10,
    // A session told when it ends (`onclose`) is kept for life, idle or not: the driver would otherwise
    // replace its connection after 30 to 60 minutes, ending whatever the session holds (advisory locks).
    ...(options.onclose ? { onclose: options.onclose, max_lifetime: null, idle_timeout: null } : {}),
    onnotice: (notice) => noticeReaders.get(sql)?.(notice),
    // Array and extension types are not read as such here: skipping their look-up saves a round trip per connection.
    fetch_types: false,
    types: {
      int8: { to: 20, from: [20], serialize: String, parse: integer },
      numeric: { to: 1700, from: [1700], serialize: String, parse: Number },
      bool01: { to: 16, from: [16], serialize: (b: unknown) => (b ? 't' : 'f'), parse: (raw: string) => (raw === 't' ? 1 : 0) },
    },
  });
  return sql;
}

/**
 * The Engine over a `postgres` pool. A statement outside a transaction takes any free connection (and
 * is pipelined with others on it); a transaction reserves one connection, and its statements go through
 * the handle it is given, so two transactions never interleave. Nested transactions are savepoints.
 */
export function createPostgresEngine(sql: postgres.Sql): Engine {
  const rewritten = new Map<string, Numbered>();
  const scope = createTransactionScope();
  const prepare = sql.options.prepare !== false;

  const numbered = (text: string): Numbered => {
    let n = rewritten.get(text);
    if (!n) {
      n = numberPlaceholders(text);
      if (rewritten.size >= CACHE_SIZE) rewritten.delete(rewritten.keys().next().value!);
      rewritten.set(text, n);
    }
    return n;
  };

  const queryable = (conn: postgres.Sql | postgres.TransactionSql, check: () => void): Queryable => {
    const exec = (text: string, params?: Params) => {
      check();
      const n = numbered(text);
      return conn.unsafe(n.text, orderedValues(n, params) as postgres.ParameterOrJSON<never>[], { prepare });
    };
    let nested: Promise<unknown> = Promise.resolve();
    return {
      kind: 'postgres',
      query: async <T>(text: string, params?: Params) => Array.from(await exec(text, params)) as T[],
      values: async <T extends readonly unknown[]>(text: string, params?: Params) => Array.from(await exec(text, params).values()) as unknown as T[],
      one: async <T>(text: string, params?: Params) => (await exec(text, params))[0] as T | undefined,
      async run(text: string, params?: Params): Promise<RunResult> {
        const result = await exec(text, params);
        const id = result.at(-1)?.id;
        const changes = result.count ?? 0;
        return typeof id === 'number' ? { changes, lastId: id } : { changes };
      },
      async transaction<T>(fn: (tx: Queryable) => Promise<T> | T): Promise<T> {
        check();
        // On the pool, each transaction reserves its own connection and they run side by side; within a
        // transaction, savepoints share its connection, so they take turns.
        if (!('savepoint' in conn)) return scope.run(() => conn.begin((tx) => within(tx, fn)) as Promise<T>);
        const result = nested.then(() => conn.savepoint((tx) => within(tx, fn)) as Promise<T>);
        nested = result.catch(() => undefined);
        return result;
      },
    };
  };

  /** Runs `fn` with a handle on `tx` that refuses statements once the transaction has ended. */
  const within = async <T>(tx: postgres.TransactionSql, fn: (tx: Queryable) => Promise<T> | T): Promise<T> => {
    let open = true;
    try {
      return await fn(
        queryable(tx, () => {
          if (!open) throw new Error('this transaction has ended: use the engine, not its old handle');
        }),
      );
    } finally {
      open = false;
    }
  };

  // Listens from the first cached read on: a command that reads no cache (migrate, copy) never does.
  const versions = createCacheVersionBoard(sql);
  noticeReaders.set(sql, versions.noticed);
  return {
    ...queryable(sql, scope.refuseInside),
    knownCacheVersion: versions.known,
    close: async () => {
      await versions.close();
      await sql.end({ timeout: 5 });
    },
    // The driver listens on a connection of its own, outside the pool, closed with it.
    listen: async (channel, onNotify, onListen) => void (await sql.listen(channel, onNotify, onListen)),
  };
}
