import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migratePostgres } from '../../server/db/pg-migrate.ts';
import { RULES_FILE, RULES_NAME } from '../../server/db/pg-migrations/fts5-fold.ts';
import { connectPostgres } from '../../server/db/postgres-engine.ts';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (scripts/test.sh installs it with PostGIS when missing). */
const BIN = '/usr/lib/postgresql/15/bin';
const PORT = 5432; // no TCP listener: the port only names the socket file, inside a folder of our own
const SUPERUSER = 'georeport';

export interface PostgresOptions {
  /**
   * Durable like a real server (default false: a test store is thrown away). On: initdb syncs its files,
   * `fsync` and `full_page_writes` stay on, and `synchronous_commit=off`, which loses at most the last
   * few commits in a crash without corrupting anything, as SQLite's WAL with `synchronous=NORMAL` does.
   */
  durable?: boolean;
  /** `shared_buffers` (default: PostgreSQL's own 128MB), e.g. '256MB' for a store of a million requests. */
  sharedBuffers?: string;
}

export interface PostgresCluster {
  /** A new empty database: with the extensions only, or with georeport's migrations applied too. */
  createDatabase(options?: { migrated?: boolean }): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL cluster for one test process: `initdb` in a temp folder owned by the
 * `postgres` user (the server refuses to run as root), the server listening on a socket in that folder
 * only (`listen_addresses=''`), and no durability (fsync off: a test store is thrown away) unless
 * `durable` is set (the bench, whose figures must be a real server's). Databases
 * are copied from templates that already hold the extensions (PostGIS takes a second to create) and,
 * when asked, the migrated schema. The cluster is stopped by `stop()`, and at the latest when the
 * process exits, even after a failure.
 */
export async function startPostgres({ durable = false, sharedBuffers }: PostgresOptions = {}): Promise<PostgresCluster> {
  if (!existsSync(join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is missing (${BIN}): apt-get install postgresql postgresql-15-postgis-3`);
  }
  if (sharedBuffers !== undefined && !/^\d+(kB|MB|GB)?$/.test(sharedBuffers)) throw new TypeError(`shared_buffers: ${sharedBuffers}`);
  installRules();
  const dir = mkdtempSync(join(tmpdir(), 'georeport-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(idOf('-u')), Number(idOf('-g')));
  const as = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]) : run(join(BIN, tool), args);
  const ctl = ['-D', data, '-l', join(dir, 'log')];
  const stopNow = () => {
    spawnSync(asRoot ? 'runuser' : join(BIN, 'pg_ctl'), [...(asRoot ? ['-u', 'postgres', '--', join(BIN, 'pg_ctl')] : []), ...ctl, '-m', 'fast', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    await as('initdb', ['-D', data, '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-locale', ...(durable ? [] : ['--no-sync'])]);
    const safety = durable ? '-c fsync=on -c full_page_writes=on' : '-c fsync=off -c full_page_writes=off';
    const buffers = sharedBuffers ? ` -c shared_buffers=${sharedBuffers}` : '';
    const options = `-k ${dir} -p ${PORT} -c listen_addresses='' ${safety} -c synchronous_commit=off${buffers}`;
    await as('pg_ctl', [...ctl, '-o', options, '-w', 'start']);
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw error;
  }
  const url = (database: string) => `postgres://${SUPERUSER}@/${database}?host=${encodeURIComponent(dir)}&port=${PORT}`;
  const admin = connectPostgres(url('postgres'), { max: 1 });
  let templates: Promise<void> | undefined;
  let made = 0;
  return {
    async createDatabase(options = {}) {
      templates ??= makeTemplates(admin, url);
      await templates;
      const name = `store_${++made}`;
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${options.migrated ? 'template_migrated' : 'template_extensions'}`);
      return url(name);
    },
    async stop() {
      await admin.end({ timeout: 1 });
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

/** Two templates: one with the extensions georeport needs, one with its schema migrated too. */
async function makeTemplates(admin: ReturnType<typeof connectPostgres>, url: (db: string) => string) {
  await admin.unsafe('CREATE DATABASE template_extensions');
  const extensions = connectPostgres(url('template_extensions'), { max: 1 });
  await extensions.unsafe('CREATE EXTENSION postgis; CREATE EXTENSION unaccent;');
  await extensions.end();
  await admin.unsafe('CREATE DATABASE template_migrated TEMPLATE template_extensions');
  const migrated = connectPostgres(url('template_migrated'), { max: 1 });
  await migratePostgres(migrated);
  await migrated.end();
}

/**
 * Puts georeport's text-search rules (FTS5's folding as `unaccent` rules) where the server reads them,
 * as an administrator does once per server (README); the only file georeport adds to PostgreSQL.
 */
function installRules(): void {
  const share = '/usr/share/postgresql/15'; // the share folder of BIN's server
  const target = join(share, 'tsearch_data', `${RULES_NAME}.rules`);
  const wanted = readFileSync(RULES_FILE);
  if (existsSync(target) && readFileSync(target).equals(wanted)) return;
  // Written aside then renamed: a server of another test process never reads half a file.
  const aside = `${target}.${process.pid}`;
  copyFileSync(RULES_FILE, aside);
  renameSync(aside, target);
}

function idOf(flag: '-u' | '-g'): string {
  return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim();
}
