/**
 * One asynchronous database interface over the two engines georeport runs on: the embedded SQLite file
 * (better-sqlite3, the default) and PostgreSQL + PostGIS (issue 16). Stores write one hand-written
 * statement per query and run it on either engine through this interface.
 *
 * The dialect, decided once so that every statement reads the same on both engines:
 * - **Placeholders** are better-sqlite3's own: `?` with an array of values, or `@name` with an object
 *   (for a value used twice, or many optional filters). Every existing statement is already written so,
 *   the SQLite path binds them untouched (no rewriting on the default engine), and the PostgreSQL engine
 *   turns them into `$1…$n` once per statement text. `$1` was not chosen: better-sqlite3 reads it as a
 *   named parameter, so the default engine would have paid the rewriting instead. Never mix the two
 *   styles in one statement; the jsonb `?` operators are spelt as functions (`jsonb_exists`).
 * - **Values bound**: `true`/`false` become `1`/`0` (SQLite has no booleans; the PostgreSQL schema
 *   keeps the same `0`/`1` integer columns), plain objects and arrays become their JSON text (JSON
 *   columns are text on both engines, so a value reads back exactly as written), `undefined` is NULL.
 * - **Values read**: integers are JavaScript numbers on both (PostgreSQL's int8 and numeric are parsed),
 *   and a PostgreSQL boolean expression reads `1`/`0`, as SQLite's does.
 * - **New ids**: write `INSERT … RETURNING id` (SQLite ≥ 3.35 has it): `run` reports the `id` of the
 *   last row returned as `lastId` on both engines, and nothing without `RETURNING`, so a store that
 *   relied on SQLite's `lastInsertRowid` fails on the default engine's tests too.
 * - **Now**: `unixepoch()` (epoch seconds) is SQLite's built-in and a function of the PostgreSQL schema.
 * - **Untyped values**: PostgreSQL types each placeholder from the statement and cannot type one that
 *   is only tested for NULL (`@q IS NULL OR …`): write `CAST(@q AS TEXT) IS NULL`, which SQLite reads alike.
 * - **Errors in a transaction**: PostgreSQL aborts a transaction at the first failed statement, so a
 *   statement whose failure is expected (a unique key hit) runs in a nested `transaction` (a savepoint)
 *   and its error is caught outside it; never catch and go on within the same transaction.
 */

/** A value a statement can be given. Objects and arrays are bound as JSON text. */
export type SqlValue = string | number | bigint | boolean | null | undefined | Uint8Array | object;

/** Values for `?` placeholders (an array) or for `@name` ones (an object keyed by name, without `@`). */
export type Params = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
  /** The `id` of the last row returned by `RETURNING id`; undefined without `RETURNING`. */
  lastId?: number;
}

/** What a store needs of a database: the engine itself, or the transaction it is handed. */
export interface Queryable {
  /** The engine the statements run on, for the few statements written twice (spatial plans, text search). */
  readonly kind: 'sqlite' | 'postgres';
  /** Every row the statement returns (none for a statement that returns nothing). */
  query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /**
   * Every row as an array of its columns, in the order the statement selects them: for hot list reads,
   * where an object a row costs twice as much (better-sqlite3's `.raw()`, the `postgres` driver's `.values()`).
   */
  values<T extends readonly unknown[]>(sql: string, params?: Params): Promise<T[]>;
  /** The first row, or undefined. */
  one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  /** Runs a write; see RunResult. */
  run(sql: string, params?: Params): Promise<RunResult>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back (and its error rethrown) when it
   * throws. Called on a transaction, it runs in a savepoint: its failure undoes its own work only. Every
   * statement of the transaction goes through the handle `fn` is given; nested ones run one at a time.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T> | T): Promise<T>;
  /**
   * A cache version (`cache_versions`) as this process knows it without a query, or undefined when it
   * must be read: PostgreSQL's pool only, from the announcements of every commit (db/pg-cache-versions.ts).
   */
  knownCacheVersion?(name: string, town: string): number | undefined;
}

export interface Engine extends Queryable {
  /** Waits for running work, then closes the file or the pool's connections. */
  close(): Promise<void>;
  /**
   * PostgreSQL only (one SQLite process has no one to hear from): calls `onNotify` with the payload of
   * each NOTIFY on `channel`, from any server, on a connection kept for listening; resolves once
   * listening. After a lost connection it listens again by itself and calls `onListen` again (also
   * called the first time): notifications sent meanwhile are lost, so a caller looks again then.
   */
  listen?(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<void>;
}

/** Whether a database URL names PostgreSQL (the only server engine georeport speaks). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);
