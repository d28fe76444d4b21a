import type { Context } from 'hono';
import type { Logger } from '../logger.ts';

/** Node's server fails the reading of a request whose client closed the connection with this error. */
const clientWentAway = (err: unknown) =>
  err instanceof Error && err.message === 'aborted' && (err as NodeJS.ErrnoException).code === 'ECONNRESET';

/**
 * The one place an error no route expected is logged, for every part's `onError`. A client that went
 * away while its request was being read is no fault of ours: logged as info and answered 499 (as nginx
 * does; nobody reads it, and the request log and metrics count it apart from the 500s). Returns that
 * answer, or undefined after logging the error with its stack: the caller then answers its 500 in its
 * own format.
 */
export function unexpectedError(logger: Logger, c: Context, err: unknown): Response | undefined {
  const path = new URL(c.req.url).pathname;
  if (clientWentAway(err)) {
    logger.info('client went away', { path });
    return c.body(null, 499 as never);
  }
  logger.error('unexpected error', { path, error: err instanceof Error ? err.stack : String(err) });
  return undefined;
}
