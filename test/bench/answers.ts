/**
 * Single calls of the bench's cases, made as wrk makes them (`Accept-Encoding: gzip`, wrk.ts), to check
 * each case answers before it is timed: its items and matches, its bytes as sent, its time one at a time.
 */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, unzipped when it came gzipped. */
  body: string;
  /** Bytes of the answer as sent (status line, headers, body as it came), as wrk counts them. */
  bytes: number;
  ms: number;
}

export interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function call(url: string, { method = 'GET', headers = {}, body }: Call = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'Accept-Encoding': 'gzip', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n\r\n`.length;
        for (let i = 0; i < res.rawHeaders.length; i += 2) head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text, bytes: head + raw.length, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The answer of a call that must succeed. */
export async function callOk(url: string, init?: Call): Promise<Answer> {
  const a = await call(url, init);
  if (a.status < 200 || a.status > 299) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${a.status}: ${a.body.slice(0, 500)}`);
  return a;
}

export interface Checked {
  /** Fewest and most items among the answers checked. */
  items: [number, number];
  /** Fewest and most matches (X-Result-Count, else the items) among them. */
  matches: [number, number];
  /** Time of each answer, one at a time (the first, which prepares statements, left out). */
  serialMs: number[];
  /** Bytes of an answer as sent, averaged. */
  bytes: number;
}

/** Calls `url` for each path in turn: checks it answers, counts its items and matches, times it. */
export async function checkAnswers(url: string, paths: string[], init?: Call): Promise<Checked> {
  const out: Checked = { items: [Infinity, 0], matches: [Infinity, 0], serialMs: [], bytes: 0 };
  for (const [i, path] of paths.entries()) {
    const a = await callOk(url + path, init);
    if (i > 0) out.serialMs.push(a.ms);
    const parsed = JSON.parse(a.body) as unknown;
    const items = Array.isArray(parsed) ? parsed.length : 1;
    const matches = Number(a.headers['x-result-count'] ?? items);
    out.items = [Math.min(out.items[0], items), Math.max(out.items[1], items)];
    out.matches = [Math.min(out.matches[0], matches), Math.max(out.matches[1], matches)];
    out.bytes += a.bytes / paths.length;
  }
  return out;
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** `n` or `n–m`. */
export const range = ([a, b]: [number, number]) => (a === b ? String(a) : `${a}–${b}`);
