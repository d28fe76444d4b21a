import type { Queryable } from './engine.ts';
import { MigrationError } from './migrate.ts';
import { pgMigrationCompatibility, pgMigrations } from './pg-migrations/index.ts';

/**
 * Whether a georeport may run on the PostgreSQL schema it finds, for rolling deploys: `georeport
 * migrate` runs once, with the new release, while nodes of the previous one still serve; those keep
 * running if every migration they do not know is additive, and the new nodes start once it is done.
 * Code that knows K migrations runs on a store at version V when V = K, or V > K and the store says
 * code knowing K may run on it (`min_code_version`, written by the migrating node, which knew the newer
 * migrations). An older store (V < K) is refused: the new code needs what `migrate` adds.
 */
export interface SchemaState {
  version: number;
  /** The fewest migrations a georeport must know to run on this schema. */
  minCode: number;
}

export interface SchemaRefusal {
  /** Short, for `GET /health`. */
  reason: 'schema too old' | 'schema too new';
  /** What to do, for the operator. */
  message: string;
}

/** The migrations this georeport knows. */
export const KNOWN_VERSION = pgMigrations.length;

/**
 * The oldest code that may run on the schema at `version`: the last breaking migration up to it (code
 * that knows that one knows every migration its schema needs).
 */
export function minCodeVersion(version: number): number {
  for (let v = version; v > 0; v--) if (pgMigrationCompatibility[v - 1] !== 'additive') return v;
  return 0;
}

/**
 * Reads the store's version and the oldest code it accepts: one row of a small table, read by its key,
 * cheap enough for a load balancer's health check every second. Rejects when the store does not answer,
 * or has never been migrated (no `schema_migrations`).
 */
export async function readSchema(db: Queryable): Promise<SchemaState> {
  // Through to_jsonb, a schema from before 014 (no min_code_version column) reads NULL instead of failing.
  const row = await db.one<{ version: number; min_code: number | null }>(
    `SELECT version, CAST(to_jsonb(m) ->> 'min_code_version' AS integer) AS min_code
       FROM schema_migrations m ORDER BY version DESC LIMIT 1`,
  );
  // A version not recorded (written before 014) needs its own code.
  return row ? { version: row.version, minCode: row.min_code ?? row.version } : { version: 0, minCode: 0 };
}

/** Why code that knows `known` migrations may not run on `schema`; undefined when it may. */
export function judgeSchema({ version, minCode }: SchemaState, known = KNOWN_VERSION): SchemaRefusal | undefined {
  if (version < known) {
    return {
      reason: 'schema too old',
      message: `the database schema is at version ${version}, older than this georeport's ${known}: run georeport migrate with this georeport, then start it`,
    };
  }
  if (minCode > known) {
    return {
      reason: 'schema too new',
      message: `the database schema is at version ${version}, which needs a georeport that knows migration ${minCode} or later (this one knows ${known}): upgrade georeport`,
    };
  }
  return undefined;
}

/**
 * Checks at start that this georeport may run on the store (see above); throws a MigrationError saying
 * what to run or upgrade otherwise. A store never migrated is refused as an older one.
 */
export async function acceptSchema(db: Queryable): Promise<SchemaState> {
  const migrated = await db.one<{ present: number }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  const state = migrated?.present ? await readSchema(db) : { version: 0, minCode: 0 };
  const refusal = judgeSchema(state);
  if (refusal) throw new MigrationError(refusal.message);
  return state;
}
