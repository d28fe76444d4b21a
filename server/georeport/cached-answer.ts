import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { matchesEtag } from '../assets/encoding.ts';
import type { Queryable } from '../db/engine.ts';
import { readCacheVersions, type CacheName } from '../db/versioned-cache.ts';
import type { AnswerCache } from './answer-cache.ts';
import { formatted, formattedList, send, type Format } from './format.ts';

/**
 * Browsers ask again every time (`max-age=0`: a cheap 304 while nothing moved), so a resident who has
 * just filed or followed sees it at once in their own browser; a browser would also apply a
 * `stale-while-revalidate` to itself, hence none here. Shared caches (proxies: `s-maxage`) may answer
 * for 15 s, how late a status change may reach a reader through them; CDNs that read
 * `CDN-Cache-Control` (RFC 9213) may then hand out what they have for 60 s more while they revalidate in
 * the background.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=15';
export const CDN_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=60';

/**
 * The "now" of the default windows (the last 90 days): the start of the current minute. A request thus
 * leaves the default answer up to a minute after it turns 90 days old, and the answer's key (and ETag)
 * stays the same for a minute instead of changing every second: computed once a minute at most, and
 * never stale, since what the key names does not depend on the clock any more.
 */
export const windowNow = (nowMs: number) => Math.floor(nowMs / 60_000) * 60;

/** What an answer is, for the cache: everything it depends on, and nothing else. */
export interface AnswerKey {
  format: Format;
  /** The town whose data it shows; null for an answer that depends on no data (discovery). */
  town: string | null;
  /** The town's counters it depends on: their versions are part of the key and of the ETag. */
  counters: readonly CacheName[];
  /** The resolved locale (null: the town's default), never the raw `Accept-Language`. */
  locale: string | null;
  /** The route and its parsed, normalised parameters: only those that change the answer, in a fixed order. */
  query: string;
}

export interface Computed {
  root: string;
  /** The answer's content, or for a list its items already serialised in the format asked for. */
  payload?: unknown;
  items?: string[];
  headers?: Record<string, string>;
  nextPage?: number | null;
}

export type PublicAnswers = ReturnType<typeof createPublicAnswers>;

/**
 * The one way a public GeoReport read answers: formatted once per key and data version (kept in `cache`),
 * with a weak ETag hashed from that key and the versions (the same on every server for the same data:
 * the versions come from `cache_versions`), `If-None-Match` answered 304 before anything is computed, and
 * `Cache-Control: PUBLIC_CACHE_CONTROL` (and `CDN-Cache-Control`). Errors thrown by `compute` carry none of these headers (they are
 * set once the answer exists), so no error is cached anywhere.
 */
export function createPublicAnswers(db: Queryable, cache: AnswerCache) {
  /** `compute` is given the versions it is computed at (a stamp for what it reuses). */
  return async function answer(c: Context, what: AnswerKey, compute: (stamp: string) => Promise<Computed>, nextPageUrl?: (page: number) => string) {
    // Read before the answer is computed: if the data moves meanwhile, the answer may be newer than its
    // key says, never older (the next read, at the new versions, computes it again).
    const versions = what.town === null ? [] : await readCacheVersions(db, what.counters, what.town);
    const stamp = versions.join(' ');
    const key = [what.format, what.town ?? '', what.locale ?? '', stamp, what.query].join('\n');
    const etag = `W/"${createHash('sha1').update(key).digest('base64url')}"`;
    const validators = () => {
      c.header('ETag', etag);
      c.header('Cache-Control', PUBLIC_CACHE_CONTROL);
      c.header('CDN-Cache-Control', CDN_CACHE_CONTROL);
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) {
      validators();
      // The same Vary as the full answer, so that a proxy files the 304 under the right variants.
      c.header('Vary', 'Accept-Encoding', { append: true });
      return c.body(null, 304);
    }
    const answer = await cache.load(key, async () => {
      const { root, payload, items, headers, nextPage } = await compute(stamp);
      return items ? formattedList(what.format, root, items, headers, nextPage) : formatted(what.format, root, payload, headers, nextPage);
    });
    validators();
    for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
    if (answer.nextPage !== null && nextPageUrl) c.header('X-Next-Page-URL', nextPageUrl(answer.nextPage));
    return send(c, answer, 200, (a) => cache.gzip(key, a));
  };
}
