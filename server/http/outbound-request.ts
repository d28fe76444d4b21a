import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** How the socket of one call is made: the keep-alive pool, and the resolver that vets names (none: allowed by name). */
export interface Connect {
  agent: Agent;
  lookup: LookupFunction | undefined;
}

/** Statuses whose answer has no body (a web Response refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/** The answer as a web Response, as it came: a 3xx is returned, never followed. */
function asResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  if (method === 'HEAD' || NO_BODY.has(status)) {
    res.on('error', () => undefined).resume(); // nobody reads it: a reset connection is no failure of the call
    return new Response(null, { status, headers });
  }
  // Readable.toWeb errors the stream with the error the message is destroyed with (the signal's reason).
  return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers });
}

/**
 * Sends `request` (its method, headers and the `body` already read) with `node:http(s)` and resolves to
 * the answer as a web Response; a status outside 200–599 rejects (a Response cannot carry it). The
 * request's signal aborts the call at any point, the body being read included, with the signal's reason
 * (a `TimeoutError` for `AbortSignal.timeout`), as `fetch` does.
 */
export function send(
  url: URL,
  request: Request,
  body: Buffer | undefined,
  connect: Connect,
): Promise<Response> {
  const { signal } = request;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const headers: Record<string, string> = {
      'user-agent': 'georeport',
      ...Object.fromEntries(request.headers),
    };
    if (body) headers['content-length'] = String(body.byteLength);
    const call = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      agent: connect.agent,
      lookup: connect.lookup,
    });
    let answer: IncomingMessage | undefined;
    const abort = () => {
      answer?.destroy(signal.reason);
      call.destroy(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    const settled = () => signal.removeEventListener('abort', abort);
    call.on('error', (err) => {
      settled();
      reject(err);
    });
    call.once('response', (res) => {
      answer = res;
      res.once('close', settled);
      try {
        resolve(asResponse(res, request.method));
      } catch (err) {
        res.destroy();
        reject(err);
      }
    });
    call.end(body);
  });
}
