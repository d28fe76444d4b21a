import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A backup or a restore refused or failed for a reason its message states (the CLI exits 2 with it). */
export class BackupError extends Error {}

/** What a backup folder holds besides the store's copy: written last, so a backup cut short has none. */
export interface BackupManifest {
  format: 'georeport-backup';
  /** This layout's version: a later georeport may write another one. */
  version: 1;
  /** When the copy's snapshot was taken (ISO 8601, UTC). */
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** The store's schema version in the copy (SQLite's `user_version`, PostgreSQL's `schema_migrations`). */
  schemaVersion: number;
  /** Requests in the copy. */
  requests: number;
  /** Photos copied into `media/`; null when they live in an S3 bucket, which backs itself up. */
  photos: number | null;
  /** The georeport that wrote the backup. */
  georeport: string;
}

export const MANIFEST = 'manifest.json';
/** The store's copy in a backup folder, by engine: a SQLite file, or a `pg_dump --format=custom` archive. */
export const STORE_COPY = { sqlite: 'georeport.db', postgres: 'georeport.pgdump' } as const;
/** The photos' copy: the media folder's own layout (`ab/abcdef….jpg`). */
export const PHOTOS = 'media';

export const GEOREPORT_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Writes the manifest whole or not at all (a temporary file renamed). */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  const temp = join(dir, `.${MANIFEST}.tmp`);
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, join(dir, MANIFEST));
}

/** The manifest of the backup in `dir`, checked field by field; a BackupError says what is wrong. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  if (!existsSync(dir)) throw new BackupError(`no backup at ${dir}: there is no such folder`);
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new BackupError(`${dir} holds no ${MANIFEST}: it is not a complete georeport backup (a backup cut short writes none)`);
    }
    throw new BackupError(`cannot read ${join(dir, MANIFEST)} (${code ?? String(error)})`);
  }
  const bad = (what: string) => new BackupError(`${join(dir, MANIFEST)} is not a georeport backup manifest: ${what}`);
  let m: Partial<Record<keyof BackupManifest, unknown>>;
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    throw bad('it is not JSON');
  }
  if (typeof m !== 'object' || m === null || m.format !== 'georeport-backup') throw bad('format is not "georeport-backup"');
  if (m.version !== 1) throw bad(`version ${JSON.stringify(m.version)} is not one this georeport reads (1)`);
  if (m.engine !== 'sqlite' && m.engine !== 'postgres') throw bad('engine must be "sqlite" or "postgres"');
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!count(m.schemaVersion) || !count(m.requests)) throw bad('schemaVersion and requests must be whole numbers');
  if (m.photos !== null && !count(m.photos)) throw bad('photos must be a whole number or null');
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) throw bad('createdAt must be a date');
  return m as BackupManifest;
}
