import type { ErrorItem, Service, ServiceDefinition, Submitted } from './types.ts';

/** Why a call failed, in terms the resident can act on. */
export type FailureKind = 'network' | 'validation' | 'key' | 'rate_limit' | 'too_large' | 'server';

export class GeoReportError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The server's Open311 errors (each names its field), when it sent any. */
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

/** A typed GeoReport v2 client for the widget: the catalogue in one language, and filing a report. */
export function createClient(options: ClientOptions) {
  const base = new URL('open311/v2/', new URL(options.server, location.href));
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const url = (path: string, params: Record<string, string | undefined> = {}) => {
    const u = new URL(path, base);
    for (const [k, v] of Object.entries({ jurisdiction_id: options.jurisdiction, ...params })) if (v) u.searchParams.set(k, v);
    return u;
  };

  async function call<T>(input: URL, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(input, { credentials: 'omit', ...init });
    } catch {
      throw new GeoReportError('network');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.ok) return body as T;
    const errors = Array.isArray(body) ? (body as ErrorItem[]).filter((e) => typeof e?.description === 'string') : [];
    const retry = Number(res.headers.get('retry-after'));
    throw new GeoReportError(KIND_BY_STATUS[res.status] ?? 'server', errors, Number.isFinite(retry) ? retry : undefined);
  }

  return {
    services: () => call<Service[]>(url('services.json', { locale: options.locale })),
    definition: (code: string) => call<ServiceDefinition>(url(`services/${encodeURIComponent(code)}.json`, { locale: options.locale })),
    /** Files a report as multipart/form-data (photos as file parts). */
    async submit(fields: [string, string][], photos: Blob[]): Promise<Submitted> {
      const form = new FormData();
      if (options.apiKey) form.append('api_key', options.apiKey);
      if (options.jurisdiction) form.append('jurisdiction_id', options.jurisdiction);
      for (const [name, value] of fields) form.append(name, value);
      photos.forEach((photo, i) => form.append('media[]', photo, `photo-${i + 1}.jpg`));
      const [first] = await call<Submitted[]>(url('requests.json'), { method: 'POST', body: form });
      return first ?? {};
    },
  };
}

export type GeoReportClient = ReturnType<typeof createClient>;
