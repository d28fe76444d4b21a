import { openDatabase } from './database.ts';
import { isPostgresUrl, type Engine } from './engine.ts';
import { migratePostgres } from './pg-migrate.ts';
import { connectPostgres, createPostgresEngine } from './postgres-engine.ts';
import { createSqliteEngine } from './sqlite-engine.ts';

export interface EngineConfig {
  /** `postgres://…` (or `postgresql://…`) selects PostgreSQL; empty or absent: the SQLite file. */
  databaseUrl?: string;
  /** The SQLite file (`:memory:` for a throw-away store); unused on PostgreSQL. */
  dbFile: string;
  dbSynchronous?: 'normal' | 'full';
  /** Apply pending migrations on open (default true), as openDatabase does. */
  migrate?: boolean;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
}

/**
 * Opens the store the configuration names: PostgreSQL when `databaseUrl` is a `postgres://` URL
 * (`GEOREPORT_DATABASE_URL`, `--database-url`), else the SQLite file as before; with its migrations
 * applied unless `migrate: false`.
 * @example
 * const engine = await openEngine({ databaseUrl: process.env.GEOREPORT_DATABASE_URL, dbFile: 'data/georeport.db' });
 * const row = await engine.one<{ n: number }>('SELECT count(*) AS n FROM requests WHERE status = ?', ['open']);
 */
export async function openEngine(config: EngineConfig): Promise<Engine> {
  const url = config.databaseUrl ?? '';
  if (url === '') {
    const db = openDatabase(config.dbFile, { synchronous: config.dbSynchronous, migrate: config.migrate });
    return createSqliteEngine(db);
  }
  if (!isPostgresUrl(url)) throw new TypeError('a database URL starts with postgres:// or postgresql://');
  const sql = connectPostgres(url, { max: config.poolSize });
  try {
    if (config.migrate !== false) await migratePostgres(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  return createPostgresEngine(sql);
}
