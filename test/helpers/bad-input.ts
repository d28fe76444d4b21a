import assert from 'node:assert/strict';
import { GEOREPORT_BASE } from '../../server/app.ts';
import type { Queryable } from '../../server/db/engine.ts';
import { REASONS } from '../../server/shared/refusals.ts';
import { parseXml, xmlToJson } from './xml.ts';

/**
 * The seed of every generated bad-input case. Fixed so that a failure reproduces; set
 * `BAD_INPUT_SEED` to explore other cases (the failing seed and case number are in every message).
 */
export const SEED = Number(process.env['BAD_INPUT_SEED'] ?? 0x5eed311);

/** A small seeded pseudo-random generator (mulberry32): the same seed gives the same cases. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** `min`–`max` characters drawn from `alphabet` (an array, so surrogate pairs stay whole). */
  text(min: number, max: number, alphabet?: readonly string[]): string;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    text: (min, max, alphabet = ALPHABETS.ascii) => {
      const length = int(min, max);
      let out = '';
      for (let i = 0; i < length; i++) out += pick(alphabet);
      return out;
    },
  };
}

const chars = (text: string) => [...text];

/** Splits a space-separated list (keeps long tables of test values on a few lines). */
export const words = (text: string) => text.split(' ');

/** Character sets for generated text. `hostile` mixes everything a client could send. */
export const ALPHABETS = {
  ascii: chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ '),
  punctuation: chars('&=%+?#[]/\\;:,\'"<>{}|^`!@$*()'),
  unicode: chars('éàçÉœßøñ漢字日本語한국어العربيةעבריתЖжΩ€…“”\u00a0\u200b\u200e\u202e😀🚧🕳️👩‍👩‍👧'),
  /** What XML 1.0 forbids and a valid URL can still carry: the server strips these on input. */
  forbidden: chars('\0\x01\x07\x08\x0b\x0c\x1b\x1f\ufffe\uffff'),
  /** The forbidden ones, DEL, CR, CRLF, a BOM and lone surrogates (which encode as U+FFFD). */
  get control() {
    return [...this.forbidden, '\x7f', '\r', '\r\n', '\ufeff', '\ud800', '\udfff'];
  },
  /** Printable and BMP only: keeps its length in UTF-16 units through the server's normalisation. */
  stable: chars('abcdefghijklmnopqrstuvwxyz0123456789 éàΩЖ漢€'),
  get hostile() {
    const markup = ['\n', '\t', '<![CDATA[', ']]>', '&amp;', '%'];
    return [...this.ascii, ...this.punctuation, ...this.unicode, ...this.control, ...markup];
  },
};

const UNRESERVED = /^[A-Za-z0-9*\-._]$/;
const utf8 = new TextEncoder();

/**
 * Encodes text as `application/x-www-form-urlencoded` does (UTF-8, space as `+`; a lone surrogate
 * becomes U+FFFD as in any browser), or with `everyByte` every byte as `%XX` (still valid).
 */
export function encodeComponent(text: string, everyByte = false): string {
  let out = '';
  for (const byte of utf8.encode(text)) {
    const ch = String.fromCharCode(byte);
    if (!everyByte && UNRESERVED.test(ch)) out += ch;
    else if (!everyByte && ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Encodes text as one URL path segment (space as `%20`, `/` escaped). */
export const encodeSegment = (text: string) => encodeComponent(text).replace(/\+/g, '%20');

/** Encodes name/value pairs as a form or query string, in order, repeated names kept. */
export function encodePairs(
  pairs: readonly (readonly [string, string])[],
  everyByte = false,
): string {
  return pairs
    .map(([k, v]) => `${encodeComponent(k, everyByte)}=${encodeComponent(v, everyByte)}`)
    .join('&');
}

/** Percent-escapes that are not valid URL encoding of UTF-8: bad hex, cut or overlong sequences, surrogates. */
export const BAD_ESCAPES = words(
  '%zz % %% %G1 %1 %E0%A4 %C3 %C0%AF %E0%80%AF %ED%A0%80 %FF %FE%FF %F8%88%80%80%80 %80',
);

/** Raw byte sequences that are not UTF-8: invalid bytes, overlong forms, cut sequences, surrogates. */
export const BAD_UTF8 = words('ff feff c0af e080af e0a4 80 eda080 f888808080 f4908080 c3').map(
  (hex) => [...Buffer.from(hex, 'hex')],
);

/** Number-looking text that is not a plain decimal: letters, NaN, infinities, exponents, hex, separators. */
export const NOT_DECIMAL = [
  ...words(
    'abc NaN nan Infinity -Infinity 1e999 -1e999 1e1 0x10 0b1 0o7 1_000 45,5 --45 +-45 . - + 45.1.2',
  ),
  ...words('４５ ٤٥ null true [45] {} 45° 45N \u221245'),
  ...['4 5', ' 45', '45 '],
];

/** Datetime text the server must refuse: no zone, impossible dates, other formats, numbers. */
export const NOT_DATETIME = [
  ...words('foo now yesterday 0 -1 1e999 NaN 1714552200 2026-05-01 2026-05-01T08:30:00'),
  ...words('2026-13-01T00:00:00Z 2026-02-30T00:00:00Z 2026-05-01T24:00:00Z 2026-05-01T08:60:00Z'),
  ...words('2026-05-01T08:30:00+15:00 2026-05-01T08:30:00+02:60 2026-05-01T08:30:00+0200'),
  ...words('0000-01-01T00:00:00Z 26-05-01T08:30:00Z 2026-W18-5T08:30:00Z ２０２６-05-01T08:30:00Z'),
  ...['2026-05-01 08:30:00Z', 'Fri, 01 May 2026 08:30:00 GMT'],
];

export type Format = 'xml' | 'json';

const CONTENT_TYPES: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The format a URL asks for by its extension, as the protocol defines it (JSON when none). */
export function formatOfUrl(url: string): Format {
  const ext = /\.([a-z]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext === 'xml' ? 'xml' : 'json';
}

/** Whether a URL, once normalised, is below the GeoReport base (else it is not a protocol answer). */
export function isGeoReportUrl(url: string): boolean {
  const path = new URL(url).pathname;
  return path === GEOREPORT_BASE || path.startsWith(`${GEOREPORT_BASE}/`);
}

/** Shortens a case description for an assertion message (some URLs are 100 kB long). */
export function brief(text: string, max = 240): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${shown}… (+${text.length - max} chars)` : shown;
}

/**
 * Asserts a GeoReport answer to a generated case: never a 5xx; the expected `status` (any non-5xx when
 * undefined); the content type of `format`; a body that parses (XML strictly); and, whenever the status
 * is 400 or more, an Open311 error list whose every `code` is the status, each item with its `reason` (a
 * known one, answered with that status) and, at most, the `field` at fault. Returns the body in its JSON
 * shape (XML converted by the protocol's rules).
 */
export async function assertAnswer(
  res: Response,
  format: Format,
  status: number | undefined,
  what: string,
): Promise<unknown> {
  const text = await res.text();
  const context = `${what}\n      answered ${res.status} ${brief(text, 300)}`;
  assert.ok(res.status < 500, `never a 5xx: ${context}`);
  if (status !== undefined) assert.equal(res.status, status, `expected ${status}: ${context}`);
  assert.equal(
    res.headers.get('content-type'),
    CONTENT_TYPES[format],
    `content type of ${format}: ${context}`,
  );
  assert.ok(res.headers.has('access-control-allow-origin'), `a CORS header: ${context}`);
  let body: unknown;
  if (format === 'json') {
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`a JSON body: ${context}`);
    }
  } else {
    assert.ok(
      text.startsWith('<?xml version="1.0" encoding="utf-8"?>'),
      `an XML declaration: ${context}`,
    );
    try {
      const { root } = parseXml(text);
      if (res.status >= 400) {
        assert.equal(root.name, 'errors', `root <errors>: ${context}`);
        assert.ok(
          root.children.every((c) => c.name === 'error'),
          `only <error> items: ${context}`,
        );
      }
      body = xmlToJson(root);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.fail(`well-formed XML (${(e as Error).message}): ${context}`);
    }
  }
  if (res.status >= 400)
    assertErrorList(body, format === 'json' ? res.status : String(res.status), context);
  return body;
}

/** An Open311 error list in its JSON shape (XML codes arrive as text). */
function assertErrorList(body: unknown, code: number | string, context: string) {
  assert.ok(Array.isArray(body) && body.length > 0, `a non-empty error list: ${context}`);
  for (const item of body as Record<string, unknown>[]) {
    assert.ok(typeof item === 'object' && item !== null, `object items: ${context}`);
    const keys = Object.keys(item);
    assert.deepEqual(
      keys.slice(0, 3),
      ['code', 'description', 'reason'],
      `{code, description, reason[, field]} items, the core first: ${context}`,
    );
    assert.ok(keys.length === 3 || (keys.length === 4 && keys[3] === 'field'), `nothing but code, description, reason and field: ${context}`);
    const reason = item['reason'] as keyof typeof REASONS;
    assert.ok(Object.hasOwn(REASONS, reason), `a known reason (${String(reason)}): ${context}`);
    assert.equal(String(REASONS[reason]), String(code), `the reason ${reason} is answered with its own status: ${context}`);
    if (keys.length === 4) assert.ok(typeof item['field'] === 'string' && item['field'] !== '', `a field named: ${context}`);
    assert.equal(item['code'], code, `the status as every item's code: ${context}`);
    assert.ok(
      typeof item['description'] === 'string' && item['description'] !== '',
      `a description: ${context}`,
    );
  }
}

/**
 * What a write can change in the store, summed up: rows of every request table and the state of every
 * request. Equal before and after a refused write proves it changed nothing.
 */
export async function storeSnapshot(db: Queryable): Promise<string> {
  const tables = ['requests', 'reporters', 'request_attributes', 'media', 'request_events'];
  const counts = await Promise.all(tables.map((t) => countRows(db, t)));
  const requests = await db.query<Record<string, unknown>>(
    'SELECT id, status, detailed_status, updated_at, status_notes FROM requests ORDER BY id',
  );
  const state = requests
    .map((r) => `${r['id']}${r['status']}${r['detailed_status']}${r['updated_at']}${r['status_notes'] ?? ''}`)
    .join(',');
  return JSON.stringify({
    counts: Object.fromEntries(tables.map((t, i) => [t, counts[i]])),
    state: requests.length > 0 ? state : null,
  });
}

/** The number of rows in `table` (a name of ours, never client input). */
export async function countRows(db: Queryable, table: string): Promise<number> {
  return (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}
