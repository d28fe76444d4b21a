import type { Context } from 'hono';
import { answerOf, COMPRESS_FROM, gzipped, type Answer } from './answer-cache.ts';
import { toXml, xmlList } from './xml.ts';

export const FORMATS = ['xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

const CONTENT_TYPES: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The format a path asks for by its extension (`…/requests.xml`), or undefined. */
export function formatOfPath(path: string): Format | undefined {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return FORMATS.find((f) => f === ext);
}

type Status = 200 | 400 | 403 | 404 | 413 | 429 | 500 | 503;

/** `payload` formatted in `format`; for XML, `root` names the element the JSON payload is wrapped in. */
export const formatted = (format: Format, root: string, payload: unknown, headers?: Record<string, string>, nextPage?: number | null): Answer =>
  answerOf(format === 'xml' ? toXml(root, payload) : JSON.stringify(payload), CONTENT_TYPES[format], headers, nextPage);

/** A list whose items are already serialised in `format` (JSON objects, or XML elements by `xmlItem`). */
export const formattedList = (format: Format, root: string, items: string[], headers?: Record<string, string>, nextPage?: number | null): Answer =>
  answerOf(format === 'xml' ? xmlList(root, items) : `[${items.join(',')}]`, CONTENT_TYPES[format], headers, nextPage);

/** Answers `payload` in `format` (see `formatted`), uncached. */
export function respond(c: Context, format: Format, root: string, payload: unknown, status: Status = 200) {
  return send(c, formatted(format, root, payload), status);
}

/**
 * Sends a formatted answer. Large answers go gzipped to clients that say they accept it (a page of 50
 * requests shrinks about eightfold), through `zip` (the cache's, which keeps the gzip form); the others,
 * and small answers, as they are.
 */
export function send(c: Context, answer: Answer, status: Status = 200, zip: (answer: Answer) => Uint8Array<ArrayBuffer> | null = gzipped) {
  const headers: Record<string, string> = { 'Content-Type': answer.contentType };
  if (answer.body.byteLength < COMPRESS_FROM) return c.body(answer.body, status, headers);
  c.header('Vary', 'Accept-Encoding', { append: true });
  const zipped = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '') ? zip(answer) : null;
  if (!zipped) return c.body(answer.body, status, headers);
  return c.body(zipped, status, { ...headers, 'Content-Encoding': 'gzip' });
}

/** Route parameter matching `{name}.{xml|json}` as one path segment (service codes, ids, tokens). */
export const FILE_PARAM = ':file{[^/]+\\.(?:xml|json)}';

/** Splits a `{name}.{fmt}` segment matched by FILE_PARAM. */
export function splitFile(file: string): { name: string; format: Format } {
  const dot = file.lastIndexOf('.');
  return { name: file.slice(0, dot), format: formatOfPath(file)! };
}
