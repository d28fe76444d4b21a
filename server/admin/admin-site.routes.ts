import { Hono } from 'hono';
import { createAssetRoutes } from '../assets/assets.routes.ts';

/** The staff's language: English when their browser prefers it, else French. */
const language = (acceptLanguage: string | undefined) => (/^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'fr');

/**
 * The back office's page (`/admin`): one element and its script, under a strict policy (scripts and
 * styles from here only, calls to here only, images from here and the public URL where photos are, no
 * framing), never cached; and its bundle (`/admin/admin.js`).
 */
export function createAdminSiteRoutes(options: { publicUrl: string }) {
  const app = new Hono();
  const images = new URL(options.publicUrl).origin;
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
    <georeport-admin></georeport-admin>
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
