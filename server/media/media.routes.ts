import { Hono } from 'hono';
import { matchesEtag } from '../assets/encoding.ts';
import { MediaStorageUnavailable, type MediaStorage } from './media.storage.ts';

export interface MediaRoutesDeps {
  storage: Pick<MediaStorage, 'read'>;
}

// A stored path names its content (its SHA-256), so a response can never go stale: clients and
// proxies may keep it for a year without asking again.
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/**
 * The stored photos, served read-only: `GET /{ab}/{sha256}.{jpg|webp}` below wherever this app is
 * mounted (the server mounts it at `/media`). Answers carry the exact image type, a strong ETag
 * (the SHA-256), year-long immutable caching and `nosniff`; `If-None-Match` gives a 304. Unknown
 * paths and anything that is not a path `save` returns (`..`, encoded slashes, absolute paths) get
 * a JSON 404, the same as a missing photo, so probing learns nothing.
 * A remote storage that does not answer gives a JSON 503 with `Retry-After`.
 *
 * @example app.route('/media', createMediaRoutes({ storage: createMediaStorage('data/media') }));
 */
export function createMediaRoutes({ storage }: MediaRoutesDeps) {
  const app = new Hono();

  // Two segments exactly; Hono has already percent-decoded each one, so `ab%2F..` arrives as
  // `ab/..` inside one parameter and fails the storage's path check.
  app.get('/:folder/:file', async (c) => {
    const photo = await storage
      .read(`${c.req.param('folder')}/${c.req.param('file')}`)
      .catch((err: unknown) => {
        if (!(err instanceof MediaStorageUnavailable)) throw err;
        return err;
      });
    // A remote storage that does not answer (the cause is in its log): try again later, not an internal error.
    if (photo instanceof MediaStorageUnavailable) {
      return c.json({ error: 'the photo storage does not answer; try again later' }, 503, {
        'Retry-After': String(photo.retryAfter),
      });
    }
    if (!photo) return c.json({ error: 'not found' }, 404);
    const etag = `"${photo.sha256}"`;
    const headers = {
      'Cache-Control': CACHE_FOREVER,
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return c.body(new Uint8Array(photo.data), 200, {
      ...headers,
      'Content-Type': photo.mime,
      'Content-Length': String(photo.data.length),
    });
  });

  app.all('*', (c) => c.json({ error: 'not found' }, 404));
  return app;
}

