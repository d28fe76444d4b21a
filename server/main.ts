/**
 * The `georeport` command: serve | migrate | seed | catalogue import | keys … | bus … | bus-consumer.
 * The only module with side effects; everything it runs is a factory or function from the rest of server/.
 */
import { ConfigError, OPTIONS, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { createOutbound } from './http/outbound.ts';
import { migrate, MigrationError } from './db/migrate.ts';
import { migratePostgres } from './db/pg-migrate.ts';
import { connectPostgres } from './db/postgres-engine.ts';
import { openEngine } from './db/open-engine.ts';
import { acceptSchema } from './db/schema-check.ts';
import { createLogger } from './logger.ts';
import { parseArgs, takeFlags } from './cli/args.ts';
import { catalogueCommand, readCatalogueFile } from './cli/catalogue.ts';
import { keysCommand, UsageError } from './cli/keys.ts';
import { BUS_FLAGS, busCommand } from './cli/bus.ts';
import { busConsumer, CONSUMER_FLAGS } from './cli/bus-consumer.ts';
import { STAFF_FLAGS, staffCommand } from './cli/staff.ts';
import { seedDemo } from './cli/seed.ts';
import { COPY_FLAGS, copyCommand } from './cli/copy.ts';
import { CopyRefused } from './db/copy.ts';
import { backupCommand, restoreCommand } from './cli/backup.ts';
import { BackupError } from './backup/manifest.ts';
import { serve } from './cli/serve.ts';
import sharp from 'sharp';

const USAGE = `usage: georeport <command> [options]
  serve [--seed-demo]      run the server (--seed-demo: a demo, with the demo city seeded on an empty store
                           and its public key demo-public-key working)
  migrate                  bring the store's schema up to date (on PostgreSQL, only this command does, once
                           per deploy; see docs/postgresql.md, "Deploys")
  copy --from STORE --to STORE
                           copy a whole store (a SQLite file or a postgres:// URL) into an empty one, ids
                           kept; a side not given is the configured store; photos move with the media folder
  backup DIR               copy the store and the photos into DIR (new or empty) while the server runs
  restore DIR              put a backup back as the configured store, which must be empty (SQLite: the
                           server stopped, the file absent), migrated if older; its photos as well
  seed                     seed the demo city (skipped if it exists)
  catalogue import FILE    create or update a jurisdiction's catalogue from a JSON file
  keys create --name N [--jurisdiction J] [--rate-limit PER_MINUTE] [--scopes report,updates]
                           (report, the default: file and follow requests, for a public widget;
                           updates: post status updates, for a trusted integration)
  keys list
  keys scopes ID report[,updates]
  keys revoke ID
  bus apps create --jurisdiction J --name N [--services a,b] [--events created,updated,…] [--deferred]
                  [--max-attempts N] [--webhook URL] [--owner-email E] [--alert-webhook URL]
  bus apps list | bus apps revoke ID
  bus dead-letters --app ID | bus replay --app ID MESSAGE_ID… | bus audit [--app ID]
  staff create --email E --name N --jurisdiction J[,K] [--role administrator|agent|readonly]
                           (the password from GEOREPORT_STAFF_PASSWORD or standard input)
  staff list --jurisdiction J
  staff password --email E (a new password, as for create; their sessions end)
  bus-consumer --url BUS_URL --secret SECRET [--take-charge STATUS] [--once] [--max N] [--wait S]
               [--lease S] [--hold-ms MS] [--quiet]   the reference consumer (a CRM's side of the bus)
options (or their environment variables):
${OPTIONS.map((o) => `  --${o.flag.padEnd(22)} ${o.env}`).join('\n')}`;

const COMMANDS = ['serve', 'migrate', 'copy', 'backup', 'restore', 'seed', 'catalogue', 'keys', 'bus', 'bus-consumer', 'staff'];

/** `georeport migrate`: the schema brought up to date, on the SQLite file or on PostgreSQL (under an advisory lock). */
async function migrateCommand(config: Config, out: (line: string) => void): Promise<void> {
  let applied: number[];
  if (config.databaseUrl) {
    const sql = connectPostgres(config.databaseUrl, { max: 1 });
    try {
      applied = await migratePostgres(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
  } else {
    const db = openDatabase(config.dbFile, { synchronous: config.dbSynchronous, migrate: false });
    try {
      applied = migrate(db);
    } finally {
      db.close();
    }
  }
  out(applied.length ? `applied migrations ${applied.join(', ')}` : 'schema is up to date');
}

async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, ...rest] = positional;
  const own = takeFlags(flags, ['seed-demo', 'name', 'jurisdiction', 'rate-limit', 'scopes', 'help', ...BUS_FLAGS, ...CONSUMER_FLAGS, ...STAFF_FLAGS, ...COPY_FLAGS]);
  if (!command || own.help) {
    process.stdout.write(`${USAGE}\n`);
    return command || own.help ? 0 : 2;
  }
  // Before the store is opened: a mistyped command must not create or migrate a database file.
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command ${command}\n${USAGE}`);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  // A client of the bus, not of the store: it needs no configuration.
  if (command === 'bus-consumer') {
    await busConsumer(own, out);
    return 0;
  }
  const loaded = loadConfig(process.env, flags);
  // Seeding the demo city to serve it is running a demo: its well-known key works then, and only then.
  const config = command === 'serve' && own['seed-demo'] ? { ...loaded, demo: true } : loaded;
  const logger = createLogger(config.logLevel);

  if (command === 'copy') {
    await copyCommand(own, config, out);
    return 0;
  }
  if (command === 'backup' || command === 'restore') {
    await (command === 'backup' ? backupCommand : restoreCommand)(rest, config, out);
    return 0;
  }
  if (command === 'migrate') {
    await migrateCommand(config, out);
    return 0;
  }
  // Also before: a catalogue file with problems is refused without creating a store.
  const catalogue = command === 'catalogue' ? readCatalogueFile(rest) : undefined;
  // The SQLite file, migrated on open as ever (one process: the two-command start keeps working). Or
  // PostgreSQL when a database URL is given, which only `georeport migrate` migrates, once per deploy:
  // the other commands check that this georeport may run on the schema they find (db/schema-check.ts).
  const engine = await openEngine({ databaseUrl: config.databaseUrl, dbFile: config.dbFile, dbSynchronous: config.dbSynchronous, migrate: !config.databaseUrl });
  if (engine.kind === 'postgres') {
    await acceptSchema(engine).catch(async (error: unknown) => {
      await engine.close();
      throw error;
    });
  }
  if (command === 'serve') {
    // Photos are one-off: libvips' cache only holds memory; one thread per photo leaves cores to requests.
    sharp.cache(false);
    sharp.concurrency(1);
    if (own['seed-demo']) {
      const { seeded, jurisdictionId } = await seedDemo(engine, Date.now());
      if (seeded) logger.info('demo city seeded', { jurisdictionId });
    }
    await serve(config, engine, logger); // closes the store when it stops
    return 0;
  }
  try {
    switch (command) {
      case 'seed': {
        const { seeded, jurisdictionId } = await seedDemo(engine, Date.now());
        out(seeded ? `seeded the demo city ${jurisdictionId}` : `${jurisdictionId} exists already; nothing seeded`);
        return 0;
      }
      case 'catalogue':
        await catalogueCommand(engine, catalogue!, out);
        return 0;
      case 'keys':
        await keysCommand(engine, rest, own, out);
        return 0;
      case 'bus':
        await busCommand(engine, rest, own, { publicUrl: config.publicUrl, outbound: createOutbound({ allowHosts: config.outboundAllow }) }, out);
        return 0;
      case 'staff':
        await staffCommand(engine, rest, own, process.env, out);
        return 0;
      default:
        throw new UsageError(`unknown command ${command}\n${USAGE}`);
    }
  } finally {
    await engine.close();
  }
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = process.exitCode || code;
  },
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof UsageError || err instanceof MigrationError || err instanceof CopyRefused || err instanceof BackupError;
    process.stderr.write(`georeport: ${known ? (err as Error).message : (err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
