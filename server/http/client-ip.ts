import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from: the socket's peer, or, behind a trusted reverse proxy, the last
 * address the proxy appended to `X-Forwarded-For` (earlier ones are the client's to forge).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
