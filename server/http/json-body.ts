import type { Context } from 'hono';
import { readBody, type BodyLimit } from './body.ts';
import { JsonError } from './json-error.ts';

/** The cap of a JSON API (the bus, the back office), refused as `{"error": {"code": 413, …}}`. */
export const jsonBodyLimit = (maxBytes: number): BodyLimit => ({
  maxBytes,
  tooLarge: (max) => new JsonError(413, `the body is larger than ${max} bytes`),
});

/** The JSON body, read through the capped edge (413 beyond its cap); not JSON → 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = (await readBody(c)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonError(400, 'the body must be JSON');
  }
}

/** The JSON body, which must be an object (not a list, not a bare value): else 400. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const parsed = await readJson(c).catch((e: unknown) => {
    if (e instanceof JsonError && e.status === 400) return undefined;
    throw e;
  });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new JsonError(400, 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}
