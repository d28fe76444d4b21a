import type { Context } from 'hono';
import { gzipSync } from 'node:zlib';
import { toXml } from './xml.ts';

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

/** Answers of at least this many bytes are gzipped for clients that accept it. */
const COMPRESS_FROM = 4096;

/**
 * Answers `payload` in `format`; for XML, `root` names the element the JSON payload is wrapped in.
 * Large answers go gzipped to clients that say they accept it (a page of 50 requests shrinks about
 * eightfold); the others, and small answers, as they are.
 */
export function respond(c: Context, format: Format, root: string, payload: unknown, status: 200 | 400 | 403 | 404 | 413 | 429 | 500 | 503 = 200) {
  const body = format === 'xml' ? toXml(root, payload) : JSON.stringify(payload);
  const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPES[format] };
  if (body.length < COMPRESS_FROM) return c.body(body, status, headers);
  c.header('Vary', 'Accept-Encoding', { append: true });
  if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(body, status, headers);
  return c.body(gzipSync(body, { level: 1 }), status, { ...headers, 'Content-Encoding': 'gzip' });
}

/** Route parameter matching `{name}.{xml|json}` as one path segment (service codes, ids, tokens). */
export const FILE_PARAM = ':file{[^/]+\\.(?:xml|json)}';

/** Splits a `{name}.{fmt}` segment matched by FILE_PARAM. */
export function splitFile(file: string): { name: string; format: Format } {
  const dot = file.lastIndexOf('.');
  return { name: file.slice(0, dot), format: formatOfPath(file)! };
}
