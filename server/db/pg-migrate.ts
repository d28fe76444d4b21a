import type postgres from 'postgres';
import { MigrationError } from './migrate.ts';
import { RULES_NAME } from './pg-migrations/fts5-fold.ts';
import { pgMigrations } from './pg-migrations/index.ts';
import { minCodeVersion } from './schema-check.ts';

/** The advisory lock every georeport process takes to migrate ('geor' in ASCII): one at a time, cluster-wide. */
const MIGRATION_LOCK = 0x67656f72;

/**
 * Applies every pending PostgreSQL migration in one transaction, as SQLite's `migrate` does, under a
 * transaction-scoped advisory lock: two `georeport migrate` at once (two deploy scripts) migrate one
 * after the other, and the later one finds nothing left to do. Each version applied is recorded in
 * `schema_migrations` (SQLite's `user_version`), with the oldest code that may run on the schema it ends
 * at (`min_code_version`); a database written by a newer georeport is refused.
 * @returns the versions applied by this call.
 */
export async function migratePostgres(sql: postgres.Sql): Promise<number[]> {
  const latest = pgMigrations.length;
  try {
    return await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await tx.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        applied_at bigint NOT NULL
      )`);
      const current = await currentVersion(tx);
      if (current > latest) {
        throw new MigrationError(
          `database schema version ${current} is newer than this georeport (knows ${latest}); upgrade georeport`,
        );
      }
      const applied: number[] = [];
      for (let version = current + 1; version <= latest; version++) {
        await tx.unsafe(pgMigrations[version - 1]!);
        await tx`INSERT INTO schema_migrations VALUES (${version}, floor(extract(epoch FROM now())))`;
        applied.push(version);
      }
      // For nodes that do not know the migrations just applied: whether they may still run (schema-check.ts).
      if (applied.length > 0) await tx`UPDATE schema_migrations SET min_code_version = ${minCodeVersion(latest)} WHERE version = ${latest}`;
      return applied;
    });
  } catch (error) {
    throw explain(error);
  }
}

/** The schema version of a PostgreSQL store (0: never migrated). */
export async function pgSchemaVersion(sql: postgres.Sql): Promise<number> {
  const [table] = await sql`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`;
  return table?.present ? currentVersion(sql) : 0;
}

async function currentVersion(sql: postgres.Sql | postgres.TransactionSql): Promise<number> {
  const [row] = await sql`SELECT coalesce(max(version), 0) AS version FROM schema_migrations`;
  return Number(row!.version);
}

/** Says what an administrator must do when the server lacks what the schema needs. */
function explain(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (message.includes(`${RULES_NAME}.rules`)) {
    return new MigrationError(
      `${message}: copy server/db/pg-migrations/${RULES_NAME}.rules into the server's $(pg_config --sharedir)/tsearch_data/`,
    );
  }
  if (/extension "(postgis|unaccent)"/.test(message) || /permission denied to create extension/.test(message)) {
    return new MigrationError(`${message}: as a superuser, run CREATE EXTENSION postgis; CREATE EXTENSION unaccent; in this database`);
  }
  return error;
}
