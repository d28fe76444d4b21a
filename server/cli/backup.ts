import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { migrations } from '../db/migrations/index.ts';
import { BackupError, GEOREPORT_VERSION, MANIFEST, PHOTOS, STORE_COPY, readManifest, writeManifest } from '../backup/manifest.ts';
import { copyPhotos } from '../backup/photos.ts';
import { backupSqlite, dumpPostgres, restorePostgres, restoreSqlite } from '../backup/store-copy.ts';
import { UsageError } from './keys.ts';

/** What backup and restore read of the configuration: the store, and where photos are. */
export type BackupConfig = Pick<Config, 'dbFile' | 'databaseUrl' | 'mediaDir' | 'mediaS3Endpoint' | 'mediaS3Bucket'>;

function folderOf(rest: string[], command: string): string {
  if (rest.length !== 1) throw new UsageError(`${command} needs one folder: georeport ${command} DIR`);
  return rest[0]!;
}

/**
 * `georeport backup DIR`: an online, consistent copy of the store and its photos while the server runs,
 * into DIR, which must be new or empty (a new folder each time: nothing to mix up, and an old backup
 * is never overwritten). The store is copied first, then the photos: a photo is saved before the
 * request that shows it is committed, so every photo the copy refers to is on disk by then. The
 * manifest is written last; a backup cut short has none, and restore refuses it.
 */
export async function backupCommand(rest: string[], config: BackupConfig, out: (line: string) => void): Promise<void> {
  const dir = folderOf(rest, 'backup');
  // The copy holds reporters' personal data: a folder made here is its owner's alone.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length > 0) throw new BackupError(`${dir} is not empty: a backup goes into a new (or empty) folder each time`);
  const createdAt = new Date().toISOString();
  const engine = config.databaseUrl ? 'postgres' : 'sqlite';
  const target = join(dir, STORE_COPY[engine]);
  const store = engine === 'postgres' ? await dumpPostgres(config.databaseUrl, target) : await backupSqlite(config.dbFile, target);
  const photos = config.mediaS3Endpoint ? null : await copyPhotos(config.mediaDir, join(dir, PHOTOS));
  await writeManifest(dir, { format: 'georeport-backup', version: 1, createdAt, engine, ...store, photos, georeport: GEOREPORT_VERSION });
  out(`backed up ${store.requests} requests (schema version ${store.schemaVersion}, ${engine}) into ${join(dir, STORE_COPY[engine])}`);
  out(
    photos === null
      ? `photos are in the S3 bucket ${config.mediaS3Bucket}: it is backed up by its own versioning or replication, not here`
      : `copied ${photos} photos into ${join(dir, PHOTOS)}`,
  );
  out(`wrote ${join(dir, MANIFEST)}; restore with: georeport restore ${dir}`);
}

/**
 * `georeport restore DIR`: the backup in DIR put back as the configured store, which must be empty (a
 * SQLite file absent or empty, with the server stopped; a PostgreSQL database without georeport's
 * tables), then migrated if the backup's schema is older; the photos put back into the media folder.
 */
export async function restoreCommand(rest: string[], config: BackupConfig, out: (line: string) => void): Promise<void> {
  const dir = folderOf(rest, 'restore');
  const manifest = await readManifest(dir);
  if (manifest.schemaVersion > migrations.length) {
    throw new BackupError(`the backup is at schema version ${manifest.schemaVersion}, newer than this georeport (${migrations.length}): upgrade georeport`);
  }
  const here = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.engine !== here) {
    throw new BackupError(
      manifest.engine === 'sqlite'
        ? `the backup is of a SQLite store and the configured store is PostgreSQL: georeport copy --from ${join(dir, STORE_COPY.sqlite)} --to <postgres URL> moves it there`
        : 'the backup is a PostgreSQL dump and the configured store is a SQLite file: restore it into PostgreSQL (--database-url), then georeport copy moves it to SQLite',
    );
  }
  const copy = join(dir, STORE_COPY[here]);
  const applied = here === 'postgres' ? await restorePostgres(copy, config.databaseUrl) : await restoreSqlite(copy, config.dbFile);
  out(`restored ${manifest.requests} requests from the backup of ${manifest.createdAt} into ${here === 'postgres' ? 'the PostgreSQL database' : config.dbFile}`);
  if (applied.length) out(`applied migrations ${applied.join(', ')}`);
  if (manifest.photos === null) out('the backup holds no photos: they were in an S3 bucket, which keeps them');
  else if (config.mediaS3Endpoint) out(`photos go to the S3 bucket ${config.mediaS3Bucket}: copy ${join(dir, PHOTOS)}/ into it (aws s3 sync, rclone copy)`);
  else out(`put back ${await copyPhotos(join(dir, PHOTOS), config.mediaDir)} photos into ${config.mediaDir}`);
}
