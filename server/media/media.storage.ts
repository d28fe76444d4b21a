import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { StoredPhotoType } from './process-photo.ts';

/** What the storage needs of a processed photo. */
export interface PhotoToStore {
  data: Buffer;
  mime: StoredPhotoType;
  sha256: string;
}

/** A stored photo as read back. */
export interface StoredPhoto {
  data: Buffer;
  mime: StoredPhotoType;
  /** Hex SHA-256 of `data`, taken from the file name (it is the content address). */
  sha256: string;
}

/**
 * Where photos are kept: a folder (`createMediaStorage`, one machine's disk or a folder the nodes share)
 * or an S3-compatible bucket (`createS3Storage`). Either way a photo's path is its content address.
 */
export interface MediaStorage {
  /** Writes the photo (once: identical photos share one copy) and returns its path, as kept in the store. */
  save(photo: PhotoToStore): Promise<{ path: string }>;
  /** The photo at a path, or `undefined` when the path is not one `save` returns or is absent. */
  read(path: string): Promise<StoredPhoto | undefined>;
}

/** A photo storage on the local disk (or a folder the nodes share). */
export interface DiskMediaStorage extends MediaStorage {
  /** The absolute folder photos live in; paths are relative to it. */
  readonly dir: string;
}

/**
 * The storage does not answer, or refused the call (a remote storage: S3). The cause is in the log, not
 * in the message: callers answer "try again later" without passing details on.
 */
export class MediaStorageUnavailable extends Error {
  override readonly name = 'MediaStorageUnavailable';
  /** Seconds a client is told to wait before trying again: long enough for the storage to restart. */
  readonly retryAfter = 30;
}

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const satisfies Record<
  StoredPhotoType,
  string
>;
const TYPES: Record<string, StoredPhotoType> = { jpg: 'image/jpeg', webp: 'image/webp' };

// The only shape a stored path has: `ab/abcdef….jpg`, the folder being the hash's first two digits
// (256 folders keep directories small). Matching this whole shape, rather than cleaning up a path,
// leaves no room for `..`, absolute paths, backslashes, encoded separators or NUL bytes.
const PATH_SHAPE = /^([0-9a-f]{2})\/(\1[0-9a-f]{62})\.(jpg|webp)$/;

/**
 * Whether a relative path has the shape `save` produces. Anything else (traversal, absolute paths,
 * other extensions, upper-case hex) is refused before the file system is touched.
 */
export function isMediaPath(path: string): boolean {
  return PATH_SHAPE.test(path);
}

/** What a stored path says of its photo (its type and SHA-256), or `undefined` when it has not the shape. */
export function parseMediaPath(
  path: string,
): { sha256: string; mime: StoredPhotoType } | undefined {
  const [, , sha256, ext] = PATH_SHAPE.exec(path) ?? [];
  return sha256 && ext ? { sha256, mime: TYPES[ext]! } : undefined;
}

/** The path a photo is stored at, from its SHA-256 and type. */
export function mediaPathOf(photo: PhotoToStore): string {
  if (!/^[0-9a-f]{64}$/.test(photo.sha256))
    throw new Error('save() needs a lower-case hex SHA-256');
  return `${photo.sha256.slice(0, 2)}/${photo.sha256}.${EXTENSIONS[photo.mime]}`;
}

/**
 * A content-addressed photo store on the local disk: a photo's path is derived from its SHA-256, so
 * the same photo uploaded twice is stored once and a path never changes meaning (which lets it be
 * cached forever). Writes are atomic: a reader sees the whole file or none of it.
 *
 * @param dir the folder to store photos in; created on first save.
 * @example
 * const storage = createMediaStorage('data/media');
 * const { path } = await storage.save(await processPhoto(bytes, { maxSide: 2048 }));
 */
export function createMediaStorage(dir: string): DiskMediaStorage {
  const root = resolve(dir);

  /** The absolute file for a relative path, or undefined when it is unsafe. */
  const locate = (path: string): string | undefined => {
    if (!isMediaPath(path)) return undefined;
    const file = resolve(root, path);
    // Belt and braces: the shape already forbids it, but never hand out a file outside the root.
    return file.startsWith(root + sep) ? file : undefined;
  };

  return {
    dir: root,

    async save(photo) {
      const path = mediaPathOf(photo);
      const file = join(root, path);
      if (await exists(file)) return { path }; // same bytes already stored
      const folder = join(root, photo.sha256.slice(0, 2));
      await mkdir(folder, { recursive: true });
      // Temp file in the same folder (same file system, so rename is atomic), fsynced so that a
      // crash after the rename cannot leave a named but empty file.
      const temp = join(folder, `.${photo.sha256}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const handle = await open(temp, 'wx', 0o644);
        try {
          await handle.writeFile(photo.data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return { path };
    },

    async read(path) {
      const file = locate(path);
      if (!file) return undefined;
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return { data, ...parseMediaPath(path)! };
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
