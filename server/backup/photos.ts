import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createMediaStorage, isMediaPath } from '../media/media.storage.ts';
import { BackupError } from './manifest.ts';

/**
 * Copies every photo of the media folder `from` into the media folder `to` (created if needed), one at
 * a time, through the media storage: only paths of the shape it writes are read (a backup folder's
 * other files, or `../` names, are never followed), each photo's bytes must hash to its name, and each
 * is written atomically, once (a photo already in `to`, same name hence same bytes, is kept). Photos are
 * write-once and named by their content, so a copy taken while the server saves new ones is consistent.
 * @returns the photos found in `from` (copied or already there).
 */
export async function copyPhotos(from: string, to: string): Promise<number> {
  const source = createMediaStorage(from);
  const target = createMediaStorage(to);
  let copied = 0;
  for (const path of await photoPaths(source.dir)) {
    const photo = await source.read(path);
    if (!photo) continue; // removed since it was listed
    if (createHash('sha256').update(photo.data).digest('hex') !== photo.sha256) {
      throw new BackupError(`the photo ${path} in ${source.dir} is damaged (its bytes do not match its name)`);
    }
    await target.save(photo);
    copied++;
  }
  return copied;
}

/** The photos' paths in a media folder (`ab/abcdef….jpg`); none when it does not exist. */
async function photoPaths(dir: string): Promise<string[]> {
  const folders = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const paths: string[] = [];
  for (const folder of folders.filter((f) => /^[0-9a-f]{2}$/.test(f)).sort()) {
    for (const name of (await readdir(`${dir}/${folder}`)).sort()) {
      if (isMediaPath(`${folder}/${name}`)) paths.push(`${folder}/${name}`);
    }
  }
  return paths;
}
