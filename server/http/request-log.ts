import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * Times every request, counts it in the metrics by route pattern (never the raw path, which would let
 * clients create unbounded label values) and writes one structured log line. The query string is not
 * logged: it may carry an api_key; nor is a path segment that is a secret (the `:token` of unsubscribe and
 * confirmation links: whoever reads the logs could otherwise act for the follower).
 */
export function requestLog(options: { logger: Logger; metrics: Metrics }): MiddlewareHandler {
  const labels = new Map<string, string>();
  /** `:file{regex}` → `:file` (the regex may hold `/` and one level of `{m,n}`); catch-alls → `unmatched`. */
  const routeLabel = (pattern: string) => {
    let label = labels.get(pattern);
    if (label === undefined) {
      const plain = pattern.replace(/(:\w+)\{(?:[^{}]|\{[^{}]*\})*\}/g, '$1');
      labels.set(pattern, (label = plain.endsWith('*') ? 'unmatched' : plain));
    }
    return label;
  };
  /** The path as logged: each segment matched by a `:token` parameter replaced by `:token`. */
  const loggedPath = (path: string, pattern: string) => {
    if (!pattern.includes(':token')) return path;
    const names = pattern.split('/');
    return path.split('/').map((segment, i) => (names[i] === ':token' ? ':token' : segment)).join('/');
  };
  return async function requestLog(c, next) {
    const started = performance.now();
    const id = crypto.randomUUID();
    c.header('X-Request-Id', id);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const pattern = routePath(c);
    const route = routeLabel(pattern);
    options.metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    options.logger.info('request', {
      id,
      method: c.req.method,
      path: loggedPath(c.req.path, route),
      route,
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
    });
  };
}
