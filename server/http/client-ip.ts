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

/**
 * The group a client address is counted in for per-address limits: an IPv4 address alone (an IPv4-mapped
 * IPv6 one as its IPv4), an IPv6 address by its /64 — one subscriber's network, where every device can
 * pick addresses at will. Anything else (`local`) stands for itself.
 */
export function addressGroup(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
