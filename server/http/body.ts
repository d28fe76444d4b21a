import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';

/** The cap a route family puts on request bodies, and the refusal it answers in its own format. */
export interface BodyLimit {
  maxBytes: number;
  /** The error to throw for a body over `maxBytes`: a 413 in the family's error format. */
  tooLarge: (maxBytes: number) => Error;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `bodyLimit()`; what `readChunks()` holds the body to. */
    bodyLimit: BodyLimit;
  }
}

const incomingOf = (c: Context) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/**
 * The one edge every request body goes through. This middleware sets the cap of its routes and refuses
 * at once a body whose Content-Length is over it; `readChunks()` (and `readBody()`) then hold the body
 * to the cap while it streams, whatever Content-Length or Transfer-Encoding say, so nothing past the
 * cap is ever buffered. Mount it after the checks that can refuse a caller without its body (a session,
 * a bearer secret), so that their refusals read nothing.
 *
 * A body left unread when the answer goes out is drained by @hono/node-server, which throws the bytes
 * away and closes the connection after 64 MB or 500 ms: the client has its answer first. Answering
 * `Connection: close` instead makes Node destroy the socket at once, and the client's TCP stack then
 * drops the answer with the reset (seen in `test/security/bodies.test.ts`).
 *
 * @example app.use('*', bodyLimit({ maxBytes: 5 << 20, tooLarge: (n) => new JsonError(413, `…${n}…`) }));
 */
export function bodyLimit(limit: BodyLimit): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit.maxBytes) throw limit.tooLarge(limit.maxBytes);
    c.set('bodyLimit', limit);
    await next();
  };
}

/**
 * The body's bytes straight from Node's request stream when there is one: @hono/node-server then never
 * builds a web `Request` with a stream around it, which costs about 5 times the POSTs per second in
 * `npm run bench` (that is what Hono's own `bodyLimit()` does). Left unfinished, the stream stays open
 * for the answer (`destroyOnReturn: false`); `app.request()` in tests has only the web stream.
 */
async function* rawChunks(c: Context): AsyncGenerator<Uint8Array> {
  const incoming = incomingOf(c);
  if (incoming) {
    yield* incoming.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    return;
  }
  const body = c.req.raw.body;
  if (body) yield* body as unknown as AsyncIterable<Uint8Array>;
}

/**
 * The body as it streams, held to the cap `bodyLimit()` set: the chunk that passes it throws the
 * family's 413 instead of being handed on. A route without `bodyLimit()` is a programming error.
 */
export async function* readChunks(c: Context): AsyncGenerator<Uint8Array> {
  const limit = c.get('bodyLimit');
  if (!limit) throw new Error(`no bodyLimit() is mounted for ${c.req.method} ${c.req.path}`);
  let bytes = 0;
  for await (const chunk of rawChunks(c)) {
    bytes += chunk.byteLength;
    if (bytes > limit.maxBytes) throw limit.tooLarge(limit.maxBytes);
    yield chunk;
  }
}

/** The whole body, at most the cap `bodyLimit()` set (else the family's 413). */
export async function readBody(c: Context): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readChunks(c)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
