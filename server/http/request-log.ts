import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * Times every request, counts it in the metrics by route pattern (never the raw path, which would let
 * clients create unbounded label values) and writes one structured log line. The query string is not
 * logged: it may carry an api_key.
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
  return async function requestLog(c, next) {
    const started = performance.now();
    const id = crypto.randomUUID();
    c.header('X-Request-Id', id);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(routePath(c));
    options.metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    options.logger.info('request', {
      id,
      method: c.req.method,
      path: c.req.path,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
    });
  };
}
