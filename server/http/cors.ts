import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** Allowed origins; `*` allows any. */
  origins: string[];
  methods: string[];
  exposeHeaders: string[];
  /** How long a browser may cache a preflight answer, in seconds. */
  maxAge: number;
}

/**
 * CORS headers, as Hono's `cors()` sets them, but through `c.header()` before the handler runs. Hono's
 * own middleware writes them into `c.res` first, which makes Hono rebuild every answer as a full
 * `Response` with a body stream: 3 to 5 times fewer requests per second in `npm run bench`.
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const anyOrigin = options.origins.includes('*');
  const methods = options.methods.join(',');
  const expose = options.exposeHeaders.join(',');
  return async function cors(c, next) {
    const origin = c.req.header('origin') ?? '';
    const allowed = anyOrigin ? '*' : options.origins.includes(origin) ? origin : null;
    if (allowed) c.header('Access-Control-Allow-Origin', allowed);
    if (expose) c.header('Access-Control-Expose-Headers', expose);
    if (!anyOrigin) c.header('Vary', 'Origin', { append: true });
    if (c.req.method !== 'OPTIONS') return next();

    c.header('Access-Control-Max-Age', String(options.maxAge));
    c.header('Access-Control-Allow-Methods', methods);
    const requested = c.req.header('access-control-request-headers');
    if (requested) {
      c.header('Access-Control-Allow-Headers', requested.split(',').map((h) => h.trim()).join(','));
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
    }
    return c.body(null, 204);
  };
}
