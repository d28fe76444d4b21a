import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** `normal` survives a killed process; `full` also survives a power cut, at the cost of an fsync per write. */
  synchronous?: 'normal' | 'full';
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

/**
 * Opens (creating if needed) the SQLite store: WAL journal, foreign keys on, busy timeout, and all pending
 * migrations applied. `':memory:'` gives a private in-memory store (tests).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads of a large store should not each cost a system call: keep up to 64 MiB of pages in SQLite's
  // cache and map up to 1 GiB of the file (the OS shares those pages; nothing is reserved up front).
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 1073741824');
  if (options.migrate !== false) migrate(db);
  // Gathers the statistics the query planner needs on tables that have grown (cheap when they have not).
  db.pragma('optimize = 0x10002');
  return db;
}
