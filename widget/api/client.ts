import { apiUrl, firstCalls, takeEarly } from './first-calls.ts';
import type { ErrorItem, MapAnswer, PublicRequest, RequestFilters, Service, ServiceDefinition, Submitted, TrackedRequest, WidgetConfig } from './types.ts';

/** Why a call failed, in terms the resident can act on. */
export type FailureKind = 'network' | 'validation' | 'key' | 'rate_limit' | 'too_large' | 'server';

export class GeoReportError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The server's Open311 errors (with their `reason` and `field`), when it sent any. */
    readonly errors: ErrorItem[] = [],
    /** Seconds to wait, for `rate_limit`. */
    readonly retryAfter?: number,
  ) {
    super(errors.map((e) => e.description).join('; ') || kind);
  }
}

export interface ClientOptions {
  /** The georeport server, e.g. `https://311.ville.example/`. */
  server: string;
  jurisdiction?: string;
  apiKey?: string;
  /** Language of the catalogue texts. */
  locale: string;
  fetch?: typeof fetch;
}

const KIND_BY_STATUS: Record<number, FailureKind> = { 400: 'validation', 403: 'key', 404: 'validation', 413: 'too_large', 429: 'rate_limit' };

/**
 * Catalogues by URL (server, town, language), asked once for the page however many elements want them,
 * together or one after the other (the map's code loads when its tab is first shown); a failure is asked again.
 */
const catalogues = new Map<string, Promise<Service[]>>();

/** A typed GeoReport v2 client for the widget: the catalogue in one language, and filing a report. */
export function createClient(options: ClientOptions) {
  const server = new URL(options.server, location.href);
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const url = (path: string, params: Record<string, string | undefined> = {}) => apiUrl(options, path, params);
  const first = firstCalls(options);

  async function answer(input: URL, init?: RequestInit): Promise<{ res: Response; body: unknown }> {
    // A plain GET the loader started early (none with a fetch of the caller's own, which wants every call).
    const early = options.fetch || init ? undefined : takeEarly(input.href);
    let res: Response;
    try {
      res = await (early ?? doFetch(input, { credentials: 'omit', ...init }));
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new GeoReportError('network');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.ok) return { res, body };
    const errors = Array.isArray(body) ? (body as ErrorItem[]).filter((e) => typeof e?.description === 'string') : [];
    const retry = Number(res.headers.get('retry-after'));
    throw new GeoReportError(KIND_BY_STATUS[res.status] ?? 'server', errors, Number.isFinite(retry) ? retry : undefined);
  }
  const call = async <T>(input: URL, init?: RequestInit): Promise<T> => (await answer(input, init)).body as T;

  /** The query parameters of the map's filters. */
  const filterParams = (f: RequestFilters): Record<string, string | undefined> => ({
    status: f.status || undefined,
    service_code: f.service || undefined,
    start_date: f.days > 0 ? new Date(Date.now() - f.days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined,
  });
  const box = (b: [number, number, number, number]) => b.map((v) => v.toFixed(6)).join(',');
  const form = (fields: Record<string, string | undefined>) => {
    const body = new FormData();
    if (options.apiKey) body.append('api_key', options.apiKey);
    if (options.jurisdiction) body.append('jurisdiction_id', options.jurisdiction);
    for (const [name, value] of Object.entries(fields)) if (value) body.append(name, value);
    return body;
  };

  return {
    /** What the map shows of `bbox` (minLong, minLat, maxLong, maxLat) at `zoom`. */
    map: (bbox: [number, number, number, number], zoom: number, filters: RequestFilters, signal?: AbortSignal) =>
      call<MapAnswer>(url('map.json', { bbox: box(bbox), zoom: String(zoom), ...filterParams(filters) }), { signal }),
    /** A page of the requests in `bbox` (or everywhere), newest first, with the total (`X-Result-Count`). */
    async list(bbox: [number, number, number, number] | null, filters: RequestFilters, page: number, pageSize: number, signal?: AbortSignal) {
      const { res, body } = await answer(url('requests.json', {
        bbox: bbox ? box(bbox) : undefined, page: String(page), page_size: String(pageSize), extensions: 'true', locale: options.locale, ...filterParams(filters),
      }), { signal });
      return {
        requests: body as PublicRequest[],
        total: Number(res.headers.get('x-result-count') ?? 0),
        estimated: res.headers.get('x-result-count-estimated') === 'true',
        more: res.headers.has('x-next-page-url'),
      };
    },
    /** Requests by id (at most 1000), with their history; unknown or hidden ones are left out. */
    requests: (ids: string[]) =>
      call<PublicRequest[]>(url('requests.json', { service_request_id: ids.join(','), extensions: 'true', locale: options.locale })),
    /** Open requests of `service` near a point that the resident may join instead of filing again. */
    duplicates: (service: string, lat: number, long: number) =>
      call<PublicRequest[]>(url('duplicates.json', { service_code: service, lat: String(lat), long: String(long), extensions: 'true', locale: options.locale })),
    /**
     * Joins a request ("me too"); answers its follower count, and whether the e-mails asked for wait for
     * the address's owner to confirm it (the server says so without telling whether a mail went out).
     */
    async follow(id: string, fields: { deviceId: string; email?: string; emailUpdates?: boolean }): Promise<{ followers: number; confirmEmail: boolean }> {
      const [first] = await call<{ followers: number; email_confirmation?: string }[]>(url(`requests/${encodeURIComponent(id)}/followers.json`, { locale: options.locale }), {
        method: 'POST',
        body: form({ device_id: fields.deviceId, email: fields.email, email_updates: fields.emailUpdates ? 'true' : undefined, locale: options.locale }),
      });
      return { followers: first?.followers ?? 0, confirmEmail: first?.email_confirmation === 'required' };
    },
    /**
     * A request as its filer follows it, with the tracking token its filing was answered with: also while
     * held for moderation or once rejected. Undefined when the server does not know it (or the token).
     */
    async tracking(id: string, token: string): Promise<TrackedRequest | undefined> {
      try {
        return (await call<TrackedRequest[]>(url(`requests/${encodeURIComponent(id)}/tracking.json`, { tracking_token: token, locale: options.locale })))[0];
      } catch (err) {
        if (err instanceof GeoReportError && err.kind === 'validation') return undefined;
        throw err;
      }
    },
    /** The address of a request's public page on the server (readable without script, shareable). */
    pageUrl: (id: string) => new URL(`requests/${encodeURIComponent(id)}`, server).href,
    /** The catalogue; every element of the page (a widget's form, then its map) shares one answer. */
    services: () => {
      const key = first.services.href;
      let asked = catalogues.get(key);
      if (!asked) {
        asked = call<Service[]>(new URL(key));
        catalogues.set(key, asked);
        asked.catch(() => catalogues.delete(key));
      }
      return asked.then((list) => [...list]);
    },
    definition: (code: string) => call<ServiceDefinition>(url(`services/${encodeURIComponent(code)}.json`, { locale: options.locale })),
    /**
     * What the widget checks when it loads: the key (refused as a filing would refuse it: a GeoReportError
     * of kind `key` or `validation`, with its reason), e-mail updates, the administrator's out-of-area words.
     */
    widgetConfig: () => call<WidgetConfig>(first.widgetConfig),
    /**
     * Files a report as multipart/form-data (photos as file parts), asking for the extension fields: the
     * expected date, whether it waits for a moderator, and the tracking token. Refusals come in the
     * widget's language.
     */
    async submit(fields: [string, string][], photos: Blob[]): Promise<Submitted> {
      const form = new FormData();
      if (options.apiKey) form.append('api_key', options.apiKey);
      if (options.jurisdiction) form.append('jurisdiction_id', options.jurisdiction);
      form.append('extensions', 'true');
      for (const [name, value] of fields) form.append(name, value);
      photos.forEach((photo, i) => form.append('media[]', photo, `photo-${i + 1}.jpg`));
      const [first] = await call<Submitted[]>(url('requests.json', { locale: options.locale }), { method: 'POST', body: form });
      return first ?? {};
    },
  };
}

export type GeoReportClient = ReturnType<typeof createClient>;
