/**
 * The back office in Chromium for end-to-end tests: a real server with the demo city and a first
 * administrator (made with the CLI), a browser, fresh pages in French (tiles answered locally), and the
 * steps staff take: log in, open a section, check a page with axe-core.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, pageErrors } from './chromium.ts';
import { runCli, startServer, tempDir, type ServerProcess } from './server-process.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** A 1×1 PNG: every map tile (the tile server is beyond this machine). */
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export interface Staff { email: string; password: string; name: string }

export interface BackOffice {
  server: ServerProcess;
  env: Record<string, string>;
  browser: Browser;
  /** A page of the back office in a fresh browser (its own cookies), in French, and the errors it logs. */
  office(): Promise<{ page: Page; errors: string[] }>;
  /** The public GeoReport API. */
  publicApi(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** `more`: more of the server's settings (a geocoder, say), as environment variables. */
export async function startBackOffice(prefix: string, administrator: Staff, more: Record<string, string> = {}): Promise<BackOffice> {
  const undo: (() => unknown)[] = [];
  const close = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const tmp = tempDir(prefix);
    undo.push(tmp.cleanup);
    const env = { GEOREPORT_DB: join(tmp.dir, 'georeport.db'), GEOREPORT_MEDIA_DIR: join(tmp.dir, 'media'), GEOREPORT_RATE_LIMIT_IP: '1000000', GEOREPORT_RATE_LIMIT_KEY: '1000000', ...more };
    const server = await startServer({ args: ['--seed-demo'], env });
    undo.push(() => server.kill());
    const created = await runCli(['staff', 'create', '--email', administrator.email, '--name', administrator.name, '--jurisdiction', 'ville.example'],
      { ...env, GEOREPORT_STAFF_PASSWORD: administrator.password });
    assert.equal(created.code, 0, created.stderr);
    const chromium = await launchChromium();
    undo.push(chromium.close);
    const browser = chromium.browser;
    return {
      server, env, browser, close,
      publicApi: (path, init) => fetch(`${server.url}open311/v2/${path}`, init),
      async office() {
        const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } });
        undo.push(() => context.close());
        await context.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        const errors = pageErrors(page);
        await page.goto(`${server.url}admin`);
        return { page, errors };
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function login(page: Page, who: { email: string; password: string }) {
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('navigation', { name: 'Rubriques' }).waitFor();
}

/** Waits for the page's heading, and for the focus to be on it (inside the pages' shadow roots). */
export async function focused(page: Page, heading: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.tagName === 'H1';
  });
}

/** Goes to a section by its link, as staff do, and waits for its heading to take the focus. */
export async function open(page: Page, link: string, heading: string | RegExp) {
  await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: link, exact: true }).click();
  await focused(page, heading);
}

/** axe-core on the whole page (shadow roots included): no violation, or the list of them. */
export async function accessible(page: Page, state: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    return (await axe.run(document)).violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  assert.deepEqual(violations, [], `${state}: axe violations`);
}

/** The status line of the page shown (what the last action did). */
export const said = (page: Page) => page.locator('[role="status"].notice, [role="status"].error');
