import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono, type Context } from 'hono';
import { chooseCoding, CODINGS, matchesEtag, type Coding } from './encoding.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** Where the build writes each coding of a file: beside it. */
const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz' };
/** For files whose name changes with their content: a year, never revalidated. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** One way of sending a file: its bytes and their own ETag (a cache may hold each coding apart). */
interface Variant {
  body: Buffer;
  etag: string;
}

interface Asset {
  type: string;
  identity: Variant;
  coded: Partial<Record<Coding, Variant>>;
}

/** Reads a file and the compressed copies the build wrote beside it; null when the file is not there. */
function readAsset(dir: URL, name: string): Asset | null {
  const read = (file: string) => {
    try {
      return readFileSync(new URL(file, dir));
    } catch {
      return null;
    }
  };
  const body = read(name);
  if (!body) return null;
  const tag = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  const coded: Asset['coded'] = {};
  for (const coding of CODINGS) {
    const packed = read(name + SUFFIX[coding]);
    if (packed) coded[coding] = { body: packed, etag: `"${tag}-${coding}"` };
  }
  return { type: TYPES[extname(name)] ?? 'application/octet-stream', identity: { body, etag: `"${tag}"` }, coded };
}

/**
 * Serves a fixed set of files from a folder (the built widget, the demo site) at stable URLs, with an
 * ETag for revalidation; and, with `hashed`, the folder's content-hashed files (a new build, a new name)
 * cached as immutable. A file goes brotli- or gzip-compressed, from the copies the build wrote beside
 * it, to clients that accept it (each coding its own ETag; `Vary: Accept-Encoding`). Files are read
 * when first asked for and kept; a name outside the list, or not in the folder's own listing, is a 404,
 * so no path from a client ever reaches the file system.
 */
export function createAssetRoutes(options: {
  dir: URL;
  files: string[];
  cacheControl: string;
  /** Names of content-hashed files: any file of the folder so named is served, with `IMMUTABLE`. */
  hashed?: RegExp;
  cors?: boolean;
  missing: string;
}) {
  const cache = new Map<string, Asset>();
  const load = (name: string): Asset | null => {
    const found = cache.get(name) ?? readAsset(options.dir, name);
    if (found) cache.set(name, found); // not built yet: tried again next time
    return found;
  };
  const listed = (name: string) => {
    try {
      return readdirSync(options.dir).includes(name);
    } catch {
      return false;
    }
  };

  const serve = (c: Context, asset: Asset, cacheControl: string) => {
    const coding = chooseCoding(c.req.header('accept-encoding'), Object.keys(asset.coded) as Coding[]);
    const variant = coding ? asset.coded[coding]! : asset.identity;
    const headers: Record<string, string> = {
      'Content-Type': asset.type, 'Cache-Control': cacheControl, ETag: variant.etag, Vary: 'Accept-Encoding', 'X-Content-Type-Options': 'nosniff',
    };
    // A cross-origin <script type="module"> (and the Leaflet chunk, a module either format imports) needs CORS.
    if (options.cors) headers['Access-Control-Allow-Origin'] = '*';
    if (matchesEtag(c.req.header('if-none-match'), variant.etag)) return c.body(null, 304, headers);
    if (coding) headers['Content-Encoding'] = coding;
    headers['Content-Length'] = String(variant.body.length);
    return c.body(new Uint8Array(variant.body), 200, headers);
  };

  const app = new Hono();
  for (const name of options.files) {
    app.get(`/${name === 'index.html' ? '' : name}`, (c) => {
      const asset = load(name);
      return asset ? serve(c, asset, options.cacheControl) : c.json({ error: options.missing }, 404);
    });
  }
  const hashed = options.hashed;
  if (hashed) {
    app.get('/:name', (c) => {
      const name = c.req.param('name');
      const asset = hashed.test(name) && (cache.has(name) || listed(name)) ? load(name) : null;
      return asset ? serve(c, asset, IMMUTABLE) : c.notFound();
    });
  }
  return app;
}
