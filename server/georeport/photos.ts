import { MediaError } from '../media/media.errors.ts';
import { collectUploads } from '../media/uploads.ts';
import { processPhoto, type ProcessedPhoto } from '../media/process-photo.ts';
import type { MediaStorage } from '../media/media.storage.ts';
import type { NewMedia } from '../requests/requests.types.ts';
import { Open311Error } from './georeport.errors.ts';

export interface PhotoLimits {
  maxPhotos: number;
  maxPhotoBytes: number;
  maxSide: number;
}

/**
 * The photos of a multipart POST, checked, re-encoded without metadata and scaled down (their EXIF GPS
 * read first). One at a time, to bound memory under load. Problems become Open311 errors (400, 413).
 */
export async function readPhotos(form: FormData | undefined, limits: PhotoLimits): Promise<ProcessedPhoto[]> {
  if (!form) return [];
  try {
    const photos: ProcessedPhoto[] = [];
    for (const [i, file] of collectUploads(form, limits.maxPhotos, limits.maxPhotoBytes).entries()) {
      photos.push(await processPhoto(new Uint8Array(await file.arrayBuffer()), { maxSide: limits.maxSide, label: `photo ${i + 1}` }));
    }
    return photos;
  } catch (e) {
    if (e instanceof MediaError) throw new Open311Error(e.status, [e.message]);
    throw e;
  }
}

/**
 * The photo URLs a client gave, as media rows: shown to the public only when on this server or on a host the
 * city vouches for (`GEOREPORT_MEDIA_URL_HOSTS`). Another host's picture would be shown to every visitor
 * unmoderated (it can change after staff looked at it) and would tell that host who looks at the request;
 * such URLs are kept for staff only.
 */
export function photoUrls(urls: string[], shownHosts: ReadonlySet<string>): NewMedia[] {
  const host = (url: string) => {
    try {
      return new URL(url).host.toLowerCase();
    } catch {
      return undefined;
    }
  };
  return urls.map((url) => ({ url, hidden: !shownHosts.has(host(url) ?? '') }));
}

/** Writes the photos to storage and describes them for the request's media rows. */
export async function storePhotos(photos: ProcessedPhoto[], storage: MediaStorage): Promise<NewMedia[]> {
  const stored: NewMedia[] = [];
  for (const p of photos) {
    const { path } = await storage.save(p);
    stored.push({ path, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, sha256: p.sha256, gpsFromExif: p.gps !== null });
  }
  return stored;
}
