import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Serves a fixed set of files from a folder (the built widget, the demo site) at stable URLs, with an
 * ETag for revalidation. Files are read when first asked for and kept; a name outside the list is a 404,
 * so no path from a client ever reaches the file system.
 */
export function createAssetRoutes(options: { dir: URL; files: string[]; cacheControl: string; cors?: boolean; missing: string }) {
  const cache = new Map<string, Asset | null>();
  const load = (name: string): Asset | null => {
    if (!cache.has(name)) {
      try {
        const body = readFileSync(new URL(name, options.dir));
        cache.set(name, { body, type: TYPES[extname(name)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
      } catch {
        return null; // not built yet: tried again next time
      }
    }
    return cache.get(name) ?? null;
  };
  const app = new Hono();
  for (const name of options.files) {
    app.get(`/${name === 'index.html' ? '' : name}`, (c) => {
      const asset = load(name);
      if (!asset) return c.json({ error: options.missing }, 404);
      const headers: Record<string, string> = { 'Content-Type': asset.type, 'Cache-Control': options.cacheControl, ETag: asset.etag, 'X-Content-Type-Options': 'nosniff' };
      // A cross-origin <script type="module"> needs CORS; the classic script does not mind it.
      if (options.cors) headers['Access-Control-Allow-Origin'] = '*';
      if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
      return c.body(new Uint8Array(asset.body), 200, headers);
    });
  }
  return app;
}
