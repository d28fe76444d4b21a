/**
 * A manager reads the statistics in Chromium against the real server (the demo city, its strict policy):
 * key figures, the weekly chart and its table, the share on time and the time to close by category and
 * department, the streets most reported named in words, statuses and channels; the period kept in the
 * page's address (quick periods, the form, a reload, the back button) and in the CSV; axe-core clean on
 * each state; nothing sideways on a phone; English for staff whose page is in English. Screenshots (1280 ×
 * 800, 390 px with touch, 320 px, French) go to `GEOREPORT_E2E_SHOTS` when it is set.
 *
 * Needs `npm run build` (dist/admin/) and Chromium at CHROME_PATH or /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { accessible, focused, open, startBackOffice, type BackOffice } from '../helpers/back-office.ts';
import { pageErrors } from '../helpers/chromium.ts';

const ADMIN = { email: 'directrice@ville.example', password: 'un mot de passe assez long', name: 'Inès Garnier' };
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
const PERIOD_IN_HASH = /#\/stats\/(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})$/;

let bo: BackOffice;
before(async () => {
  bo = await startBackOffice('georeport-stats-', ADMIN);
  // Two departments with some of the demo city's requests, as routing would have given them.
  const api = `${bo.server.url}admin/api/`;
  const session = await fetch(`${api}session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: bo.server.url.replace(/\/$/, '') }, body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }) });
  const { csrf_token: csrf } = (await session.json()) as { csrf_token: string };
  const headers = { 'Content-Type': 'application/json', Cookie: session.headers.get('set-cookie')!.split(';')[0]!, 'X-CSRF-Token': csrf, Origin: bo.server.url.replace(/\/$/, '') };
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${api}j/ville.example/${path}`, { method, headers, body: JSON.stringify(body) });
    if (!res.ok) assert.fail(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const departments = (await call('PUT', 'departments', { departments: [{ name: 'Voirie' }, { name: 'Propreté urbaine' }] })).departments as { id: string; name: string }[];
  const list = (await (await fetch(`${api}j/ville.example/requests?per_page=100`, { headers })).json()) as { requests: { service_request_id: string; service_code: string }[] };
  for (const r of list.requests) {
    const name = ['nid-de-poule', 'trottoir-degrade', 'signalisation', 'lampadaire'].includes(r.service_code) ? 'Voirie' : ['depot-sauvage', 'tag-graffiti', 'corbeille-pleine'].includes(r.service_code) ? 'Propreté urbaine' : null;
    if (name) await call('POST', `requests/${r.service_request_id}/assign`, { department_id: departments.find((d) => d.name === name)!.id });
  }
});
after(() => bo.close());

/** A fresh, logged-in back office in French (or as `options` say), on the statistics. */
async function statistics(options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await bo.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 }, ...options });
  await context.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  // Before logging in, the page asks who is logged in and is told 401: that is how it knows to ask.
  const errors = pageErrors(page, /status of 401/);
  await page.goto(`${bo.server.url}admin`);
  await page.locator('#email').fill(ADMIN.email);
  await page.locator('#password').fill(ADMIN.password);
  await page.locator('button[type=submit]').click();
  await page.getByRole('navigation').first().waitFor();
  return { page, errors };
}

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The figures the page shows, read from the API it uses (same session, same period). */
const figures = (page: Page, query = '') => page.evaluate(async (q) => (await fetch(`/admin/api/j/ville.example/stats${q}`)).json(), query);

/** The page's statistics element, for what is inside its shadow root. */
const stats = (page: Page) => page.locator('georeport-admin-stats');

describe('the statistics a manager reads at a glance', () => {
  test('key figures, charts drawn beside their tables, streets in words, axe clean', async () => {
    const { page, errors } = await statistics();
    await open(page, 'Statistiques', 'Statistiques');
    await page.getByRole('heading', { level: 2, name: 'Déposés et clos par semaine' }).waitFor();
    const s = await figures(page);
    const total = await page.getByRole('term').filter({ hasText: 'Signalements déposés' }).locator('xpath=following-sibling::dd[1]').innerText();
    assert.equal(total.replace(/\s/g, ''), String(s.total), 'the number filed, as the API counts it');
    assert.match(await page.getByRole('term').filter({ hasText: 'Clos dans les délais' }).locator('xpath=..').innerText(), /\d+\s%[\s\S]*sur \d+ dont l’issue est connue/);

    const chart = stats(page).locator('.chart.weekly');
    assert.equal(await chart.getAttribute('aria-hidden'), 'true', 'the chart is for the eyes; its table is for everyone');
    assert.equal(await chart.locator('rect.filed').count(), s.weeks.length, 'a filed bar a week');
    assert.equal(await chart.locator('rect.closed').count(), s.weeks.length, 'a closed bar a week');
    const tallest = Math.max(...(await chart.locator('rect.filed').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().height))));
    assert.ok(tallest > 50, `the busiest week's bar is drawn tall (${tallest} px)`);
    await page.getByText('Les chiffres', { exact: true }).click();
    const weekly = page.getByRole('table', { name: 'Déposés et clos par semaine' });
    assert.equal(await weekly.getByRole('row').count(), s.weeks.length + 1, 'a row a week under its header');
    await accessible(page, 'statistics, weekly table open');

    const onTime = page.getByRole('table', { name: 'Dans les délais, par catégorie' });
    const decided = s.by_category.find((c: { sla: { on_time_share: number | null } }) => c.sla.on_time_share !== null);
    const share = `${Math.round(decided.sla.on_time_share * 100)}\\s%`;
    const row = await onTime.getByRole('row', { name: new RegExp(`^${decided.service_name}`) }).innerText();
    assert.match(row, new RegExp(`${share}\\s+${decided.sla.on_time}\\s+${decided.sla.late}\\s+${decided.sla.not_yet_due}$`), `${decided.service_name}: its share, on time, late, not yet due`);
    assert.ok(await page.getByRole('table', { name: 'Dans les délais, par service' }).getByRole('row', { name: /Voirie/ }).isVisible());
    assert.ok(await page.getByRole('table', { name: 'Délai de clôture, par catégorie' }).getByRole('row').count() > 2);

    const places = page.getByRole('table', { name: 'Rues et lieux les plus signalés' });
    const streets = await places.getByRole('rowheader').allInnerTexts();
    assert.deepEqual(streets, s.places.streets.map((p: { street: string }) => p.street));
    assert.ok(streets.includes('Place Plumereau'), streets.join(', '));
    assert.doesNotMatch(streets.join(' '), /\d+[.,]\d{3}/, 'places in words, not coordinates');
    assert.ok(await page.getByRole('table', { name: 'Par état' }).getByRole('row', { name: /Résolu/ }).isVisible());
    assert.ok(await page.getByRole('region', { name: /Carte de l’origine des signalements/ }).isVisible());
    await accessible(page, 'statistics');
    await shoot(page, 'stats-1280');
    assert.deepEqual(errors, []);
  });

  test('the period lives in the address: quick periods, the form, a reload and the back button; the CSV follows it', async () => {
    const { page } = await statistics();
    await open(page, 'Statistiques', 'Statistiques');
    await page.getByRole('link', { name: '12 dernières semaines' }).click();
    await page.waitForURL(PERIOD_IN_HASH);
    const [, from, to] = PERIOD_IN_HASH.exec(page.url())!;
    assert.equal(new Date(`${from}T00:00:00Z`).getUTCDay(), 1, 'twelve weeks start on a Monday');
    await page.waitForFunction((f) => (document.querySelector('georeport-admin')?.shadowRoot?.querySelector('georeport-admin-stats')?.shadowRoot?.querySelector('#from') as HTMLInputElement | null)?.value === f, from);
    assert.equal(await stats(page).locator('#to').inputValue(), to);
    assert.equal(await stats(page).locator('.chart.weekly rect.filed').count(), 12, 'twelve weeks drawn');
    await accessible(page, 'statistics, twelve weeks');

    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Déposés et clos par semaine' }).waitFor();
    assert.equal(await stats(page).locator('#from').inputValue(), from, 'a reload keeps the period');

    await stats(page).locator('#from').fill('2026-01-05');
    await stats(page).locator('#to').fill('2026-01-18');
    await stats(page).getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/#\/stats\/2026-01-05--2026-01-18$/);
    await focused(page, 'Statistiques');
    await page.getByText(/Du 5 janvier 2026 au 18 janvier 2026/).waitFor();
    const href = await stats(page).getByRole('link', { name: /Télécharger en CSV/ }).getAttribute('href');
    assert.match(href!, /stats\.csv\?from=2026-01-05&to=2026-01-18$/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    assert.match(csv.split('\r\n')[0]!, /^date,service_code,channel,status,department,requests,on_time,late$/);

    await page.goBack();
    await page.waitForURL(new RegExp(`#/stats/${from}--${to}$`));
    await page.waitForFunction((f) => (document.querySelector('georeport-admin')?.shadowRoot?.querySelector('georeport-admin-stats')?.shadowRoot?.querySelector('#from') as HTMLInputElement | null)?.value === f, from);
  });

  test('on a phone the page stacks, nothing scrolls sideways, and axe stays clean', async () => {
    for (const width of [390, 320]) {
      const { page, errors } = await statistics({ viewport: { width, height: 844 }, hasTouch: true, isMobile: true });
      await open(page, 'Statistiques', 'Statistiques');
      await page.getByRole('heading', { level: 2, name: 'Rues et lieux les plus signalés' }).waitFor();
      // A phone widens its layout to what overflows: the page's width must be the screen's.
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= width && inner === width, `${width} px: the page is ${scroll} px wide, laid out on ${inner}`);
      await accessible(page, `statistics at ${width} px`);
      await shoot(page, `stats-${width}`);
      assert.deepEqual(errors, []);
    }
  });

  test('in English for staff whose page is in English', async () => {
    const { page } = await statistics({ locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Statistics', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Filed and closed per week' }).waitFor();
    assert.ok(await page.getByRole('table', { name: 'On time, by category' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'Last 12 weeks' }).isVisible());
  });
});
