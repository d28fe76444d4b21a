/**
 * The widget on a city's site, end to end, in Chromium: the real georeport server on one loopback
 * origin, a city page on another origin that embeds the documented snippet under a strict
 * Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') and hostile site CSS. A resident
 * files a report with the keyboard only (photo included); the report, its attributes and its
 * metadata-free photo are then checked on the server. Also: the script loaded twice with two widgets,
 * and the ES module build loaded cross-origin.
 *
 * Needs `npm run build` (dist/widget/) and Chromium at CHROME_PATH or /usr/bin/chromium.
 * GEOREPORT_E2E_SHOTS=/some/dir writes screenshots of each step there (for looking, never committed).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { freePort, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const PHOTO = new URL('../fixtures/photos/gps-tours.jpg', import.meta.url);
/** Where gps-tours.jpg says it was taken (its EXIF GPS block). */
const PHOTO_PLACE = { lat: 47.3941, long: 0.6848 };
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
const HOTPINK = 'rgb(255, 105, 180)';

/** The hostile theme of the city's site: it must not reach the widget, and the widget's must not reach it. */
const SITE_CSS = `
button, input, label { font-size: 30px !important; text-transform: uppercase; background: hotpink; }
body { font-family: serif; margin: 1em; }
`;

let georeport: ServerProcess;
let api: string; // http://127.0.0.1:A/
let site: http.Server;
let siteUrl: string; // http://127.0.0.1:B/
let browser: Browser;
let dbFile: string;

/** The strict policy a careful city site sends, allowing only the georeport server beyond itself. */
const csp = () => {
  const origin = api.slice(0, -1);
  return `default-src 'self'; script-src 'self' ${origin}; connect-src ${origin}; img-src 'self' ${origin}; style-src 'self'`;
};

const page = (title: string, head: string, body: string) => `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="stylesheet" href="/site.css" />
    ${head}
  </head>
  <body>
    <header>
      <a href="#contenu">Aller au contenu</a>
      <button type="button" id="site-button">Rechercher sur le site</button>
    </header>
    <main id="contenu">
      <h1>${title}</h1>
      ${body}
    </main>
    <footer><button type="button" id="site-footer-button">Haut de page</button></footer>
  </body>
</html>`;

/** The city's pages, built once the georeport server's address is known. */
function sitePages(): Record<string, string> {
  const widget = (extra = '') =>
    `<georeport-widget server="${api}" jurisdiction="ville.example" api-key="demo-public-key"${extra}></georeport-widget>`;
  const iife = `<script src="${api}widget/georeport.js" defer></script>`;
  return {
    // The map's tiles come from an origin the policy allows (here the site itself): the default
    // OpenStreetMap tiles would need their own img-src entry, and must not be fetched in a test anyway.
    '/city.html': page(
      'Signaler un problème',
      iife,
      widget(
        ` tile-url="${siteUrl}tiles/{z}/{x}/{y}.png" attribution="Fond de plan : Ville (essai)" center="47.3941,0.6848"`,
      ),
    ),
    '/twice.html': page(
      'Deux widgets',
      `${iife}\n    ${iife}`,
      `${widget(' id="first"')}\n      <h2>Éclairage seulement</h2>\n      ${widget(' id="second" services="lampadaire,nid-de-poule" accent="#7a1f5c"')}`,
    ),
    '/module.html': page(
      'Module',
      `<script type="module" src="${api}widget/georeport.mjs"></script>`,
      widget(),
    ),
  };
}

/** Undone in reverse order after the tests, however they ended. */
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const undo of cleanups.reverse()) {
    try {
      await undo();
    } catch (e) {
      process.stderr.write(`cleanup failed: ${String(e)}\n`);
    }
  }
});

before(async () => {
  const { dir, cleanup } = tempDir('georeport-csp-');
  cleanups.push(cleanup);
  dbFile = join(dir, 'georeport.db');
  mkdirSync(join(dir, 'media'));
  const port = await freePort();
  georeport = await startServer({
    args: [
      '--seed-demo',
      '--db',
      dbFile,
      '--media-dir',
      join(dir, 'media'),
      '--port',
      String(port),
      '--public-url',
      `http://127.0.0.1:${port}/`,
    ],
    env: { GEOREPORT_RATE_LIMIT_IP: '1000000', GEOREPORT_RATE_LIMIT_KEY: '1000000' },
  });
  cleanups.push(() => georeport.kill());
  api = `http://127.0.0.1:${georeport.port}/`;
  assert.equal(api, georeport.url);

  const tile = await sharp({
    create: { width: 256, height: 256, channels: 3, background: { r: 230, g: 236, b: 222 } },
  })
    .png()
    .toBuffer();
  site = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const html = sitePages()[path];
    if (html !== undefined) {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': csp(),
      });
      res.end(html);
    } else if (/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(tile);
    } else if (path === '/site.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      res.end(SITE_CSS);
    } else {
      res.writeHead(path === '/favicon.ico' ? 204 : 404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  });
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  assert.notEqual(new URL(siteUrl).origin, new URL(api).origin);

  const chromium = await launchChromium();
  browser = chromium.browser;
  cleanups.push(chromium.close);
});

interface Watch {
  violations: { directive: string; blocked: string; source: string }[];
  cspConsole: string[];
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/** A fresh page that records CSP violations (events and console reports), errors and failed requests. */
async function openPage(path: string): Promise<{ page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  const p = await context.newPage();
  p.setDefaultTimeout(10_000);
  const watch: Watch = {
    violations: [],
    cspConsole: [],
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
  };
  await p.exposeFunction(
    '__reportCspViolation',
    (v: Watch['violations'][number]) => void watch.violations.push(v),
  );
  await p.addInitScript(() => {
    // Capture phase on window: sees violations from the document and from inside shadow roots (composed).
    window.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = (window as unknown as { __reportCspViolation: (v: unknown) => void })
          .__reportCspViolation;
        void report({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          source: `${e.sourceFile}:${e.lineNumber}`,
        });
      },
      true,
    );
  });
  p.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) watch.cspConsole.push(m.text());
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  p.on('pageerror', (e) => watch.pageErrors.push(String(e.stack ?? e)));
  p.on('requestfailed', (r) => watch.failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
  await p.goto(new URL(path, siteUrl).href);
  return { page: p, watch };
}

/** Nothing went wrong on the page: no CSP violation of any kind, no script error, no failed load. */
function assertClean(watch: Watch) {
  assert.deepEqual(watch.violations, [], 'securitypolicyviolation events');
  assert.deepEqual(watch.cspConsole, [], 'Content Security Policy console reports');
  assert.deepEqual(watch.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(watch.consoleErrors, [], 'console errors');
  assert.deepEqual(watch.failedRequests, [], 'failed requests');
}

async function shot(p: Page, name: string) {
  if (SHOTS) await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

interface Focus {
  tag: string;
  id: string;
  type: string;
  name: string;
  value: string;
  checked: boolean;
  text: string;
  /** The custom element whose shadow root holds the focus ('' in the document itself). */
  host: string;
}

/** The element with the keyboard focus, looking through open shadow roots. */
const focus = (p: Page): Promise<Focus> =>
  p.evaluate(() => {
    let el: Element | null = document.activeElement;
    let host = '';
    while (el?.shadowRoot?.activeElement) {
      host = el.localName;
      el = el.shadowRoot.activeElement;
    }
    const i = el as HTMLInputElement | null;
    return {
      tag: el?.localName ?? '',
      id: el?.id ?? '',
      type: typeof i?.type === 'string' ? i.type : '',
      name: typeof i?.name === 'string' ? i.name : '',
      value: typeof i?.value === 'string' ? i.value : '',
      checked: i?.checked === true,
      text: (el?.textContent ?? '').trim(),
      host,
    };
  });

/** Presses Tab until the focused element matches; fails if it is never reached. */
async function tabTo(
  p: Page,
  what: string,
  match: (f: Focus) => boolean,
  max = 30,
): Promise<Focus> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const f = await focus(p);
    if (match(f)) return f;
    seen.push(
      `${f.host ? `${f.host}>` : ''}${f.tag}${f.id ? `#${f.id}` : ''}${f.tag === 'button' ? `(${f.text})` : ''}`,
    );
  }
  throw new Error(`Tab never reached ${what}; focus went through: ${seen.join(', ')}`);
}

const isButton = (text: string) => (f: Focus) => f.tag === 'button' && f.text === text;

/** The text of the report form (inside the widget's shadow roots). */
const formText = (p: Page) =>
  p.locator('georeport-form form, georeport-form section').first().innerText();

test(
  'a resident files a report with the keyboard alone on a strict-CSP city site; the photo arrives without its metadata',
  { timeout: 60_000 },
  async (t) => {
    const started = Date.now();
    const { page: p, watch } = await openPage('city.html');
    await p.locator('georeport-form #service-lampadaire').waitFor();
    await shot(p, '0-category');

    // The site's theme stays out of the widget, and the widget's stays out of the site.
    // (No named functions inside evaluated code: tsx would wrap them in a `__name` helper the page lacks.)
    const looks = await p.evaluate(() => {
      const form = document
        .querySelector('georeport-widget')!
        .shadowRoot!.querySelector('georeport-form')!.shadowRoot!;
      const [widgetButton, widgetInput, widgetLabel, siteButton] = [
        form.querySelector('button[type=submit]')!,
        form.querySelector('#search')!,
        form.querySelector('label[for=search]')!,
        document.querySelector('#site-button')!,
      ].map((el) => {
        const s = getComputedStyle(el);
        return {
          fontSize: s.fontSize,
          textTransform: s.textTransform,
          background: s.backgroundColor,
        };
      });
      return {
        widgetButton: widgetButton!,
        widgetInput: widgetInput!,
        widgetLabel: widgetLabel!,
        siteButton: siteButton!,
        adoptedSheets: form.adoptedStyleSheets.length,
        styleElements:
          document.querySelectorAll('style').length + form.querySelectorAll('style').length,
      };
    });
    for (const [name, s] of Object.entries({
      button: looks.widgetButton,
      input: looks.widgetInput,
      label: looks.widgetLabel,
    })) {
      assert.notEqual(s.fontSize, '30px', `the widget's ${name} takes the site's font-size`);
      assert.equal(s.textTransform, 'none', `the widget's ${name} takes the site's text-transform`);
      assert.notEqual(s.background, HOTPINK, `the widget's ${name} takes the site's background`);
    }
    assert.equal(
      looks.widgetButton.background,
      'rgb(11, 92, 173)',
      'the widget button keeps its own accent',
    );
    assert.deepEqual(
      looks.siteButton,
      { fontSize: '30px', textTransform: 'uppercase', background: HOTPINK },
      "the site's own button is untouched",
    );
    assert.ok(looks.adoptedSheets > 0, 'the widget styles itself through adopted stylesheets');
    assert.equal(looks.styleElements, 0, 'no <style> element (a strict style-src blocks them)');

    // Step 1, category: from the top of the page, Tab into the widget's search field, search, Tab to the choice.
    await tabTo(p, 'the category search', (f) => f.id === 'search' && f.host === 'georeport-form');
    await p.keyboard.type('lampadaire');
    let f = await tabTo(p, 'the lampadaire choice', (x) => x.type === 'radio', 1);
    assert.equal(f.value, 'lampadaire', 'the search leaves the streetlight category first');
    await p.keyboard.press('Space');
    assert.equal((await focus(p)).checked, true);
    await tabTo(p, 'Suivant', isButton('Suivant'));
    await p.keyboard.press('Enter');

    // Step 2, location: the focus moves to the step's title; the address field follows.
    await p.locator('georeport-form #address').waitFor();
    assert.equal((await focus(p)).id, 'step-title', 'a new step takes the focus to its title');
    await tabTo(p, 'the address field', (x) => x.id === 'address');
    await p.keyboard.type('12 rue Nationale, Tours');
    // The map works under the policy too: Leaflet's positioning, and tiles from an allowed origin.
    await p.locator('georeport-form img.leaflet-tile-loaded').first().waitFor();
    const tiles = await p
      .locator('georeport-form img.leaflet-tile')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    assert.ok(
      tiles.length > 0 && tiles.every((src) => src.startsWith(`${siteUrl}tiles/`)),
      tiles.join(),
    );
    await shot(p, '1-location');
    await tabTo(p, 'Suivant', isButton('Suivant'));
    await p.keyboard.press('Enter');

    // Step 3, details: a description, the required number and the required single choice (by arrow key).
    await p.locator('georeport-form #attr-nombre').waitFor();
    await tabTo(p, 'the description', (x) => x.id === 'description');
    await p.keyboard.type('Le lampadaire devant la pharmacie clignote la nuit.');
    await tabTo(p, 'the number of streetlights', (x) => x.id === 'attr-nombre');
    await p.keyboard.type('2');
    f = await tabTo(p, 'the kind of fault', (x) => x.type === 'radio' && x.name === 'attr-panne');
    assert.equal(f.value, 'eteint');
    await p.keyboard.press('ArrowDown');
    f = await focus(p);
    assert.deepEqual(
      [f.value, f.checked],
      ['clignote', true],
      'an arrow key chooses the next answer',
    );
    await shot(p, '2-details');
    await tabTo(p, 'Suivant', isButton('Suivant'));
    await p.keyboard.press('Enter');

    // Step 4, photos: the file input opens the file chooser from the keyboard.
    await p.locator('georeport-form #photos').waitFor();
    await tabTo(p, 'the photo picker', (x) => x.id === 'photos' && x.type === 'file');
    const [chooser] = await Promise.all([p.waitForEvent('filechooser'), p.keyboard.press('Space')]);
    assert.equal(chooser.isMultiple(), true);
    await chooser.setFiles(PHOTO.pathname);
    await p.locator('georeport-form canvas[role=img]').waitFor();
    assert.equal(
      await p.locator('georeport-form .error').count(),
      0,
      'a good photo raises no error',
    );
    await shot(p, '3-photos');
    await tabTo(p, 'Suivant', isButton('Suivant'));
    await p.keyboard.press('Enter');

    // Step 5, contact: anonymous is chosen already; the resident leaves it so.
    await p.locator('georeport-form input[name=mode]').first().waitFor();
    f = await tabTo(p, 'the contact choice', (x) => x.type === 'radio' && x.name === 'mode');
    assert.deepEqual([f.value, f.checked], ['anonymous', true]);
    await tabTo(p, 'Suivant', isButton('Suivant'));
    await p.keyboard.press('Enter');

    // Step 6, review, then send.
    await p.locator('georeport-form .review').waitFor();
    const review = await formText(p);
    for (const part of [
      'Lampadaire en panne',
      '12 rue Nationale, Tours',
      '47.39410, 0.68480',
      'clignote la nuit',
      'Clignote',
      'Anonyme',
    ])
      assert.ok(review.includes(part), `the review shows ${part}:\n${review}`);
    await shot(p, '4-review');
    await tabTo(p, 'Envoyer le signalement', isButton('Envoyer le signalement'));
    await p.keyboard.press('Enter');

    // The tracking number, with the focus on the confirmation.
    const id = (await p.locator('georeport-form .tracking strong').innerText()).trim();
    assert.match(id, /^[1-9]\d*$/);
    assert.equal((await focus(p)).id, 'result-title');
    assert.ok((await formText(p)).includes(`Votre numéro de suivi est le ${id}.`));
    await shot(p, '5-sent');

    // The server has the report as the resident entered it, placed where the photo was taken.
    const res = await fetch(
      `${api}open311/v2/requests/${id}.json?jurisdiction_id=ville.example&extensions=true`,
    );
    assert.equal(res.status, 200);
    const [request] = (await res.json()) as Record<string, unknown>[];
    assert.ok(request, `request ${id} is published`);
    assert.equal(request.service_code, 'lampadaire');
    assert.equal(request.description, 'Le lampadaire devant la pharmacie clignote la nuit.');
    assert.equal(request.address, '12 rue Nationale, Tours');
    assert.ok(
      Math.abs(Number(request.lat) - PHOTO_PLACE.lat) < 1e-4 &&
        Math.abs(Number(request.long) - PHOTO_PLACE.long) < 1e-4,
      `the photo's GPS position becomes the report's (got ${request.lat}, ${request.long})`,
    );
    const extended = request.extended_attributes as { media_urls: string[] };
    assert.equal(extended.media_urls.length, 1);
    assert.equal(request.media_url, extended.media_urls[0]);

    // The attributes were stored as chosen (they are not public in GeoReport answers).
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare(
          'SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position',
        )
        .all(Number(id));
      assert.deepEqual(rows, [
        { code: 'nombre', value: '2' },
        { code: 'panne', value: 'clignote' },
      ]);
    } finally {
      db.close();
    }

    // The photo served back is an image with none of the original's metadata.
    const original = readFileSync(PHOTO);
    assert.ok(
      original.includes('Fairphone') && original.includes('Exif'),
      'the fixture carries EXIF (camera make)',
    );
    assert.ok(String(request.media_url).startsWith(`${api}media/`), String(request.media_url));
    const photo = await fetch(String(request.media_url));
    assert.equal(photo.status, 200);
    assert.match(photo.headers.get('content-type') ?? '', /^image\/(jpeg|webp)$/);
    const bytes = Buffer.from(await photo.arrayBuffer());
    const served = await sharp(bytes).metadata();
    assert.deepEqual(
      [served.width, served.height],
      [64, 48],
      'the photo itself, decodable, at its size',
    );
    assert.deepEqual(
      [served.exif, served.xmp, served.iptc],
      [undefined, undefined, undefined],
      'no metadata block at all',
    );
    for (const marker of ['Fairphone', 'Exif', 'GPS'])
      assert.ok(!bytes.includes(marker), `the served photo still holds "${marker}"`);

    assertClean(watch);

    // The watch is not blind: a <style> element on this page is refused and seen.
    await p.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { color: red }';
      document.head.append(style);
    });
    const deadline = Date.now() + 3_000;
    while (
      (watch.violations.length === 0 || watch.cspConsole.length === 0) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(
      watch.violations[0]?.directive,
      'style-src-elem',
      'the strict policy is enforced and violations are caught',
    );
    assert.equal(watch.cspConsole.length, 1, "Chromium's console report is caught too");
    await p.context().close();
    t.diagnostic(`keyboard report flow and checks took ${Date.now() - started} ms`);
  },
);

test('the script loaded twice and two widgets on one page: no error, each shows its own categories and colour', async () => {
  const { page: p, watch } = await openPage('twice.html');
  const first = p.locator('#first georeport-form input[name=service]');
  const second = p.locator('#second georeport-form input[name=service]');
  await first.nth(2).waitFor();
  await second.first().waitFor();
  assert.ok((await first.count()) > 10, 'the first widget offers the whole catalogue');
  assert.deepEqual(
    await second.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).sort()),
    ['lampadaire', 'nid-de-poule'],
  );
  // The colour attribute works where the policy drops style attributes (style-src 'self').
  const accent = (id: string) => p.locator(`#${id} georeport-form button[type=submit]`).first().evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.deepEqual([await accent('first'), await accent('second')], ['rgb(11, 92, 173)', 'rgb(122, 31, 92)']);
  await shot(p, '6-twice');
  assertClean(watch);
  await p.context().close();
});

test('the ES module build loads cross-origin with <script type="module"> under the strict policy', async () => {
  const { page: p, watch } = await openPage('module.html');
  await p.locator('georeport-form #service-lampadaire').waitFor();
  assert.ok((await p.locator('georeport-form input[name=service]').count()) > 10);
  assertClean(watch);
  await p.context().close();
});
