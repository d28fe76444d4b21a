/**
 * An agent's morning, in Chromium against the real server (the demo city, a local stand-in for the
 * national address service), at 1280 × 800 in French: twenty fly-tipping reports filed overnight through
 * the public API, one of them twice, one not the town's business. By keyboard only, the agent takes the
 * twenty from the unassigned queue, gives eighteen of them the status "Programmé" with the category's
 * template (the dialog says how many), merges the duplicate into its original and rejects the other (the
 * dialog says it leaves public view); then takes a phone call, places it on the map with the keys, and ends
 * on their own queue: the eighteen still open. What the public API shows is checked at each step, and
 * axe-core on every new screen.
 *
 * GEOREPORT_E2E_SHOTS=/some/dir keeps screenshots (`morning-*.png`), for looking; never committed.
 * Needs `npm run build` (dist/admin/) and Chromium at CHROME_PATH or /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { accessible, focused, login, said, startBackOffice, type BackOffice } from '../helpers/back-office.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { runCli } from '../helpers/server-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const ADMIN = { email: 'direction@ville.example', password: 'un mot de passe assez long', name: 'Claire Martin' };
const AGENT = { email: 'lea.moreau@ville.example', password: 'un autre mot de passe long', name: 'Léa Moreau' };
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
/** The demo's template for "Programmé" (every category's), in French. */
const PLANNED = 'Une intervention est programmée. Merci de votre patience : nous vous préviendrons une fois le travail effectué.';
/** The twenty reports of the night, in the order they are filed: the 8th is filed again as the 16th; the 12th is no matter for the town. */
const NIGHT = Array.from({ length: 20 }, (_, i) => ({
  lat: (47.3905 + (i % 5) * 0.0015).toFixed(4),
  long: (0.6790 + Math.floor(i / 5) * 0.002).toFixed(4),
  address: `${2 + i * 2} Rue Nationale`,
  description: `${['Un matelas', 'Un buffet', 'Un canapé', 'Un tas de cartons', 'Un frigo'][i % 5]} laissé sur le trottoir (signalement ${i + 1} de la nuit)`,
  volume: ['sac', 'coffre', 'camion'][i % 3]!,
  email: null as string | null,
}));
const ORIGINAL = 7;
const DUPLICATE = 15;
const NOT_OURS = 11;
NIGHT[DUPLICATE] = { ...NIGHT[ORIGINAL]!, description: 'Le même canapé devant chez moi, toujours là ce matin' };
NIGHT[NOT_OURS] = { ...NIGHT[NOT_OURS]!, description: 'Mon voisin entasse ses vieux meubles dans son propre jardin' };
/** The residents who follow their report by e-mail (the duplicate's author among them). */
const FOLLOWING = [0, 4, ORIGINAL, DUPLICATE];
for (const i of FOLLOWING) NIGHT[i]!.email = `habitant.${i + 1}@exemple.fr`;

let ban: BanStandIn;
let smtp: SmtpSink;
let bo: BackOffice;
let page: Page;
let errors: string[];
let agentId: number;
/** The twenty ids, in the order filed. */
const ids: string[] = [];
before(async () => {
  ban = await startBanStandIn();
  smtp = await startSmtpSink();
  bo = await startBackOffice('georeport-morning-', ADMIN, {
    GEOREPORT_GEOCODER_URL: ban.url, GEOREPORT_OUTBOUND_ALLOW: '127.0.0.1', GEOREPORT_SMTP_URL: smtp.url, GEOREPORT_MAIL_FROM: 'Ville de Montclair <311@ville.example>',
  });
  const created = await runCli(['staff', 'create', '--email', AGENT.email, '--name', AGENT.name, '--jurisdiction', 'ville.example', '--role', 'agent'],
    { ...bo.env, GEOREPORT_STAFF_PASSWORD: AGENT.password });
  assert.equal(created.code, 0, created.stderr);
  const d = db();
  agentId = d.prepare<[string], number>('SELECT id FROM staff_users WHERE email = ?').pluck().get(AGENT.email)!;
  d.close();
  const office = await bo.office();
  [page, errors] = [office.page, office.errors];
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await bo?.close();
  await ban?.close();
  await smtp?.stop();
});

const db = () => new Database(bo.env.GEOREPORT_DB!);
/** One column of these requests, by id. */
const column = (name: 'assignee_id' | 'detailed_status', of: string[]) => {
  const d = db();
  try {
    const get = d.prepare<[number], unknown>(`SELECT ${name} FROM requests WHERE id = ?`).pluck();
    return of.map((id) => get.get(Number(id)));
  } finally {
    d.close();
  }
};
type Public = { service_request_id: string; status: string; status_notes: string | null; lat: number | null; long: number | null; address: string | null; extended_attributes?: Record<string, unknown> };
/** A request as the public API shows it, or null when the public may not see it. */
const publicOne = async (id: string) => {
  const res = await bo.publicApi(`requests/${id}.json?jurisdiction_id=ville.example&extensions=true`);
  return res.status === 200 ? ((await res.json()) as Public[])[0]! : null;
};

async function shoot(name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `morning-${name}.png`) });
}

/** The element that has the focus, inside the shadow roots: what the keyboard is on. */
const focus = () => page.evaluate(() => {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return {
    tag: el?.tagName ?? '', id: el?.id ?? '', row: el?.getAttribute('data-id') ?? null, text: el?.textContent?.trim() ?? '',
    label: el?.getAttribute('aria-label') ?? '', value: (el as HTMLSelectElement | null)?.value ?? '',
  };
});
type Focus = Awaited<ReturnType<typeof focus>>;
/** Presses Tab (or `key`) until the focus is on what `is` recognises: the keyboard's way there. */
async function tabTo(what: string, is: (f: Focus) => boolean, most = 60, key = 'Tab') {
  const seen: Focus[] = [];
  for (let i = 0; i < most; i++) {
    const f = await focus();
    if (is(f)) return;
    seen.push(f);
    await page.keyboard.press(key);
  }
  assert.fail(`${key} never reached ${what}: ${JSON.stringify(seen.map((f) => f.id || f.row || f.label || f.text.slice(0, 20) || f.tag))}`);
}
const tabToId = (id: string) => tabTo(`#${id}`, (f) => f.id === id);
const tabToText = (text: string | RegExp) => tabTo(String(text), (f) => (typeof text === 'string' ? f.text === text : text.test(f.text)));
/** Chooses this value in the focused list box with the arrow keys. */
async function choose(value: string) {
  await page.keyboard.press('Home');
  for (let i = 0; i < 40; i++) {
    if ((await focus()).value === value) return;
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`${value} is not offered`);
}
/** Moves the focus to the list's row of this request, with Home and j. */
async function toRow(id: string) {
  // Tab reaches a row's checkbox or number first; the keys work from anywhere in a row.
  await tabTo('the list', (f) => f.row !== null || /^Sélectionner le signalement \d/.test(f.label));
  await page.keyboard.press('Home');
  const at = (await rowIds()).indexOf(id);
  assert.ok(at >= 0, `request ${id} is listed`);
  for (let i = 0; i < at; i++) await page.keyboard.press('j');
  assert.equal((await focus()).row, id);
}

const table = () => page.locator('georeport-admin-inbox-table table');
const rowIds = () => table().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!));
const queue = (name: RegExp) => page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name });
/** Does what changes the list, then waits for the list it asks for to come and be drawn. */
async function listed(action: () => Promise<unknown>) {
  const fetched = page.waitForResponse((r) => /\/admin\/api\/j\/[^/]+\/requests\?/.test(r.url()));
  await action();
  await fetched;
  await page.locator('.list[aria-busy="false"]').waitFor();
}
/**
 * Escape from the request open: the list again (read anew already if the request changed), the focus on
 * the row left or, if it has left the list, the heading.
 */
async function backToList() {
  await page.keyboard.press('Escape');
  await page.locator('.list[aria-busy="false"]').waitFor();
  await page.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.tagName === 'H1' || el?.tagName === 'TR';
  });
}
const sorted = (list: string[]) => [...list].sort((a, b) => Number(a) - Number(b));

describe('an agent’s morning', () => {
  test('overnight, twenty residents report bulky items through the public API', async () => {
    for (const r of NIGHT) {
      const res = await bo.publicApi('requests.json', { method: 'POST', body: new URLSearchParams({
        api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'depot-sauvage', lat: r.lat, long: r.long,
        address_string: r.address, description: r.description, 'attribute[volume]': r.volume, 'attribute[dangereux]': 'non',
        ...(r.email ? { email: r.email, email_updates: 'true', locale: 'fr' } : {}),
      }) });
      assert.equal(res.status, 200, await res.clone().text());
      ids.push(((await res.json()) as { service_request_id: string }[])[0]!.service_request_id);
    }
    assert.equal(new Set(ids).size, 20, 'twenty requests, the duplicate included');
    // Those who gave an e-mail confirm it from the message they receive, and follow their report.
    const asks = await smtp.waitFor(FOLLOWING.length);
    assert.deepEqual(asks.map((m) => m.envelope.to.join()).sort(), FOLLOWING.map((i) => NIGHT[i]!.email!).sort());
    for (const m of asks) {
      const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/.exec(m.text)![0].replace(/^https?:\/\/[^/]+\//, bo.server.url);
      assert.equal((await fetch(link, { method: 'POST' })).status, 200);
    }
  });

  test('the unassigned queue, narrowed to the category, shows the twenty first; picked with j and x, they are assigned to the agent', async () => {
    await login(page, AGENT);
    await focused(page, 'Signalements');
    await table().waitFor();
    await tabTo('the unassigned queue', (f) => /^Non assignées/.test(f.text));
    await listed(() => page.keyboard.press('Enter'));
    await tabToId('service');
    await choose('depot-sauvage');
    await tabToText('Filtrer');
    await listed(() => page.keyboard.press('Enter'));
    assert.equal(await page.evaluate(() => location.hash), '#/requests?status=open&service_code=depot-sauvage&assignee=none');
    const listedIds = await rowIds();
    assert.deepEqual(listedIds.slice(0, 20), [...ids].reverse(), 'the twenty of the night, newest first');
    for (const older of listedIds.slice(20)) assert.ok(Number(older) < Number(ids[0]), `then older ones (${older})`);
    await accessible(page, 'the unassigned queue');
    await shoot('1-unassigned');

    await toRow(listedIds[0]!);
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('x');
      await page.keyboard.press('j');
    }
    await page.getByText('20 signalements sélectionnés.').waitFor();
    assert.deepEqual(await table().locator('tbody tr:has(input:checked)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!)), [...ids].reverse());
    await tabToId('bulk-action');
    await page.keyboard.type('Assigner');
    await tabToId('bulk-assignee');
    assert.equal(await page.locator('#bulk-assignee option:checked').innerText(), 'Moi');
    await tabToText('Appliquer');
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: '20 signalements assignés.' }).waitFor();
    assert.equal((await focus()).id, 'bulk-action', 'the keyboard is where the form starts again, not lost');
    assert.deepEqual(column('assignee_id', ids), ids.map(() => agentId), 'all twenty are the agent’s');
    await queue(/^Mes demandes\s+20$/).waitFor();
    await page.locator('.list[aria-busy="false"]').waitFor();
    assert.deepEqual(await rowIds(), listedIds.slice(20), 'the older ones are left in the unassigned queue');
    await accessible(page, 'after assigning');
  });

  test('in their own queue, eighteen get "Programmé" with the category’s template, after a dialog that counts them', async () => {
    await tabTo('the agent’s queue', (f) => /^Mes demandes/.test(f.text));
    await listed(() => page.keyboard.press('Enter'));
    assert.deepEqual(sorted(await rowIds()), ids, 'the twenty');
    await tabTo('the page’s checkbox', (f) => f.label === 'Sélectionner tous les signalements de cette page');
    await page.keyboard.press('Space');
    await page.getByText('20 signalements sélectionnés.').waitFor();
    for (const id of [ids[DUPLICATE]!, ids[NOT_OURS]!]) {
      await toRow(id);
      await page.keyboard.press('x');
    }
    await page.getByText('18 signalements sélectionnés.').waitFor();
    await tabToId('bulk-action');
    await page.keyboard.type('Changer');
    await tabToId('bulk-status');
    await choose('planned');
    await tabToId('bulk-template');
    await page.keyboard.press('ArrowDown'); // the first template offered
    assert.equal(await page.locator('#bulk-note').inputValue(), PLANNED, 'the template is in the message, to edit');
    await accessible(page, 'bulk status with a template');
    await shoot('2-bulk-status');
    await tabToText('Appliquer');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Passer 18 signalements à l’état « Programmé » ? Le message devient public').waitFor();
    assert.equal((await focus()).text, 'Annuler', 'the safe answer has the focus');
    await accessible(page, 'bulk confirmation');
    await shoot('3-bulk-confirm');
    await page.keyboard.press('Tab');
    assert.equal((await focus()).text, 'Oui, pour 18 signalements');
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: '18 signalements modifiés.' }).waitFor();
    assert.equal((await focus()).id, 'bulk-action', 'the keyboard is where the form starts again, not lost');
    const eighteen = ids.filter((_, i) => i !== DUPLICATE && i !== NOT_OURS);
    assert.deepEqual(column('detailed_status', eighteen), eighteen.map(() => 'planned'));
    assert.deepEqual(column('detailed_status', [ids[DUPLICATE]!, ids[NOT_OURS]!]), ['received', 'received'], 'the two left out are untouched');
    for (const id of eighteen) {
      const shown = (await publicOne(id))!;
      assert.deepEqual([shown.status, shown.status_notes], ['open', PLANNED], `request ${id} as the public sees it`);
    }
    // Each resident following one of the eighteen is told once, with the template's text.
    const told = FOLLOWING.filter((i) => i !== DUPLICATE);
    const mails = (await smtp.waitFor(FOLLOWING.length + told.length)).slice(FOLLOWING.length);
    assert.deepEqual(mails.map((m) => m.envelope.to.join()).sort(), told.map((i) => NIGHT[i]!.email!).sort(), 'one e-mail each');
    for (const m of mails) {
      const i = NIGHT.findIndex((r) => r.email === m.envelope.to[0]);
      assert.equal(m.subject, `Signalement n° ${ids[i]} : Programmé`);
      assert.ok(m.text.includes(PLANNED), m.text);
    }
    await accessible(page, 'after the bulk status');
  });

  test('the duplicate, opened with Enter, is merged into its original through the dialog', async () => {
    const [original, duplicate] = [ids[ORIGINAL]!, ids[DUPLICATE]!];
    await toRow(duplicate);
    await page.keyboard.press('Enter');
    await focused(page, new RegExp(`^Signalement ${duplicate} · `));
    await accessible(page, 'the duplicate open');
    await shoot('4-duplicate');
    await tabToId('merge');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Fusionner le signalement ${duplicate} dans un autre ?` });
    await dialog.waitFor();
    await tabToId('merge-into');
    await page.keyboard.type(original);
    await page.keyboard.press('Enter'); // shows the request named before anything is done
    await dialog.getByText(new RegExp(`^Signalement ${original} : Dépôt sauvage · `)).waitFor();
    assert.match(await dialog.innerText(), new RegExp(`Le signalement ${duplicate} sera clos comme doublon du ${original}, ce que le public verra ; .* suivront désormais le ${original}\\. Une fusion ne peut pas être défaite\\.`));
    assert.equal((await publicOne(duplicate))?.status, 'open', 'seen, not yet done');
    await accessible(page, 'merge dialog');
    await shoot('5-merge-dialog');
    await tabToText('Fusionner');
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: `Fusionné dans le signalement ${original}.` }).waitFor();
    const shown = (await publicOne(duplicate))!;
    assert.deepEqual([shown.status, shown.extended_attributes?.duplicate_of], ['closed', original]);
    const d = db();
    const follows = d.prepare<[string], number>('SELECT request_id FROM followers WHERE email = ?').pluck().all(NIGHT[DUPLICATE]!.email!);
    d.close();
    assert.deepEqual(follows, [Number(original)], 'the duplicate’s author now follows the original');
  });

  test('the one that is no matter for the town is rejected, the dialog saying it leaves public view', async () => {
    const id = ids[NOT_OURS]!;
    await backToList(); // the merged one has left the agent's open queue
    await toRow(id);
    await page.keyboard.press('Enter');
    await focused(page, new RegExp(`^Signalement ${id} · `));
    await tabToId('reject');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Refuser le signalement ${id} ?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Il quitte la carte et l’API publiques, ses abonnés ne peuvent plus le consulter, et son auteur voit « Refusé » avec le motif choisi\./);
    await accessible(page, 'reject dialog');
    await shoot('6-reject-dialog');
    await tabToId('reason');
    await page.keyboard.type('Hors compétence');
    assert.equal(await dialog.getByLabel('Motif (lu par l’auteur)').inputValue(), 'Hors compétence de la commune');
    await tabToText('Refuser le signalement');
    await page.keyboard.press('Enter');
    await said(page).filter({ hasText: 'Refusé : le signalement n’est plus public.' }).waitFor();
    assert.equal(await publicOne(id), null, 'out of the public API');
    assert.equal((await bo.publicApi(`requests/${id}.json?jurisdiction_id=ville.example`)).status, 404);
    await accessible(page, 'rejected');
  });

  test('a phone call: the request placed on the map with the keys, filed, on the public map', async () => {
    await backToList();
    await tabTo('the intake', (f) => f.text === 'Nouveau signalement', 20, 'Shift+Tab'); // the sections come before the page
    await page.keyboard.press('Enter');
    await focused(page, 'Un signalement reçu par téléphone ou au guichet');
    const map = page.getByRole('application', { name: 'Carte : placez le point du signalement' });
    await map.waitFor();
    await accessible(page, 'intake');
    await tabToId('service');
    await choose('banc-abime');
    await tabTo('the map', (f) => f.label === 'Carte : placez le point du signalement' || f.id === 'map');
    await page.keyboard.press('Enter'); // the pin at the map's centre
    const first = await page.locator('#pin-status').filter({ hasText: /^Point placé/ }).innerText();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    const line = page.locator('#pin-status').filter({ hasNotText: first });
    await line.waitFor();
    await accessible(page, 'intake with a pin');
    await shoot('7-intake');
    const near = await page.locator('#address').inputValue();
    assert.match(near, /^Près du .* Montclair-sur-Loire$/, 'the address near the pin, filled in');
    await tabToId('description');
    await page.keyboard.type('Banc cassé près de l’école, appel de 8 h 40');
    await tabTo('the button that files', (f) => f.text === 'Enregistrer le signalement');
    await page.keyboard.press('Enter');
    const message = await said(page).filter({ hasText: /Signalement \d+ enregistré\./ }).innerText();
    const id = /Signalement (\d+)/.exec(message)![1]!;
    const shown = await publicOne(id);
    assert.ok(shown && shown.lat !== null && shown.long !== null, `on the public API with its place: ${JSON.stringify(shown)}`);
    assert.equal(shown.address, near);
    const box = `${shown.long! - 0.001},${shown.lat! - 0.001},${shown.long! + 0.001},${shown.lat! + 0.001}`;
    const onMap = (await (await bo.publicApi(`requests.json?jurisdiction_id=ville.example&bbox=${box}`)).json()) as Public[];
    assert.ok(onMap.some((r) => r.service_request_id === id), 'on the public map');
  });

  test('their own queue: the eighteen still open, nothing else', async () => {
    await tabTo('the inbox', (f) => f.text === 'Signalements');
    await listed(() => page.keyboard.press('Enter'));
    await tabTo('the agent’s queue', (f) => /^Mes demandes/.test(f.text));
    await listed(() => page.keyboard.press('Enter'));
    const eighteen = ids.filter((_, i) => i !== DUPLICATE && i !== NOT_OURS);
    assert.deepEqual(sorted(await rowIds()), eighteen, 'merged and rejected requests leave the open queue; the phone call is nobody’s yet');
    await queue(/^Mes demandes\s+18$/).waitFor();
    for (const text of await table().locator('tbody tr').allInnerTexts()) assert.match(text, /Programmé[\s\S]*Léa Moreau/);
    await accessible(page, 'the agent’s queue');
    await shoot('8-my-queue');
    // Nothing more went out since: no second e-mail for the eighteen (merging and rejecting write to no one).
    assert.equal(smtp.received.length, FOLLOWING.length * 2 - 1, JSON.stringify(smtp.received.map((m) => m.subject)));
    // The one 401 is the session check of the login page, before the agent logged in.
    assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 401 (Unauthorized)'], 'no other error in the page');
  });
});
