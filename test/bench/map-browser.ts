/**
 * `npm run bench`, phase 3: the public map in Chromium over a store of 100,000 requests
 * (`BENCH_MAP_REQUESTS`). For each view, the time from navigation to the first markers or clusters
 * drawn, and the bytes of the map answers, against the time to show an empty map (a view with no
 * request) in the same run. Tiles are answered by a stand-in (this machine reaches no tile server).
 * Then the widget's own bytes on a phone: each file the georeport server sent before the category step
 * was usable, once the map was opened, and once every part of the widget was used; and the time to the
 * category step on a slow phone network, where each round trip shows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROME, CHROME_ARGS } from '../helpers/chromium.ts';
import { received, watchTransfers, type Transfer } from '../helpers/transfers.ts';
import { CENTER, fillStore } from './fill-store.ts';
import { freePort, startGeoreport, type Server } from './processes.ts';

const RUNS = 7;
/** A transparent 1×1 PNG, every tile. */
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface View {
  name: string;
  lat: number;
  long: number;
  zoom: number;
}

const VIEWS: View[] = [
  { name: 'empty map (a view with no request)', lat: 47.2, long: 0.3, zoom: 15 },
  { name: 'city zoom (13): server clusters', ...CENTER, zoom: 13 },
  { name: 'street zoom (17): markers', ...CENTER, zoom: 17 },
];

export interface MapCase {
  name: string;
  zoom: number;
  /** Navigation to first drawing, each run (the first, cold, left out). */
  firstDrawMs: number[];
  medianMs: number;
  /** Bytes of the map answers of a run (`map.json` bodies as sent: gzipped). */
  bytes: number;
  /** Markers and clusters drawn. */
  drawn: { markers: number; clusters: number };
  ratioToEmpty: number;
}

function ensureChromium() {
  if (existsSync(CHROME)) return;
  process.stdout.write('Chromium is missing: installing it with apt-get…\n');
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium'], { stdio: 'ignore' });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The city's site for the bench, a real server on loopback of its own (another origin than georeport's,
 * as on a city's site): `/map.html?lat&long&zoom` embeds the map, `/widget.html` the whole widget;
 * `/tiles/…` answers every tile.
 */
function startSite(georeport: string): Promise<{ url: string; close(): void }> {
  const site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (url.pathname.startsWith('/tiles/')) return res.writeHead(200, { 'Content-Type': 'image/png' }).end(TILE);
    if (url.pathname === '/widget.html') {
      return res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="fr"><head>
        <meta name="viewport" content="width=device-width, initial-scale=1"><script src="${georeport}/widget/georeport.js" defer></script></head>
        <body><georeport-widget server="${georeport}/" jurisdiction="ville.example" api-key="demo-public-key" center="${CENTER.lat},${CENTER.long}" zoom="13"
          tile-url="/tiles/{z}/{x}/{y}.png"></georeport-widget></body></html>`);
    }
    const [lat, long, zoom] = ['lat', 'long', 'zoom'].map((k) => Number(url.searchParams.get(k)));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><body style="margin:0">
      <georeport-map server="${georeport}/" jurisdiction="ville.example" center="${lat},${long}" zoom="${zoom}"
        tile-url="/tiles/{z}/{x}/{y}.png" style="--georeport-map-height: 760px"></georeport-map>
      <script src="${georeport}/widget/georeport.js"></script></body></html>`);
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    close: () => {
      site.closeAllConnections();
      site.close();
    },
  })));
}

async function measureView(browser: Browser, site: string, view: View) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    let bytes = 0;
    page.on('response', (res) => {
      if (res.url().includes('/map.json')) void res.request().sizes().then((size) => (bytes += size.responseBodySize), () => undefined);
    });
    await page.goto(`${site}/map.html?lat=${view.lat}&long=${view.long}&zoom=${view.zoom}`);
    const handle = await page.waitForFunction(() => {
      const el = document.querySelector('georeport-map') as (HTMLElement & { loading: string; answer: { total: number } | null }) | null;
      const root = el?.shadowRoot;
      if (!el || !root || el.loading !== 'ready' || !el.answer) return false;
      const markers = root.querySelectorAll('.reports__marker').length;
      const clusters = root.querySelectorAll('.reports__cluster').length;
      return markers + clusters > 0 || el.answer.total === 0 ? { at: performance.now(), markers, clusters } : false;
    }, undefined, { polling: 'raf', timeout: 60_000 });
    const drawn = (await handle.jsonValue()) as { at: number; markers: number; clusters: number };
    await page.waitForLoadState('networkidle');
    return { ms: drawn.at, bytes, drawn: { markers: drawn.markers, clusters: drawn.clusters } };
  } finally {
    await page.close();
  }
}

/** What the georeport server sent a phone (390 × 844, touch) for the widget, file by file. */
export interface WidgetBytes {
  /** Until the category step was usable. */
  firstStep: Transfer[];
  /** Everything, once the map tab was opened and drawn. */
  withMap: Transfer[];
  /** Everything, once the form's next step and "my reports" were shown too. */
  all: Transfer[];
  /** From navigation to the category step, on a slow phone network (`SLOW_PHONE`), each cold run, and their median. */
  firstStepMs: number[];
  firstStepMedianMs: number;
}

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'fr-FR' };
/** Lighthouse's mobile throttling as DevTools applies it ("slow 4G"): 562.5 ms a request, 1.44 Mbit/s down. */
const SLOW_PHONE = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 0.9 * 1024 * 1024) / 8, uploadThroughput: (750 * 0.9 * 1024) / 8 };
const FIRST_STEP_RUNS = 5;

/**
 * Opens the widget as a phone would, cache empty, then its map tab, then the form's next step and
 * "my reports"; counts what came from the server. Then times the first step on a slow network.
 */
async function measureWidget(browser: Browser, site: string, georeport: string): Promise<WidgetBytes> {
  const context = await browser.newContext(PHONE);
  let bytes: Omit<WidgetBytes, 'firstStepMs' | 'firstStepMedianMs'>;
  try {
    const page = await context.newPage();
    const transfers = await watchTransfers(page, `${georeport}/`);
    await page.goto(`${site}/widget.html`);
    await page.locator('georeport-form input[name=service]').first().waitFor({ timeout: 30_000 });
    const firstStep = [...transfers.values()];
    await received(firstStep);
    await page.locator('georeport-widget #tab-map').tap();
    await page.locator('georeport-map .leaflet-marker-icon').first().waitFor({ timeout: 30_000 });
    const withMap = [...transfers.values()];
    await received(withMap);
    await page.locator('georeport-widget #tab-report').tap();
    await page.locator('georeport-form input[name=service]').first().tap();
    await page.locator('georeport-form button[type=submit]').tap();
    await page.locator('georeport-form #address').waitFor({ timeout: 30_000 });
    await page.locator('georeport-widget #tab-mine').tap();
    await page.locator('georeport-my-requests #mine-title').waitFor({ timeout: 30_000 });
    const all = [...transfers.values()];
    await received(all);
    bytes = { firstStep, withMap, all };
  } finally {
    await context.close();
  }
  const firstStepMs: number[] = [];
  for (let i = 0; i < FIRST_STEP_RUNS; i++) {
    const cold = await browser.newContext(PHONE);
    try {
      const page = await cold.newPage();
      const cdp = await cold.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_PHONE);
      await page.goto(`${site}/widget.html`);
      await page.locator('georeport-form input[name=service]').first().waitFor({ timeout: 60_000 });
      firstStepMs.push(await page.evaluate(() => performance.now()));
    } finally {
      await cold.close();
    }
  }
  return { ...bytes, firstStepMs, firstStepMedianMs: median(firstStepMs) };
}

/** Phase 3, as `run.ts` calls it: fills its own store, serves it, measures every view. */
export async function mapPhase(work: string, count: number, servers: Server[]) {
  ensureChromium();
  process.stdout.write(`\nPhase 3: the public map in Chromium, over a store of ${count} requests (denser in the centre)… `);
  const store = await fillStore(join(work, 'map.db'), count, Date.now(), { spread: 'city', writer: 'batch' });
  process.stdout.write(`${store.requests} published requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);
  const server = await startGeoreport(store.file, await freePort());
  servers.push(server);
  const site = await startSite(server.url);
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS });
  const cases: MapCase[] = [];
  let widget: WidgetBytes;
  try {
    process.stdout.write('  the widget on a phone… ');
    widget = await measureWidget(browser, site.url, server.url);
    process.stdout.write(`${widget.firstStep.length} files before the first step, ${widget.withMap.length} with the map, ${widget.all.length} in all\n`);
    for (const view of VIEWS) {
      process.stdout.write(`  ${view.name}… `);
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measureView(browser, site.url, view));
      const warm = runs.slice(1);
      const ms = warm.map((r) => r.ms);
      cases.push({ name: view.name, zoom: view.zoom, firstDrawMs: ms, medianMs: median(ms), bytes: median(warm.map((r) => r.bytes)), drawn: warm.at(-1)!.drawn, ratioToEmpty: 0 });
      process.stdout.write(`${median(ms).toFixed(0)} ms\n`);
    }
  } finally {
    await browser.close();
    site.close();
  }
  const empty = cases[0]!.medianMs;
  for (const c of cases) c.ratioToEmpty = c.medianMs / empty;
  return { store: { requests: store.requests, spread: 'city' }, runsPerView: RUNS - 1, cases, widget };
}
