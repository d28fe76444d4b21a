import { OutboundRefused } from '../http/outbound.ts';
import { readAtMost } from '../http/read-at-most.ts';
import { GeocoderError } from './geocoder.ts';

/** Limits of one upstream call. */
export interface FetchJsonOptions {
  fetch: typeof globalThis.fetch;
  /** Budget for connection, headers and body together. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
}

const badResponse = (message: string, cause?: unknown) =>
  new GeocoderError('geocoder.bad_response', message, { cause });

/** The body as text, refusing more than `max` bytes: upstream is not trusted to be small. */
async function readCapped(res: Response, max: number): Promise<string> {
  const body = await readAtMost(res, max);
  if (!body) throw badResponse(`the geocoder answered more than ${max} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw badResponse('the geocoder answered invalid UTF-8', cause);
  }
}

/** Any failure of one call as the GeocoderError a caller expects (its own errors pass through). */
function asGeocoderError(err: unknown, url: URL): GeocoderError {
  if (err instanceof GeocoderError) return err;
  if (err instanceof OutboundRefused) {
    return new GeocoderError('geocoder.unreachable', `the geocoder is refused: ${err.message}`, {
      cause: err,
    });
  }
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  // AbortSignal.timeout aborts with a TimeoutError; an injected fetch may say AbortError.
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GeocoderError('geocoder.timeout', `the geocoder at ${url.host} timed out`, {
      cause: err,
    });
  }
  return new GeocoderError('geocoder.unreachable', `the geocoder at ${url.host} is unreachable`, {
    cause: err,
  });
}

/**
 * GETs `url` and parses its JSON body, every failure being a {@link GeocoderError}: `unreachable`
 * (refused, reset, DNS, or a private address the outbound fetch will not call), `timeout`,
 * `http_status` (non-2xx, a redirect included: it is never followed), `bad_response` (too big, not
 * UTF-8, not JSON). What the JSON says is the caller's to check.
 */
export async function fetchJson(url: URL, options: FetchJsonOptions): Promise<unknown> {
  try {
    // One signal for connect, headers and body: a server that trickles bytes still times out.
    const res = await options.fetch(url, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const message = `the geocoder answered HTTP ${res.status}`;
      throw new GeocoderError('geocoder.http_status', message, { status: res.status });
    }
    const text = await readCapped(res, options.maxBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw badResponse('the geocoder answered invalid JSON', cause);
    }
  } catch (err) {
    throw asGeocoderError(err, url);
  }
}
