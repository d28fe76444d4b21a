/**
 * A resident on a phone: Chromium at 390 × 844 with touch, in French, on the demo city's page, files a report
 * with a photo from the first tap to the request's own page; then the same page at 320 px (400 % zoom) must
 * not scroll sideways. Screenshots of every step go to `GEOREPORT_PHONE_SHOTS` when it is set (the README's
 * images: `GEOREPORT_PHONE_SHOTS=docs/screenshots node --import tsx --test test/e2e/phone.test.ts`), else to a
 * temporary folder kept with the test output.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, pageErrors } from '../helpers/chromium.ts';
import { freePort, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';

const PHOTO = fileURLToPath(new URL('../fixtures/photos/gps-tours.jpg', import.meta.url));
/** A 1×1 PNG for every map tile (the tile server is beyond this machine). */
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const SHOTS = process.env.GEOREPORT_PHONE_SHOTS ?? mkdtempSync(join(tmpdir(), 'georeport-phone-shots-'));

let server: ServerProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let cleanup: () => void;

before(async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const port = await freePort();
  server = await startServer({
    args: ['--seed-demo', '--port', String(port), '--public-url', `http://127.0.0.1:${port}/`, '--db', join(tmp.dir, 'georeport.db'), '--media-dir', join(tmp.dir, 'media')],
  });
  ({ browser, close: closeBrowser } = await launchChromium());
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await closeBrowser?.();
  await server?.stop();
  cleanup?.();
});

/** A phone: touch, a narrow screen, French; tiles answered locally; errors of the page collected. */
async function phone(width: number): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 844 }, hasTouch: true, isMobile: true });
  await context.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = pageErrors(page);
  return { context, page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Nothing wider than the screen: the page never scrolls sideways. */
async function fitsWidth(page: Page, label: string) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${label}: the page is ${scroll} px wide on a ${inner} px screen`);
}

test('a resident files a report with a photo on a phone, in French, and ends on the request’s own page', async () => {
  const { context, page, errors } = await phone(390);
  try {
    await page.goto(server.url);
    const next = page.getByRole('button', { name: 'Suivant' });

    await page.getByRole('radio', { name: /Tag ou graffiti/ }).tap();
    await shot(page, 'phone-1-category');
    await next.tap();

    await page.getByLabel('Adresse ou lieu').fill('3 rue Nationale');
    await shot(page, 'phone-2-location');
    await next.tap();
    const different = page.getByRole('button', { name: /différent/ });
    if (await different.isVisible().catch(() => false)) await different.tap();

    await page.getByLabel(/Description/).fill('Un grand tag sur le mur de l’école, côté cour, visible depuis la rue.');
    await shot(page, 'phone-3-details');
    await next.tap();

    await page.locator('georeport-form input[type=file]').first().setInputFiles(PHOTO);
    await page.getByRole('img', { name: /Photo 1/ }).waitFor();
    await shot(page, 'phone-4-photos');
    await next.tap();

    await page.getByRole('radio', { name: /Rester anonyme/ }).tap();
    await shot(page, 'phone-5-contact');
    await next.tap();

    await page.getByRole('heading', { name: 'Vérifier et envoyer' }).waitFor();
    await fitsWidth(page, 'the review');
    await shot(page, 'phone-6-review');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).tap();

    const number = await page.getByText(/Votre numéro de suivi est le \d+/).textContent();
    const id = /(\d+)/.exec(number!)![1]!;
    await shot(page, 'phone-7-sent');

    await page.getByText(/La ville prévoit de s’en occuper d’ici le/).waitFor();
    await page.getByRole('link', { name: 'Voir la page du signalement' }).tap();
    await page.waitForURL(new RegExp(`/requests/${id}$`));
    await page.getByRole('heading', { level: 1 }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /Tag ou graffiti/);
    assert.match(text, /Reçu/, 'its status, in words');
    assert.match(text, /Un grand tag sur le mur de l’école/);
    const photo = page.locator('main img').first();
    assert.match((await photo.getAttribute('src'))!, /\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/, 'the photo is on the page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await fitsWidth(page, 'the request’s page');
    await shot(page, 'phone-8-request-page');
    assert.deepEqual(errors, [], 'no error in the pages');
  } finally {
    await context.close();
  }
});

test('at 320 px (a 1280 px screen zoomed to 400 %) no step scrolls sideways and every answer reads across the screen', async () => {
  const { context, page } = await phone(320);
  try {
    await page.goto(server.url);
    const next = page.getByRole('button', { name: 'Suivant' });
    await fitsWidth(page, 'the category step');
    await page.getByRole('radio', { name: /Corbeille/ }).tap();
    await next.tap();
    await page.getByLabel('Adresse ou lieu').fill('Place de l’Hôtel-de-Ville, devant la fontaine');
    await fitsWidth(page, 'the location step');
    await next.tap();
    const different = page.getByRole('button', { name: /différent/ });
    if (await different.isVisible().catch(() => false)) await different.tap();
    await page.getByLabel(/Description/).fill('La corbeille déborde depuis samedi ; des sacs sont posés à côté.');
    await fitsWidth(page, 'the details step');
    await next.tap();
    await fitsWidth(page, 'the photos step');
    await next.tap();
    await page.getByRole('radio', { name: /Rester anonyme/ }).tap();
    await fitsWidth(page, 'the contact step');
    await next.tap();
    await page.getByRole('heading', { name: 'Vérifier et envoyer' }).waitFor();
    await fitsWidth(page, 'the review');
    const widths = await page.locator('georeport-form .review-value').evaluateAll((values) => values.map((v) => v.getBoundingClientRect().width));
    assert.equal(widths.length, 5);
    for (const width of widths) assert.ok(width >= 200, `an answer ${width} px wide`);
    await shot(page, 'phone-320-review');
  } finally {
    await context.close();
  }
});
