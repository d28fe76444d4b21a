import { existsSync } from 'node:fs';
import { copyStore } from '../db/copy.ts';
import { isPostgresUrl, type Engine } from '../db/engine.ts';
import { openEngine } from '../db/open-engine.ts';
import { storeVersion } from '../db/store-schema.ts';
import { UsageError } from './keys.ts';

export const COPY_FLAGS = ['from', 'to'];

/** Where the configured store is: the PostgreSQL URL when one is set, else the SQLite file. */
export interface ConfiguredStore {
  databaseUrl: string;
  dbFile: string;
}

/**
 * `georeport copy --from A --to B`: copies the whole store A (a SQLite file or a `postgres://` URL) into
 * B, an empty store, ids preserved (server/db/copy.ts). A side not given is the configured store
 * (`--database-url`, else `--db`). A SQLite target that does not exist yet, or a store never migrated,
 * is migrated first; the source is never changed. Photos are files: they move with the media folder.
 */
export async function copyCommand(own: Record<string, string | undefined>, configured: ConfiguredStore, out: (line: string) => void): Promise<void> {
  const here = configured.databaseUrl || configured.dbFile;
  const from = own.from ?? here;
  const to = own.to ?? here;
  if (own.from === undefined && own.to === undefined) throw new UsageError('copy needs --from and/or --to (a SQLite file or a postgres:// URL)');
  if (from === to) throw new UsageError(`copy needs two stores; --from and --to both name ${name(from)}`);
  if (!isPostgresUrl(from) && !existsSync(from)) throw new UsageError(`no SQLite store at ${from}`);
  const source = await open(from, false);
  try {
    const target = await openTarget(to);
    try {
      const started = Date.now();
      const report = await copyStore(source, target, { progress: (table, rows) => out(`  ${table.padEnd(22)} ${rows}`) });
      const rows = report.tables.reduce((n, t) => n + t.rows, 0);
      out(`copied ${rows} rows in ${report.tables.length} tables from ${name(from)} into ${name(to)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      out('photos are files, not rows: copy the media folder (GEOREPORT_MEDIA_DIR) to the new server as well');
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function open(store: string, migrate: boolean): Promise<Engine> {
  return isPostgresUrl(store) ? openEngine({ databaseUrl: store, dbFile: '', migrate, poolSize: 2 }) : openEngine({ dbFile: store, migrate });
}

/** The target, migrated when it is brand new (schema version 0): an existing one is taken as it is. */
async function openTarget(store: string): Promise<Engine> {
  const engine = await open(store, false);
  if ((await storeVersion(engine)) !== 0) return engine;
  await engine.close();
  return open(store, true);
}

/** A store as the output names it: a URL without its password. */
function name(store: string): string {
  return isPostgresUrl(store) ? store.replace(/^(\w+:\/\/[^:/@]*):[^@/]*@/, '$1@') : store;
}
