/**
 * The widget on a phone, as it loads: Chromium at 390 × 844 with touch, in French, on a city page of
 * another origin under a strict Content-Security-Policy, embedding the documented snippet (the classic
 * script, deferred). Bytes are what Chromium received from the georeport server (CDP Network: headers and
 * bodies as sent), before the category step is usable, once the map has been opened, and once every part
 * of the widget has been used. Then the map on touch screens and at 320 px: markers a finger can hit, a
 * key, nothing sideways, axe-core clean; a map that cannot load; and a part that cannot load.
 *
 * Needs `npm run build` and Chromium. GEOREPORT_E2E_SHOTS=/some/dir keeps screenshots (never committed).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page, Route } from 'playwright-core';
import { fr } from '../../widget/i18n/fr.ts';
import { accessible } from '../helpers/back-office.ts';
import { launchChromium, pageErrors } from '../helpers/chromium.ts';
import { describeTransfers as table, received, watchTransfers, type Transfer } from '../helpers/transfers.ts';
import { freePort, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

/** Issue 14's aims: transferred before the first step is usable, and for the whole widget. */
const FIRST_STEP = 35 * 1024;
const WHOLE = 85 * 1024;
/** A finger's target on a map (the floor for markers on touch screens). */
const TOUCH_TARGET = 32;
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'fr-FR' };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'fr-FR' };

let georeport: ServerProcess;
let api: string;
let siteUrl: string;
let browser: Browser;
const cleanups: (() => unknown)[] = [];

after(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

before(async () => {
  const { dir, cleanup } = tempDir('georeport-loading-');
  cleanups.push(cleanup);
  const port = await freePort();
  georeport = await startServer({
    args: ['--seed-demo', '--db', join(dir, 'georeport.db'), '--media-dir', join(dir, 'media'), '--port', String(port), '--public-url', `http://127.0.0.1:${port}/`],
  });
  cleanups.push(() => georeport.kill());
  api = georeport.url;
  const site = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/signaler.html') {
      const origin = api.slice(0, -1);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'self'; script-src 'self' ${origin}; connect-src ${origin}; img-src 'self' ${origin}; style-src 'self'`,
      });
      res.end(`<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Signaler un problème</title>
    <script src="${api}widget/georeport.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Signaler un problème</h1>
      <georeport-widget server="${api}" jurisdiction="ville.example" api-key="demo-public-key" center="47.3935,0.6855" zoom="15"
        tile-url="${siteUrl}tiles/{z}/{x}/{y}.png" attribution="Fond de plan : Ville (essai)"></georeport-widget>
    </main>
  </body>
</html>`);
    } else if (path.startsWith('/tiles/')) res.writeHead(200, { 'Content-Type': 'image/png' }).end(TILE);
    else res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  });
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  const chromium = await launchChromium();
  browser = chromium.browser;
  cleanups.push(chromium.close);
});

async function waitFor(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), `waited for ${what}`);
}

/** The city's page in a fresh context; `tab` opens one of the widget's tabs. */
async function open(options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = pageErrors(page);
  return { page, errors };
}

const showMap = async (page: Page, touch: boolean) => {
  const tab = page.locator('georeport-widget #tab-map');
  await (touch ? tab.tap() : tab.click());
  await page.locator('georeport-map .leaflet-marker-icon').first().waitFor();
};

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

/** The widget's own files among `transfers` (its code, not the server's answers). */
const widgetFiles = (transfers: Transfer[]) => transfers.filter((x) => x.path.startsWith('widget/'));
/** The part a file holds, its content hash left out (`widget/later-steps-Bx3kq_9Z.js` → `later-steps`). */
const part = (x: Transfer) => /^widget\/([a-z-]+?)(?:-[\w-]{8})?\.m?js$/.exec(x.path)?.[1];

test('on a phone, the category step comes within 35 kB transferred, the map opened within 85 kB, and each part of the widget when first needed', { timeout: 60_000 }, async (t) => {
  const { page, errors } = await open(PHONE);
  const transfers = await watchTransfers(page, api);
  await page.goto(`${siteUrl}signaler.html`);
  await page.locator('georeport-form input[name=service]').first().waitFor();
  const firstStep = [...transfers.values()];
  const before = await received(firstStep);
  t.diagnostic(`before the category step is usable: ${before} bytes in ${firstStep.length} requests: ${table(firstStep)}`);
  // The entry, then the core, the page's language and the form's first calls at once.
  assert.deepEqual(widgetFiles(firstStep).map(part), ['georeport', 'core', 'fr'], `only what the first step needs: ${table(firstStep)}`);
  for (const call of ['services.json', 'widget-config.json']) {
    const asked = firstStep.filter((x) => x.path.startsWith(`open311/v2/${call}`));
    // Asked once: the loader's early call's answer is the one the form takes. Whether it leaves before the
    // core has come depends on timing on loopback under load (it failed once in CI), so it is not asserted.
    assert.equal(asked.length, 1, `${call} asked once, by the loader, and its answer taken by the form: ${table(firstStep)}`);
  }
  for (const x of widgetFiles(firstStep)) assert.equal(x.encoding, 'br', `${x.path} comes brotli-compressed`);
  assert.ok(before <= FIRST_STEP, `${before} bytes transferred before the first step; the aim is ${FIRST_STEP}: ${table(firstStep)}`);

  await showMap(page, true);
  await waitFor(() => [...transfers.values()].some((x) => x.path.startsWith('open311/v2/map.json')), 'the map to ask for requests');
  const withMap = [...transfers.values()];
  const mapped = await received(withMap);
  t.diagnostic(`with the map open: ${mapped} bytes in ${withMap.length} requests: ${table(withMap)}`);
  const leaflet = withMap.filter((x) => /^widget\/leaflet-[\w-]{8}\.js$/.test(x.path));
  assert.equal(leaflet.length, 1, `Leaflet once, from the georeport server: ${table(withMap)}`);
  assert.equal(leaflet[0]!.encoding, 'br');
  assert.ok(!withMap.some((x) => part(x) === 'later-steps'), `the form's later steps wait for the resident: ${table(withMap)}`);
  assert.equal(withMap.filter((x) => x.path.startsWith('open311/v2/services.json')).length, 1, 'the map reuses the form’s catalogue');
  assert.ok(mapped <= WHOLE, `${mapped} bytes transferred with the map open; the aim is ${WHOLE}: ${table(withMap)}`);

  // Then the rest of the widget: the form past its first step, and "my reports".
  await page.locator('georeport-widget #tab-report').tap();
  await page.locator('georeport-form #service-lampadaire').tap();
  await page.locator('georeport-form button[type=submit]').tap();
  await page.locator('georeport-form #address').waitFor();
  await page.locator('georeport-widget #tab-mine').tap();
  await page.locator('georeport-my-requests #mine-title').waitFor();
  const all = [...transfers.values()];
  const everything = await received(all);
  const code = await received(widgetFiles(all));
  t.diagnostic(`the whole widget, every part used: ${everything} bytes in ${all.length} requests, ${code} of them its files (${widgetFiles(all).length}): ${table(all)}`);
  const parts = widgetFiles(all).map(part);
  assert.deepEqual([...parts].sort(), [...new Set(parts)].sort(), `each file once: ${table(all)}`);
  assert.ok(!parts.includes('en'), 'the other language’s texts never load');
  for (const x of widgetFiles(all)) assert.equal(x.encoding, 'br', `${x.path} comes brotli-compressed`);
  assert.ok(code <= WHOLE, `${code} bytes transferred for the widget's files; the aim is ${WHOLE}: ${table(widgetFiles(all))}`);
  assert.deepEqual(errors, []);
});

test('on a touch screen, markers and clusters are a finger wide, with a key; at 320 px nothing scrolls sideways; axe-core finds nothing', { timeout: 60_000 }, async () => {
  const { page, errors } = await open(PHONE);
  await page.goto(`${siteUrl}signaler.html`);
  await showMap(page, true);
  const map = page.locator('georeport-map');
  await map.locator('.reports__legend').waitFor();
  const sizes = await map.locator('.leaflet-marker-icon').evaluateAll((icons) => icons.map((i) => {
    const box = i.getBoundingClientRect();
    return { kind: i.className.includes('reports__cluster') ? 'cluster' : 'marker', width: box.width, height: box.height };
  }));
  assert.ok(sizes.some((s) => s.kind === 'marker'), JSON.stringify(sizes));
  for (const s of sizes) assert.ok(s.width >= TOUCH_TARGET && s.height >= TOUCH_TARGET, `a ${s.kind} of ${s.width} × ${s.height} px`);
  const zoom = await map.locator('.leaflet-control-zoom a').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().height));
  assert.deepEqual(zoom, [44, 44], 'the zoom buttons are 44 px tall');
  const key = await map.locator('.reports__legend li').allInnerTexts();
  assert.deepEqual(key.map((k) => k.replace(/^\d+\s*/, '').trim()), [fr.mapKey.open, fr.mapKey.fixed, fr.mapKey.closed, fr.mapKey.cluster]);
  for (const kind of ['open', 'fixed', 'closed']) assert.ok(await map.locator(`.reports__marker--${kind}`).count() > 0, `the demo city has ${kind} requests on its map`);
  await accessible(page, 'the map on a phone');
  await shot(page, 'map-phone-390');

  await page.setViewportSize({ width: 320, height: 640 });
  await map.locator('.reports__legend').waitFor();
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0]! <= widths[1]!, `the page is ${widths[0]} px wide in a ${widths[1]} px viewport`);
  await accessible(page, 'the map at 320 px');
  await shot(page, 'map-phone-320');
  assert.deepEqual(errors, []);
});

test('with a mouse, markers stay smaller, still with the key', { timeout: 60_000 }, async () => {
  const { page, errors } = await open(DESKTOP);
  await page.goto(`${siteUrl}signaler.html`);
  await showMap(page, false);
  const box = await page.locator('georeport-map .reports__marker').first().boundingBox();
  assert.ok(box && box.width >= 24 && box.width < TOUCH_TARGET, `a marker ${box?.width} px wide`);
  await page.locator('georeport-map .reports__legend').waitFor();
  await accessible(page, 'the map on a desktop');
  await shot(page, 'map-desktop-1280');
  assert.deepEqual(errors, []);
});

test('when Leaflet cannot load, each map says so in French, and the address and the list still work', { timeout: 60_000 }, async () => {
  const { page } = await open(PHONE);
  await page.route(/\/widget\/leaflet-[\w-]{8}\.js$/, (route) => route.abort());
  await page.goto(`${siteUrl}signaler.html`);
  await page.locator('georeport-widget #tab-map').tap();
  const canvas = page.locator('georeport-map .reports__canvas');
  await canvas.getByText(fr.mapKey.reportsUnavailable).waitFor();
  await page.locator('georeport-map .reports__views button').filter({ hasText: fr.map.viewList }).tap();
  await page.locator('georeport-map .reports__item').first().waitFor();

  await page.locator('georeport-widget #tab-report').tap();
  await page.locator('georeport-form #service-lampadaire').check();
  await page.locator('georeport-form button[type=submit]').tap();
  await page.locator('georeport-form .map__canvas').getByText(fr.mapKey.formUnavailable).waitFor();
  await page.locator('georeport-form #address').fill('Place Plumereau');
  await page.locator('georeport-form button[type=submit]').tap();
  await page.locator('georeport-form #description').waitFor();
  await accessible(page, 'a map that could not load');
});

/** The phone at 320 px (a 1280 px screen zoomed to 400 %), for the states a part's loading shows. */
const NARROW: BrowserContextOptions = { ...PHONE, viewport: { width: 320, height: 640 } };

for (const [name, options] of [['390', PHONE], ['320', NARROW], ['1280', DESKTOP]] as const) {
  test(`${name} px: a part that cannot load says so in French and loads on "Réessayer"; Next waits for the form’s later steps, and says so if they fail; axe-core finds nothing`, { timeout: 60_000 }, async () => {
    const { page } = await open(options);
    const press = (selector: string) => (options === DESKTOP ? page.locator(selector).click() : page.locator(selector).tap());
    // The map's file and the form's later steps: refused, held back, or let through.
    let mode: 'refuse' | 'hold' | 'pass' = 'refuse';
    const held: Route[] = [];
    await page.route(/\/widget\/(georeport-map|later-steps)-[\w-]{8}\.js$/, (route) => (mode === 'refuse' ? route.abort() : mode === 'hold' ? void held.push(route) : route.continue()));
    const noSideways = async () => {
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(widths[0]! <= widths[1]!, `the page is ${widths[0]} px wide in a ${widths[1]} px viewport`);
    };
    await page.goto(`${siteUrl}signaler.html`);
    await press('georeport-widget #tab-map');
    const status = page.locator('georeport-widget #panel-map .part-status');
    await status.getByText(fr.parts.failed).waitFor();
    await accessible(page, `a part that could not load, ${name} px`);
    await noSideways();
    await shot(page, `part-failed-${name}`);
    mode = 'pass';
    await press('georeport-widget #panel-map .part-status button');
    await page.locator('georeport-map .leaflet-marker-icon').first().waitFor();
    assert.equal(await status.count(), 0, 'the message goes once the map is there');

    mode = 'refuse';
    await press('georeport-widget #tab-report');
    await press('georeport-form #service-lampadaire');
    await press('georeport-form button[type=submit]');
    await page.locator('georeport-form #failure').getByText(fr.parts.failed).waitFor();
    assert.equal(await page.locator('georeport-form #step-title').textContent(), fr.steps.category, 'still on the first step, the category kept');
    await accessible(page, `the form's later steps not loaded, ${name} px`);
    await noSideways();
    await shot(page, `steps-failed-${name}`);

    // Reloaded on the location step (where a resident had got to), the form says it is loading that step until its code comes.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage).filter((k) => k.startsWith('georeport-draft:'))) localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), step: 1 }));
    });
    mode = 'hold';
    await page.reload();
    await page.locator('georeport-form #steps-loading').getByText(fr.parts.loading).waitFor();
    assert.equal(await page.locator('georeport-form #step-title').textContent(), fr.steps.location);
    await accessible(page, `a restored step while its code loads, ${name} px`);
    await noSideways();
    await shot(page, `steps-loading-${name}`);
    mode = 'pass';
    for (const route of held.splice(0)) await route.continue();
    await page.locator('georeport-form #address').waitFor();
    assert.equal(await page.locator('georeport-form #steps-loading').count(), 0);
  });
}
