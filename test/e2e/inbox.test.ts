/**
 * The agent's inbox in Chromium against the real server, by keyboard: sorting by a column (its header
 * says how), queues and filters kept in the address (reload, back), moving through the list with j and
 * k, selecting with x, opening with Enter and coming back with Escape, bulk actions with the
 * confirmation that says how many requests a public change touches (declined, then accepted), taking a
 * request, and the moderation queue's bulk publishing. axe-core on every new state, at 1280 × 800 in
 * French as an agent works, and at 390 px where the request open takes the whole screen.
 *
 * GEOREPORT_E2E_SHOTS=/some/dir writes screenshots of each state there, for looking; never committed.
 * Needs `npm run build` (dist/admin/) and Chromium at CHROME_PATH or /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { accessible, focused, login, said, startBackOffice, type BackOffice } from '../helpers/back-office.ts';
import { runCli } from '../helpers/server-process.ts';

const ADMIN = { email: 'direction@ville.example', password: 'un mot de passe assez long', name: 'Claire Martin' };
const AGENT = { email: 'karim.benali@ville.example', password: 'un autre mot de passe long', name: 'Karim Benali' };

let bo: BackOffice;
let page: Page;
let errors: string[];
before(async () => {
  bo = await startBackOffice('georeport-inbox-', ADMIN);
  const created = await runCli(['staff', 'create', '--email', AGENT.email, '--name', AGENT.name, '--jurisdiction', 'ville.example', '--role', 'agent'],
    { ...bo.env, GEOREPORT_STAFF_PASSWORD: AGENT.password });
  assert.equal(created.code, 0, created.stderr);
  const office = await bo.office();
  [page, errors] = [office.page, office.errors];
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(() => bo.close());

/** The element that has the focus, inside the shadow roots: its tag, id, data-id and text. */
const focus = () => page.evaluate(() => {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return { tag: el?.tagName, id: el?.id, row: el?.getAttribute('data-id') ?? null, text: el?.textContent?.trim() ?? '' };
});
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
async function shoot(name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `inbox-${name}.png`) });
}
const hash = () => page.evaluate(() => location.hash);
const table = () => page.locator('georeport-admin-inbox-table table');
/** The ids of the rows shown, in order. */
const rowIds = () => table().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));
const db = () => new Database(bo.env.GEOREPORT_DB!);
const statusOf = (id: string) => {
  const d = db();
  try {
    return d.prepare('SELECT detailed_status FROM requests WHERE id = ?').pluck().get(Number(id));
  } finally {
    d.close();
  }
};
/**
 * Does what changes the view (a sort, a queue, a filter, reload, back), then waits for the list it asks
 * for to come from the server and be drawn (the list is `aria-busy` until then).
 */
async function listed(action: () => Promise<unknown>) {
  const fetched = page.waitForResponse((r) => /\/admin\/api\/j\/[^/]+\/(requests|moderation)\?/.test(r.url()));
  await action();
  await fetched;
  await page.locator('.list[aria-busy="false"]').waitFor();
}

describe('the inbox by keyboard', () => {
  test('the agent logs in on the inbox: queues with counts, the list with its columns, no accessibility fault', async () => {
    await login(page, AGENT);
    await focused(page, 'Signalements');
    await table().waitFor();
    const queues = await page.getByRole('navigation', { name: 'Files' }).getByRole('link').allInnerTexts();
    assert.deepEqual(queues.map((q) => q.replace(/\s+\d+$/, '')), ['Tous', 'Mes demandes', 'Non assignées', 'En retard', 'À modérer']);
    const headers = await table().locator('thead th').allInnerTexts();
    assert.deepEqual(headers.map((h) => h.replace(/[▲▼]/g, '').trim()).filter(Boolean), ['N°', 'Catégorie', 'Lieu', 'Âge', 'État', 'Délai', 'Assigné à', 'Canal']);
    assert.equal(await table().locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending', 'the youngest first by default');
    await accessible(page, 'inbox');
    await shoot('1280-list');
  });

  test('sorting by a column from its header, both ways: the header says so and the address keeps it', async () => {
    const deadline = table().getByRole('button', { name: 'Délai' });
    await deadline.focus();
    await listed(() => page.keyboard.press('Enter'));
    assert.equal(await hash(), '#/requests?sort=sla');
    assert.equal(await table().locator('th[aria-sort]').innerText().then((t) => t.replace(/[▲▼]/g, '').trim()), 'Délai');
    assert.equal(await table().locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending');
    assert.match(await table().locator('tbody tr').first().innerText(), /En retard/, 'the most overdue first');
    assert.deepEqual(await focus().then((f) => f.text), 'Délai▲', 'the focus stays on the header');
    const ascending = await rowIds();
    await listed(() => page.keyboard.press('Enter'));
    assert.equal(await hash(), '#/requests?sort=-sla');
    assert.equal(await table().locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');
    assert.notDeepEqual(await rowIds(), ascending);
    await accessible(page, 'sorted by deadline, descending');
  });

  test('a queue and a filter are kept in the address: reloading shows the same view, going back the one before', async () => {
    await page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: /En retard/ }).focus();
    await listed(() => page.keyboard.press('Enter'));
    assert.equal(await hash(), '#/requests?sla=overdue&sort=-sla', 'the sort kept');
    const overdue = await rowIds();
    assert.ok(overdue.length > 0);
    for (const text of await table().locator('tbody tr td:nth-child(7)').allInnerTexts()) assert.match(text, /En retard/);
    await page.locator('#sla').focus();
    await page.keyboard.type('Tous');
    await page.locator('#status').focus();
    await page.keyboard.type('Ouverts');
    await page.locator('#q').focus();
    await listed(() => page.keyboard.press('Enter')); // the search field submits the filters
    assert.equal(await hash(), '#/requests?status=open&sort=-sla');
    await listed(() => page.reload());
    assert.equal(await page.locator('#status').inputValue(), 'open', 'the filter is shown as chosen');
    assert.equal(await table().locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');
    await listed(() => page.goBack());
    assert.equal(await hash(), '#/requests?sla=overdue&sort=-sla');
    assert.deepEqual(await rowIds(), overdue, 'back to the overdue queue');
    assert.equal(await page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: /En retard/ }).getAttribute('aria-current'), 'page');
    await listed(() => page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: 'Tous', exact: true }).click());
    assert.equal(await hash(), '#/requests?sort=-sla');
  });

  test('j and k move through the list, x selects, Enter opens beside the list, Escape comes back to the same row', async () => {
    const ids = await rowIds();
    await table().locator('tbody tr').first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal((await focus()).row, ids[2], 'two rows down');
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    assert.equal((await focus()).row, ids[1]);
    await page.keyboard.press('x');
    await page.getByText('2 signalements sélectionnés.').waitFor();
    assert.ok(await table().getByRole('checkbox', { name: `Sélectionner le signalement ${ids[2]}` }).isChecked());
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.startsWith(`#/requests/${id}?`), ids[3]);
    await focused(page, new RegExp(`^Signalement ${ids[3]} · `));
    assert.equal(await table().locator('tr[aria-current="true"]').getAttribute('data-id'), ids[3], 'the row open is marked');
    assert.equal(await page.getByRole('region', { name: `Signalement ${ids[3]}` }).isVisible(), true, 'beside the list');
    assert.ok(await table().isVisible(), 'the list stays in view at 1280 px');
    await accessible(page, 'a request open beside the list');
    await shoot('1280-open');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => location.hash === '#/requests?sort=-sla');
    await page.waitForFunction((id) => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('data-id') === id;
    }, ids[3]);
    await page.getByText('2 signalements sélectionnés.').waitFor(); // the selection outlives opening a request
  });

  test('a status for the selection is asked again with the count: declined, nothing changes; confirmed, both change', async () => {
    const chosen = await table().locator('tbody tr:has(input:checked)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));
    assert.equal(chosen.length, 2);
    const before = chosen.map(statusOf);
    await page.locator('#bulk-action').focus();
    await page.keyboard.type('Changer');
    await page.locator('#bulk-status').focus();
    await page.keyboard.type('Programmé');
    await page.locator('#bulk-note').focus();
    await page.keyboard.type('Intervention prévue la semaine prochaine.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Passer 2 signalements à l’état « Programmé » ? Le message devient public').waitFor();
    assert.equal((await focus()).text, 'Annuler', 'the safe answer has the focus');
    await accessible(page, 'bulk confirmation');
    await shoot('1280-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(chosen.map(statusOf), before, 'declined: nothing changed');
    assert.equal(await page.locator('#bulk-note').inputValue(), 'Intervention prévue la semaine prochaine.', 'still written');
    await page.locator('#bulk-note').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Oui, pour 2 signalements' }).focus();
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: '2 signalements modifiés.' }).waitFor();
    assert.deepEqual(chosen.map(statusOf), ['planned', 'planned']);
    await page.getByText('Aucun signalement sélectionné.').waitFor();
    assert.equal(await page.locator('#bulk-action').inputValue(), '', 'the form starts again');
    for (const id of chosen) assert.match(await table().locator(`tr[data-id="${id}"]`).innerText(), /Programmé/);
    await accessible(page, 'after a bulk status');
  });

  test('assigning a selection to oneself needs no confirmation; the queue "Mes demandes" counts them', async () => {
    // Three open requests (the queue counts open ones), none of those changed above.
    const ids = (await table().locator('tbody tr:has(.sla--overdue)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!))).slice(-3);
    assert.equal(ids.length, 3);
    for (const id of ids) await table().getByRole('checkbox', { name: `Sélectionner le signalement ${id}` }).check();
    await page.locator('#bulk-action').focus();
    await page.keyboard.type('Assigner');
    assert.equal(await page.locator('#bulk-assignee').inputValue(), (await page.locator('#bulk-assignee option', { hasText: 'Moi' }).getAttribute('value'))!);
    await page.locator('#bulk-assignee').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: '3 signalements assignés.' }).waitFor();
    assert.equal(await page.getByRole('dialog').isVisible(), false);
    await page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: /Mes demandes\s+3/ }).waitFor();
    for (const id of ids) assert.match(await table().locator(`tr[data-id="${id}"]`).innerText(), /Karim Benali/);
  });

  test('an open request is taken by its "Le prendre" button, and says who has it', async () => {
    const id = (await rowIds())[8]!;
    await table().locator(`tr[data-id="${id}"]`).focus();
    await page.keyboard.press('Enter');
    await focused(page, new RegExp(`^Signalement ${id} · `));
    const holder = page.getByLabel('Assigner à');
    assert.equal(await holder.locator('option:checked').innerText(), 'Personne', 'nobody has it yet');
    await page.getByRole('button', { name: 'Le prendre' }).click();
    await said(page).filter({ hasText: 'Il vous est assigné.' }).waitFor();
    assert.equal(await holder.locator('option:checked').innerText(), 'Karim Benali', 'the agent has it now');
    assert.equal(await page.getByRole('button', { name: 'Le prendre' }).count(), 0);
    assert.match(await table().locator(`tr[data-id="${id}"]`).innerText(), /Karim Benali/);
    await accessible(page, 'a request taken');
    await shoot('1280-taken');
  });

  test('the moderation queue publishes a selection after saying how many requests become public', async () => {
    const d = db();
    const held = d.prepare<[], number>("SELECT id FROM requests WHERE status = 'open' AND assignee_id IS NULL ORDER BY id LIMIT 2").pluck().all().map(String);
    d.prepare(`UPDATE requests SET visibility = 'pending' WHERE id IN (${held.join(',')})`).run();
    d.close();
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Modération' }).click();
    await focused(page, 'En attente de modération');
    await table().waitFor();
    assert.deepEqual((await rowIds()).sort(), held.sort());
    await table().getByRole('checkbox', { name: 'Sélectionner tous les signalements de cette page' }).check();
    await page.locator('#bulk-action').focus();
    await page.keyboard.type('Publier');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByText('Publier 2 signalements ? Ils seront visibles de tous sur la carte.').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Oui, pour 2 signalements' }).click();
    await said(page).filter({ hasText: '2 signalements publiés.' }).waitFor();
    await page.getByText('Aucun signalement ne correspond.').waitFor();
    for (const id of held) assert.equal((await bo.publicApi(`requests/${id}.json`)).status, 200, `request ${id} is public`);
    await shoot('1280-moderation');
    // The one 401 is the session check of the login page, before the agent logged in.
    assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 401 (Unauthorized)'], 'no other error in the page');
  });

  test('at 390 px the list fits the screen; a request opened takes its place, with a way back to the same row', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await listed(() => page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Signalements' }).click());
    await focused(page, 'Signalements');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling of the page');
    await accessible(page, 'the inbox at 390 px');
    await shoot('390-list');
    const id = (await rowIds())[0]!;
    await table().locator(`tr[data-id="${id}"]`).focus();
    await page.keyboard.press('Enter');
    await focused(page, new RegExp(`^Signalement ${id} · `));
    assert.equal(await table().isVisible(), false, 'the list makes way for the request');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling of the request');
    await accessible(page, 'a request open at 390 px');
    await shoot('390-open');
    await page.locator('.detail-bar').getByRole('link', { name: 'Retour à la liste' }).click();
    await table().waitFor();
    await page.waitForFunction((row) => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('data-id') === row;
    }, id);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
