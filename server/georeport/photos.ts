import type { RateLimiter } from '../http/rate-limit.ts';
import { MediaError } from '../media/media.errors.ts';
import type { PhotoQueue, QueuePlace } from '../media/photo-queue.ts';
import { processPhoto, type ProcessedPhoto } from '../media/process-photo.ts';
import { MediaStorageUnavailable, type MediaStorage } from '../media/media.storage.ts';
import type { NewMedia } from '../requests/requests.types.ts';
import type { Reason } from '../shared/refusals.ts';
import { refuse, type Open311Error } from './georeport.errors.ts';

export interface PhotoLimits {
  maxPhotos: number;
  maxPhotoBytes: number;
  maxSide: number;
  /** Images with more pixels are refused from their header, before they are decoded. */
  maxPixels: number;
}

export interface PhotoIntakeOptions {
  limits: PhotoLimits;
  queue: PhotoQueue;
  /** Photos per client address (IPv6 by /64) per day. */
  perAddress: RateLimiter;
  /** Bytes of photos stored now (read from the store when a body with photos begins). */
  storedBytes: () => Promise<number>;
  /** Beyond this many stored bytes, new photos are refused (0: no cap). */
  maxStoredBytes: number;
}

/** One request's photos as they arrive: each admitted, then re-encoded. */
export interface PhotoBatch {
  /** Before a photo's bytes are read: the caps and a place in the queue, or the Open311 refusal. */
  admit(): Promise<void>;
  /** Re-encodes one photo (index from 0) in its turn; problems are Open311 errors (400, 413). */
  add(bytes: Uint8Array, index: number): Promise<void>;
  readonly photos: ProcessedPhoto[];
  /** Gives the queue place back, whatever happened. */
  close(): void;
}

export interface PhotoIntake {
  /** The intake of one body's photos; the photos' total is read now, before the body streams. */
  open(address: string): Promise<PhotoBatch>;
}

/** Seconds a client refused for a full queue is told to wait: a few photos' work. */
const QUEUE_RETRY_AFTER = 5;

/**
 * Where GeoReport photos come in, with every bound in one place: photos per address per day (429), the
 * total stored (a full store refuses new photos with a 413 — the resident, told so, sends the report
 * without them, rather than believing a photo was kept when it was dropped), a place in the bounded
 * photo queue (503 with Retry-After when full), then the pixel cap and the re-encode.
 */
export function createPhotoIntake(options: PhotoIntakeOptions): PhotoIntake {
  const { limits } = options;
  return {
    async open(address) {
      const stored = options.maxStoredBytes > 0 ? await options.storedBytes() : 0;
      let place: QueuePlace | undefined;
      const photos: ProcessedPhoto[] = [];
      return {
        photos,
        async admit() {
          const day = await options.perAddress.hit(address);
          if (!day.allowed) {
            throw refuse('photo.daily_limit', 'media', { seconds: day.retryAfter }, day.retryAfter);
          }
          if (place) return;
          if (options.maxStoredBytes > 0 && stored >= options.maxStoredBytes) {
            throw refuse('photo.storage_full', 'media');
          }
          place = options.queue.enter();
          if (!place) throw refuse('photo.busy', 'media', { seconds: QUEUE_RETRY_AFTER }, QUEUE_RETRY_AFTER);
        },
        async add(bytes, index) {
          const label = `photo ${index + 1}`;
          try {
            photos.push(await place!.run(() => processPhoto(bytes, { maxSide: limits.maxSide, maxPixels: limits.maxPixels, label })));
          } catch (e) {
            if (e instanceof MediaError) throw mediaRefusal(e, index + 1);
            throw e;
          }
        },
        close() {
          place?.leave();
        },
      };
    },
  };
}

const MEDIA_REASONS: Record<MediaError['kind'], Reason> = {
  not_image: 'photo.not_image', too_many: 'photo.too_many', too_large: 'photo.too_large', malformed: 'body.malformed',
};

/**
 * A photo's problem as a GeoReport refusal of the `media` parameter: the media module's English message
 * is the English description, its facts word the others.
 */
export function mediaRefusal(e: MediaError, photo = e.facts.photo): Open311Error {
  const reason = MEDIA_REASONS[e.kind];
  if (reason === 'body.malformed') return refuse(reason);
  return refuse(reason, 'media', { detail: e.message, ...e.facts, ...(photo === undefined ? {} : { photo }) });
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

/**
 * Writes the photos to storage and describes them for the request's media rows. A storage that does not
 * answer (S3 down) refuses the request with a 503 and Retry-After: nothing is filed, and a photo already
 * written is only an unreferenced copy under its content address, reused if the resident sends again.
 */
export async function storePhotos(photos: ProcessedPhoto[], storage: MediaStorage): Promise<NewMedia[]> {
  const stored: NewMedia[] = [];
  for (const p of photos) {
    const { path } = await storage.save(p).catch((e: unknown) => {
      if (e instanceof MediaStorageUnavailable) {
        throw refuse('photo.storage_unavailable', 'media', { seconds: e.retryAfter }, e.retryAfter);
      }
      throw e;
    });
    stored.push({ path, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, sha256: p.sha256, gpsFromExif: p.gps !== null });
  }
  return stored;
}
