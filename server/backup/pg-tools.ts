import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type postgres from 'postgres';
import type { Queryable } from '../db/engine.ts';
import { BackupError } from './manifest.ts';

const exec = promisify(execFile);

/** The PostgreSQL server's major version (15 for 15.14). */
export async function serverMajor(db: Queryable): Promise<number> {
  const row = await db.one<{ v: number }>("SELECT CAST(current_setting('server_version_num') AS integer) AS v");
  return Math.floor(row!.v / 10_000);
}

/**
 * The PostgreSQL client tool (`pg_dump`, `pg_restore`) to use with a server of major version `major`:
 * Debian's `/usr/lib/postgresql/<major>/bin/<tool>`, else the one on the PATH if it is of that version or
 * later (an older `pg_dump` refuses a newer server).
 */
export async function findPgTool(tool: 'pg_dump' | 'pg_restore', major: number): Promise<string> {
  const debian = `/usr/lib/postgresql/${major}/bin/${tool}`;
  if (existsSync(debian)) return debian;
  const version = await exec(tool, ['--version']).then(
    ({ stdout }) => Number(/\(PostgreSQL\)\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    () => 0,
  );
  if (version >= major) return tool;
  throw new BackupError(
    `${tool} for PostgreSQL ${major} was not found (neither ${debian} nor a ${tool} ${major} or later on the PATH${version ? `; that one is ${version}` : ''}): ` +
      `install the server's client tools, e.g. apt-get install postgresql-client-${major}`,
  );
}

/**
 * libpq's environment for the database a `postgres` pool connects to, read from the pool's own parsing
 * of the URL (so a URL the server accepts works here too, driver-only parameters such as
 * `prepare=false` left out): the password goes in the environment, never on a command line others can list.
 */
export function libpqEnv(options: postgres.Sql['options']): NodeJS.ProcessEnv {
  const ssl = options.ssl as unknown;
  return {
    ...process.env,
    PGHOST: options.host.join(','),
    PGPORT: options.port.join(','),
    PGUSER: String(options.user),
    PGDATABASE: String(options.database),
    ...(typeof options.pass === 'string' && options.pass !== '' ? { PGPASSWORD: options.pass } : {}),
    ...(typeof ssl === 'string' ? { PGSSLMODE: ssl } : ssl === true ? { PGSSLMODE: 'require' } : {}),
    PGAPPNAME: 'georeport backup',
  };
}

/** Runs a client tool; a failure is a BackupError carrying what the tool said. */
export async function runPgTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await exec(tool, args, { env, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    const said = String((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
    throw new BackupError(`${tool.split('/').at(-1)} failed: ${said}`);
  }
}
