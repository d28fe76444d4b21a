import { Hono } from 'hono';
import { createAssetRoutes } from '../assets/assets.routes.ts';

/** The staff's language: English when their browser prefers it, else French. */
const language = (acceptLanguage: string | undefined) => (/^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'fr');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The origin tiles come from, for the policy (`https://*.tile.example` for `https://{s}.tile.example/…`). */
const tileOrigin = (template: string) => {
  const wildcard = template.includes('{s}.');
  const u = new URL(template.replace('{s}.', '').replace(/\{[a-z]+\}/g, '0'));
  return `${u.protocol}//${wildcard ? '*.' : ''}${u.host}`;
};

/**
 * The back office's page (`/admin`): one element and its script, under a strict policy (scripts and
 * styles from here only, calls to here only, images from here and the public URL where photos are, no
 * framing), never cached; and its bundle (`/admin/admin.js`).
 */
export function createAdminSiteRoutes(options: { publicUrl: string; tileUrl: string; tileAttribution: string }) {
  const app = new Hono();
  const images = `${new URL(options.publicUrl).origin} ${tileOrigin(options.tileUrl)}`;
  const policy = `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' ${images} data:; `
    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  app.get('/', (c) => {
    const lang = language(c.req.header('accept-language'));
    c.header('Content-Security-Policy', policy);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    return c.html(`<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>georeport</title>
    <link rel="icon" href="data:," />
    <script type="module" src="/admin/admin.js"></script>
  </head>
  <body>
    <georeport-admin tile-url="${escapeHtml(options.tileUrl)}" attribution="${escapeHtml(options.tileAttribution)}"></georeport-admin>
  </body>
</html>`);
  });
  app.route('/', createAssetRoutes({
    dir: new URL('../../dist/admin/', import.meta.url),
    files: ['admin.js', 'admin.js.map'],
    cacheControl: 'no-cache',
    missing: 'the back office is not built: run npm run build',
  }));
  return app;
}
