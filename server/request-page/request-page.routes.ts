import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { createAssetRoutes } from '../assets/assets.routes.ts';
import { matchesEtag } from '../assets/encoding.ts';
import type { CatalogueStore } from '../catalogue/catalogue.store.ts';
import { parseForm, type Fields } from '../georeport/fields.ts';
import { Open311Error, refuse } from '../georeport/georeport.errors.ts';
import { acceptedLanguages } from '../georeport/locale.ts';
import { mediaUrl } from '../georeport/serialize.ts';
import { bodyLimit, readBody } from '../http/body.ts';
import { addressGroup, clientIp } from '../http/client-ip.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { isEmailAddress } from '../shared/checks.ts';
import type { FollowersStore } from '../requests/followers.store.ts';
import type { RequestsStore } from '../requests/requests.store.ts';
import { isPageLanguage, type PageLanguage } from './page-texts.ts';
import { followedPage, notFoundPage, refusedPage, requestPage, type PageFrame } from './render-page.ts';

export interface RequestPageDeps {
  catalogue: CatalogueStore;
  requests: RequestsStore;
  followers: FollowersStore;
  /** The GeoReport writes' per-address limit: following from the page spends the same budget. */
  perAddress: RateLimiter;
  trustProxy: boolean;
  /** The server's public URL, ending in `/`: the pages' canonical addresses. */
  publicUrl: string;
  /** Where stored photos are served, ending in `/`. */
  mediaBaseUrl: string;
  /** Hosts whose photos the public sees (this server's and those the city vouches for): the pages' `img-src`. */
  shownPhotoHosts: ReadonlySet<string>;
  /** Whether the server sends e-mail: only then is following offered. */
  canEmail: boolean;
  /** The time zone dates are written in. */
  timeZone: string;
  /** Milliseconds since the epoch. */
  now: () => number;
}

const REQUEST_ID = /^[1-9][0-9]{0,14}$/;
/** A follow form is an address and a language: a few hundred bytes. */
const MAX_FOLLOW_BYTES = 8 * 1024;
/** Pages change when their request does: a minute of freshness, then a revalidation by ETag. */
const CACHED = 'public, max-age=60';

/**
 * A page per request at `/requests/{id}`, readable with no script: ids are unique across the server's
 * jurisdictions, so the address needs no town and stays the same whatever happens to the catalogue (its
 * Open311 JSON link names the jurisdiction). Held, hidden and unknown requests get the same 404 page, in
 * a language that does not depend on the request. Served under `default-src 'none'` with its stylesheet
 * from here; images from here and the photo hosts the city vouches for. `POST /requests/{id}/follow`
 * follows it by e-mail without script (double opt-in, as the API's follow), spending the per-address
 * write budget; only on a server that sends e-mail.
 */
export function createRequestPageRoutes(deps: RequestPageDeps) {
  const policy = `default-src 'none'; style-src 'self'; img-src 'self' ${[...deps.shownPhotoHosts].join(' ')}; `
    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** `?lang=`, else Accept-Language, among the page's languages; else `fallback` if the page speaks it, else English. */
  const languageOf = (c: Context, fallback: string): PageLanguage =>
    [new URL(c.req.url).searchParams.get('lang') ?? undefined, ...acceptedLanguages(c.req.header('accept-language') ?? '')].find(isPageLanguage)
    ?? (isPageLanguage(fallback) ? fallback : 'en');
  /** For pages about no request in particular: the language all the server's towns share, else English. */
  const serverLanguage = async () => {
    const spoken = new Set((await deps.catalogue.jurisdictions()).map((j) => j.defaultLocale));
    return spoken.size === 1 ? [...spoken][0]! : 'en';
  };

  const send = (c: Context, lang: PageLanguage, status: 200 | 400 | 404 | 413 | 429, body: string, cache: string) => {
    c.header('Content-Security-Policy', policy);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language');
    c.header('Cache-Control', cache);
    return c.html(body, status);
  };

  /**
   * The page of request `id` in the language `lang` picks given the town's (its follow form holding
   * `follow`); or, for any id the public may not see, the 404 page, whose language never depends on it.
   */
  const pageOf = async (id: string, base: string, lang: (fallback: string) => PageLanguage, follow = { email: '', invalid: false }) => {
    const jurisdictionId = REQUEST_ID.test(id) ? await deps.requests.publicJurisdiction(Number(id)) : undefined;
    const jurisdiction = jurisdictionId === undefined ? undefined : await deps.catalogue.jurisdiction(jurisdictionId);
    const language = lang(jurisdiction?.defaultLocale ?? (await serverLanguage()));
    const translated = jurisdiction !== undefined && language !== jurisdiction.defaultLocale && (await deps.catalogue.locales(jurisdiction.id)).includes(language);
    const request = jurisdiction && (await deps.requests.byId(jurisdiction.id, Number(id), translated ? language : null));
    if (!jurisdiction || !request) {
      const unknown = lang(await serverLanguage());
      return { language: unknown, request: undefined, html: notFoundPage({ lang: unknown, base, languages: base === '' }) };
    }
    const { media, history } = (await deps.requests.extras([request.id])).get(request.id)!;
    const frame: PageFrame = { lang: language, base, town: jurisdiction.name, languages: base === '' };
    return {
      language,
      request,
      frame,
      html: requestPage(frame, {
        request, history, photos: media.map((m) => mediaUrl(m, deps.mediaBaseUrl)), jurisdictionId: jurisdiction.id,
        url: new URL(`requests/${request.id}`, deps.publicUrl).href, follow: deps.canEmail ? follow : null, timeZone: deps.timeZone,
      }),
    };
  };

  const app = new Hono();
  app.route('/', createAssetRoutes({
    dir: new URL('./', import.meta.url),
    files: ['request-page.css'],
    cacheControl: 'public, max-age=3600',
    missing: 'the request page’s stylesheet is missing',
  }));

  app.get('/:id', async (c) => {
    const page = await pageOf(c.req.param('id'), '', (fallback) => languageOf(c, fallback));
    if (!page.request) return send(c, page.language, 404, page.html, CACHED);
    const etag = `"${createHash('sha256').update(page.html).digest('base64url').slice(0, 27)}"`;
    c.header('ETag', etag);
    if (matchesEtag(c.req.header('if-none-match'), etag)) {
      c.header('Cache-Control', CACHED);
      c.header('Vary', 'Accept-Language');
      return c.body(null, 304);
    }
    return send(c, page.language, 200, page.html, CACHED);
  });

  app.post('/:id/follow', bodyLimit({ maxBytes: MAX_FOLLOW_BYTES, tooLarge: (max) => refuse('body.too_large', undefined, { max }) }), async (c) => {
    const id = c.req.param('id');
    const frame = (lang: PageLanguage): PageFrame => ({ lang, base: '../' });
    const asked = (fallback: string) => languageOf(c, fallback);
    const limit = await deps.perAddress.hit(addressGroup(clientIp(c, deps.trustProxy)));
    if (!limit.allowed) {
      c.header('Retry-After', String(limit.retryAfter));
      const lang = asked(await serverLanguage());
      return send(c, lang, 429, refusedPage(frame(lang), id, 'busy'), 'no-store');
    }
    let fields: Fields;
    try {
      fields = parseForm((await readBody(c)).toString('utf8'));
    } catch (error) {
      if (!(error instanceof Open311Error)) throw error;
      const lang = asked(await serverLanguage());
      return send(c, lang, error.status === 413 ? 413 : 400, refusedPage(frame(lang), id, 'malformed'), 'no-store');
    }
    const chosen = fields.get('lang')?.[0];
    const lang = (fallback: string) => (isPageLanguage(chosen) ? chosen : asked(fallback));
    const emails = (fields.get('email') ?? []).map((e) => e.trim()).filter((e) => e !== '');
    const email = emails.join(' ');
    const valid = emails.length === 1 && isEmailAddress(email);
    // A server that sends no e-mail offers nothing to follow: every id answers as an unknown one.
    const page = await pageOf(deps.canEmail ? id : '', '../', lang, { email, invalid: !valid });
    if (!page.request) return send(c, page.language, 404, page.html, 'no-store');
    if (!valid) return send(c, page.language, 400, page.html, 'no-store');
    await deps.followers.follow({
      requestId: page.request.id, kind: 'supporter', email, notify: true, locale: page.language, deviceId: null,
      now: Math.floor(deps.now() / 1000),
    });
    return send(c, page.language, 200, followedPage(page.frame, page.request.id), 'no-store');
  });
  return app;
}
