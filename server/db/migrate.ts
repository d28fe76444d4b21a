import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {}

/**
 * Applies every pending migration in one synchronous transaction and records the schema version in
 * `PRAGMA user_version`. Refuses a database written by a newer georeport (its version is unknown here).
 * @returns the versions applied by this call.
 */
export function migrate(db: Database.Database): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) {
    throw new MigrationError(
      `database schema version ${current} is newer than this georeport (knows ${latest}); upgrade georeport`,
    );
  }
  const pending = migrations.slice(current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const sql of pending) db.exec(sql);
    db.pragma(`user_version = ${latest}`);
  })();
  return pending.map((_, i) => current + i + 1);
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
