import type { Context } from 'hono';
import { STORE_FULL_RETRY_AFTER } from '../db/store-full.ts';
import type { Logger } from '../logger.ts';

/**
 * A refused call of a JSON API (the bus, the back office): its status, what is wrong, and each problem
 * (with its field or path) when there are several.
 */
export class JsonError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }

  /** The JSON body every refused call answers: `{"error": {"code", "message", "problems"?}}`. */
  body() {
    return { error: { code: this.status, message: this.message, ...(this.problems.length ? { problems: this.problems } : {}) } };
  }
}

/**
 * How the JSON APIs answer a write refused because the store or the disk is full (db/store-full.ts):
 * 503 with `Retry-After`, in their error format; logged, since only the operator can free space.
 */
export function storeFullAnswer(c: Context, logger: Logger): Response {
  logger.error('store full: a write was refused', { path: new URL(c.req.url).pathname });
  c.header('Retry-After', String(STORE_FULL_RETRY_AFTER));
  return c.json({ error: { code: 503, message: 'the storage of this server is full: nothing was changed; try again later' } }, 503);
}
