/**
 * A request's page and the intake of a phone call, in Chromium against the real server (the demo city,
 * a local stand-in for the national address service as its geocoder), as an agent works on a 1280×800
 * screen, in French: facts and actions side by side with a bar that stays in view, answers with the
 * category's template where one exists, the saved message seen and the form cleared, rejecting, merging
 * and publishing changed texts asked first (declined, then accepted), a history that names people and
 * shows what an edit changed; a request taken by phone placed on the map by mouse and by keyboard, on the
 * public map afterwards. Phones (390 px with touch, 320 px) get one column. axe-core on every state.
 *
 * Needs `npm run build` and Chromium. GEOREPORT_E2E_SHOTS=/some/dir keeps screenshots (never committed).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessible, focused, login, said, startBackOffice, type BackOffice } from '../helpers/back-office.ts';
import { startBanStandIn, type BanStandIn } from '../helpers/ban-stand-in.ts';
import { pageErrors } from '../helpers/chromium.ts';

const AGENT = { email: 'agent.accueil@ville.example', password: 'un mot de passe assez long', name: 'Nadia Haddad' };
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const NEAR_12 = 'Près du 12 Rue Nationale 37000 Montclair-sur-Loire';

let ban: BanStandIn;
let bo: BackOffice;
before(async () => {
  ban = await startBanStandIn();
  bo = await startBackOffice('georeport-admin-request-', AGENT, { GEOREPORT_GEOCODER_URL: ban.url, GEOREPORT_OUTBOUND_ALLOW: '127.0.0.1' });
});
after(async () => {
  await bo?.close();
  await ban?.close();
});

type Public = { service_request_id: string; status: string; description: string; address: string | null; lat: number | null; long: number | null; extended_attributes?: Record<string, unknown> };
const publicOne = async (id: string) => {
  const res = await bo.publicApi(`requests/${id}.json?jurisdiction_id=ville.example&extensions=true`);
  return res.status === 200 ? ((await res.json()) as Public[])[0]! : null;
};
/** Open demo requests of a category, newest first. */
const openOnes = async (code: string) =>
  ((await (await bo.publicApi(`requests.json?jurisdiction_id=ville.example&status=open&service_code=${code}`)).json()) as Public[]).map((r) => r.service_request_id);

/** A logged-in back office in a fresh browser at this size, in French; `errors` collects what the page logs. */
async function office(viewport: { width: number; height: number }, touch = false) {
  const context = await bo.browser.newContext({ locale: 'fr-FR', viewport, isMobile: touch, hasTouch: touch });
  await context.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = pageErrors(page, /status of 40[14]/);
  await page.goto(`${bo.server.url}admin`);
  await login(page, AGENT);
  return { page, errors, close: () => context.close() };
}

async function openRequest(page: Page, id: string) {
  await page.goto(`${bo.server.url}admin#/requests/${id}`);
  await focused(page, new RegExp(`^Signalement ${id} · `));
  await page.getByRole('table', { name: `Signalement ${id}` }).waitFor();
}

async function shoot(page: Page, name: string, fullPage = false) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** The element's box, in the viewport's pixels. */
const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;
/** Whether the element is wholly within the viewport (of `height` pixels). */
const inView = async (page: Page, selector: string, height: number) => {
  const b = await box(page, selector);
  return b.y >= 0 && b.y + b.height <= height;
};
/** The id of the element with the focus, inside the shadow roots. */
const focusedId = (page: Page) => page.evaluate(() => {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el?.id || el?.getAttribute('role') || el?.tagName;
});
/** Where the pin is, as the line under the map says it once it no longer says `previous`. */
async function pinned(page: Page, previous: string): Promise<[number, number]> {
  const line = page.locator('#pin-status').filter({ hasNotText: previous });
  await line.waitFor();
  const said = await line.innerText();
  const at = /en (-?[\d.]+), (-?[\d.]+)\./.exec(said);
  assert.ok(at, `the pin is said: ${said}`);
  return [Number(at[1]), Number(at[2])];
}
/** Presses Tab until the element of this id (or role) has the focus: the keyboard's way there. */
async function tabTo(page: Page, id: string, most = 30) {
  for (let i = 0; i < most; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${id}`);
}

describe('a request’s page on an agent’s screen (1280×800)', () => {
  let page: Page;
  let errors: string[];
  const HEIGHT = 800;
  before(async () => {
    ({ page, errors } = await office({ width: 1280, height: HEIGHT }));
  });

  test('the facts and the actions are side by side; scrolled to the history, the decisions and the answer stay in view', async () => {
    const [id] = await openOnes('nid-de-poule');
    await openRequest(page, id!);
    await shoot(page, 'request-1280');
    const status = await box(page, '#new-status');
    assert.ok(await inView(page, '#new-status', HEIGHT), `the answer’s status is in view without scrolling (at ${Math.round(status.y)} px)`);
    // Beside the list, the request's facts begin in view (its state, category and filing at least).
    const fourth = await box(page, 'section.facts tr:nth-child(4)');
    assert.ok(await inView(page, 'section.facts tr:nth-child(4)', HEIGHT), `and so do the facts (the fourth ends at ${Math.round(fourth.y + fourth.height)} px)`);
    const section = await box(page, 'section.facts');
    const side = await box(page, 'aside.side');
    assert.ok(side.x >= section.x + section.width, `the actions are beside the facts: ${JSON.stringify({ section, side })}`);
    await accessible(page, 'request page');
    await page.getByRole('heading', { name: 'Historique' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.ok(await page.evaluate(() => window.scrollY) > 300, 'the page did scroll');
    await shoot(page, 'request-1280-scrolled');
    for (const decision of ['#reject', '#merge', '#new-status']) assert.ok(await inView(page, decision, HEIGHT), `${decision} stays in view`);
  });

  test('a template is offered only for a status that has one; used, saved: the message is seen where the agent is, the form cleared, the history names the agent', async () => {
    const [id] = await openOnes('nid-de-poule');
    await openRequest(page, id!);
    await page.locator('#new-status').selectOption('received');
    assert.equal(await page.locator('#use-template').count(), 0, 'no template for “Reçu”');
    await page.locator('#new-status').selectOption('fixed');
    const offer = page.getByRole('button', { name: 'Insérer le modèle « Résolu » (français)' });
    await offer.click();
    assert.equal(await page.locator('#status-note').inputValue(), 'Le nid-de-poule a été rebouché. Merci de votre signalement !', 'the category’s own text, to edit');
    await page.locator('#status-note').press('End');
    await page.locator('#status-note').pressSequentially(' Bonne journée.');
    await accessible(page, 'template inserted');
    await page.getByRole('button', { name: 'Enregistrer la réponse' }).click();
    const message = said(page).filter({ hasText: 'Enregistré : état « Résolu » et message, envoyé aux abonnés.' });
    await message.waitFor();
    assert.ok(await inView(page, '.bar [role="status"]', HEIGHT), 'the saved message is on screen');
    assert.equal(await page.locator('#status-note').inputValue(), '', 'the message box is cleared: nothing to post twice');
    assert.equal(await page.locator('#new-status').inputValue(), 'fixed', 'the status now');
    assert.equal(await offer.count(), 1, 'the template of the status shown is still offered');
    const history = await page.locator('ol.history').innerText();
    assert.match(history, /État · Résolu · Nadia Haddad public/);
    assert.match(history, /Dépôt · Reçu · un habitant/);
    assert.doesNotMatch(history, /\b(staff|api|bus):\d/, 'never a raw id');
    const shown = (await publicOne(id!))!;
    assert.deepEqual([shown.status, (shown as unknown as { status_notes: string }).status_notes], ['closed', 'Le nid-de-poule a été rebouché. Merci de votre signalement ! Bonne journée.']);

    await page.locator('#note-text').fill('Vu avec l’équipe de nuit.');
    await page.getByRole('button', { name: 'Ajouter la note interne' }).click();
    await said(page).filter({ hasText: 'Enregistré : note interne ajoutée.' }).waitFor();
    assert.equal(await page.locator('#note-text').inputValue(), '');
    assert.match(await page.locator('ol.history li').last().innerText(), /Note · Nadia Haddad interne\s+Vu avec l’équipe de nuit\./);
    assert.doesNotMatch(JSON.stringify(await publicOne(id!)), /équipe de nuit/);
    await page.locator('#new-status').selectOption('planned');
    await page.getByRole('button', { name: 'Enregistrer la réponse' }).click();
    await said(page).filter({ hasText: 'Enregistré : état « Programmé ».' }).waitFor();
    await accessible(page, 'answer saved');
  });

  test('rejecting asks first with no reason chosen; declined, nothing changes; confirmed with a reason, the request leaves public view', async () => {
    const [, id] = await openOnes('nid-de-poule');
    await openRequest(page, id!);
    await page.getByRole('button', { name: 'Refuser…' }).click();
    const dialog = page.getByRole('dialog', { name: `Refuser le signalement ${id} ?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /son auteur voit « Refusé » avec le motif choisi\. Un refus ne peut pas être annulé ici\./);
    assert.equal(await dialog.getByLabel('Motif (lu par l’auteur)').inputValue(), '', 'no reason preselected');
    await accessible(page, 'reject dialog');
    await shoot(page, 'reject-dialog-1280');
    await dialog.getByRole('button', { name: 'Refuser le signalement' }).click();
    assert.ok(await dialog.isVisible(), 'without a reason, nothing is sent');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await focusedId(page), 'reject', 'the focus is back on the button');
    assert.equal((await publicOne(id!))?.status, 'open', 'declined: still public and open');

    await page.getByRole('button', { name: 'Refuser…' }).click();
    await dialog.getByLabel('Motif (lu par l’auteur)').selectOption('Pas un problème à traiter');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('button', { name: 'Refuser…' }).click();
    assert.equal(await dialog.getByLabel('Motif (lu par l’auteur)').inputValue(), '', 'asked again: the reason declined is not kept');
    await dialog.getByLabel('Motif (lu par l’auteur)').selectOption('Hors compétence de la commune');
    await dialog.getByRole('button', { name: 'Refuser le signalement' }).click();
    await said(page).filter({ hasText: 'Refusé : le signalement n’est plus public.' }).waitFor();
    assert.equal(await focusedId(page), 'H1', 'the button gone, the focus is on the heading, not lost');
    assert.equal(await publicOne(id!), null, 'out of public view');
    assert.match(await page.locator('ol.history li').last().innerText(), /Modération · Nadia Haddad interne\s+Refusé : Hors compétence de la commune/);
  });

  test('merging shows the request named before it is done; declined, nothing changes; confirmed, the duplicate points to it', async () => {
    const [into, dup] = await openOnes('corbeille-pleine');
    await openRequest(page, dup!);
    await page.getByRole('button', { name: 'Fusionner…' }).click();
    const dialog = page.getByRole('dialog', { name: `Fusionner le signalement ${dup} dans un autre ?` });
    await dialog.getByLabel('Numéro du signalement qu’il double').fill(dup!);
    await dialog.getByLabel('Numéro du signalement qu’il double').press('Enter');
    await dialog.getByText('Un signalement ne peut pas être fusionné dans lui-même.').waitFor();
    await dialog.getByLabel('Numéro du signalement qu’il double').fill(into!);
    await dialog.getByRole('button', { name: 'Voir ce signalement' }).click();
    await dialog.getByText(new RegExp(`^Signalement ${into} : Corbeille pleine · `)).waitFor();
    assert.match(await dialog.innerText(), new RegExp(`Le signalement ${dup} sera clos comme doublon du ${into}, ce que le public verra.*Une fusion ne peut pas être défaite\\.`));
    await accessible(page, 'merge dialog');
    await shoot(page, 'merge-dialog-1280');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await publicOne(dup!))?.status, 'open', 'declined: nothing merged');

    await page.getByRole('button', { name: 'Fusionner…' }).click();
    assert.equal(await dialog.getByRole('button', { name: 'Voir ce signalement' }).count(), 1, 'asked afresh');
    await dialog.getByLabel('Numéro du signalement qu’il double').fill(into!);
    await dialog.getByLabel('Numéro du signalement qu’il double').press('Enter');
    await dialog.getByRole('button', { name: 'Fusionner', exact: true }).click();
    await said(page).filter({ hasText: `Fusionné dans le signalement ${into}.` }).waitFor();
    assert.equal((await publicOne(dup!))?.extended_attributes?.duplicate_of, into);
    await page.getByRole('row', { name: `Doublon de Signalement ${into}` }).waitFor();
  });

  test('publishing a held request with changed texts shows what becomes public; declined, nothing is saved; confirmed, the public reads the new text and staff the change', async () => {
    await page.evaluate(async () => {
      const me = (await (await fetch('/admin/api/session')).json()) as { csrf_token: string };
      const doc = (await (await fetch('/admin/api/j/ville.example/catalogue')).json()) as { services: { code: string; moderation?: string }[] };
      const service = { ...doc.services.find((s) => s.code === 'tag-graffiti')!, moderation: 'hold' };
      await fetch('/admin/api/j/ville.example/services/tag-graffiti', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify(service) });
    });
    const filed = await bo.publicApi('requests.json', { method: 'POST', body: new URLSearchParams({
      api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', lat: '47.3941', long: '0.6848',
      description: 'Tag sur ma porte, rappelez-moi au 06 12 34 56 78',
    }) });
    const [{ service_request_id: id }] = (await filed.json()) as { service_request_id: string }[];
    await openRequest(page, id);
    await page.getByText('Modifier les textes (retirer des données personnelles)').click();
    await page.locator('#edit-description').fill('Tag sur une porte');
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Publier le signalement ${id} avec vos modifications ?` });
    await dialog.waitFor();
    const what = await dialog.innerText();
    assert.match(what, /Ce qui devient public, une fois vos modifications enregistrées :[\s\S]*Description\s+Tag sur une porte/);
    assert.doesNotMatch(what, /06 12/);
    assert.match(what, /L’auteur et ses coordonnées restent privés\./);
    await accessible(page, 'publish dialog');
    await shoot(page, 'publish-dialog-1280');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    assert.equal(await publicOne(id), null, 'declined: still held');
    assert.doesNotMatch(await page.locator('ol.history').innerText(), /Textes modifiés/, 'declined: nothing saved');

    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    await dialog.getByRole('button', { name: 'Enregistrer et publier' }).click();
    await said(page).filter({ hasText: 'Publié : le signalement est sur la carte et dans l’API publiques.' }).waitFor();
    assert.equal((await publicOne(id))?.description, 'Tag sur une porte');
    const edit = page.locator('ol.history li').filter({ hasText: 'Textes modifiés' });
    assert.match(await edit.innerText(), /Modération · Nadia Haddad interne\s+Textes modifiés\s+Description\s+Avant : Tag sur ma porte, rappelez-moi au 06 12 34 56 78\s+Après : Tag sur une porte/);
    assert.deepEqual(await edit.locator('del').allInnerTexts(), ['ma porte, rappelez-moi au 06 12 34 56 78'], 'what was taken out, struck through');
    assert.deepEqual(await edit.locator('ins').allInnerTexts(), ['une porte'], 'what was put in, underlined');
    assert.match(await page.locator('ol.history').innerText(), /Dépôt · Reçu · « Demo website widget » \(clé d’API\)/, 'filed through the demo site’s key, named');
    await accessible(page, 'published with its edit in the history');
    await shoot(page, 'request-history-1280', true);
    assert.deepEqual(errors, [], 'no error in the page');
  });
});

describe('a request taken by phone, placed on the map', () => {
  test('by mouse: an address chosen puts the pin there; a click on the map names the place near it; filed, the request is on the public map', async () => {
    const { page, errors, close } = await office({ width: 1280, height: 800 });
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Nouveau signalement' }).click();
    await focused(page, 'Un signalement reçu par téléphone ou au guichet');
    await page.getByRole('application', { name: 'Carte : placez le point du signalement' }).waitFor();
    await accessible(page, 'intake');
    await page.locator('#service').selectOption('nid-de-poule');
    await page.getByLabel('Taille approximative du trou').selectOption('grand');
    await page.locator('#address').pressSequentially('12 rue nat');
    const offered = page.getByRole('list', { name: 'Adresses proposées' });
    await offered.getByRole('button', { name: '12 Rue Nationale 37000 Montclair-sur-Loire' }).click();
    assert.equal(await page.locator('#address').inputValue(), '12 Rue Nationale 37000 Montclair-sur-Loire');
    await page.locator('#pin-status').filter({ hasText: 'Point placé en 47.39520, 0.68610.' }).waitFor();
    await page.getByRole('button', { name: 'Retirer le point' }).click();
    await page.locator('#address').fill('');

    const map = page.getByRole('application', { name: 'Carte : placez le point du signalement' });
    const at = (await map.boundingBox())!;
    await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2);
    await page.locator('#pin-status').filter({ hasText: `Point placé. ${NEAR_12}.` }).waitFor();
    assert.equal(await page.locator('#address').inputValue(), NEAR_12, 'the address found near the pin, to correct if need be');
    await accessible(page, 'intake with a pin');
    await shoot(page, 'intake-1280');
    await page.locator('#description').fill('Trou signalé par téléphone');
    await page.locator('#last_name').fill('Dupont');
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    const message = await said(page).filter({ hasText: /Signalement \d+ enregistré\./ }).innerText();
    const id = /Signalement (\d+)/.exec(message)![1]!;
    assert.ok(await inView(page, '.submit [role="status"]', 800), 'said beside the button');
    assert.equal(await page.locator('#address').inputValue(), '', 'ready for the next call');
    assert.equal(await page.locator('#pin-status').innerText(), '');
    const shown = (await publicOne(id))!;
    assert.ok(Math.abs(shown.lat! - 47.3952) < 0.0002 && Math.abs(shown.long! - 0.6861) < 0.0002, `where the pin was: ${shown.lat}, ${shown.long}`);
    assert.equal(shown.address, NEAR_12);
    const onMap = (await (await bo.publicApi('requests.json?jurisdiction_id=ville.example&bbox=0.68,47.39,0.69,47.40')).json()) as Public[];
    assert.ok(onMap.some((r) => r.service_request_id === id), 'on the public map');
    assert.doesNotMatch(JSON.stringify(shown), /Dupont/);
    assert.deepEqual(errors, []);
    await close();
  });

  test('by keyboard: Tab reaches the map, Enter places the pin, the arrows move it, the form is filed without a mouse', async () => {
    const { page, errors, close } = await office({ width: 1280, height: 800 });
    await page.goto(`${bo.server.url}admin#/intake`);
    await focused(page, 'Un signalement reçu par téléphone ou au guichet');
    await page.getByRole('application', { name: 'Carte : placez le point du signalement' }).waitFor();
    await tabTo(page, 'service');
    await page.keyboard.press('End'); // the last category offered
    await tabTo(page, 'address');
    await page.keyboard.type('12 rue nat');
    await page.getByRole('list', { name: 'Adresses proposées' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter'); // the first address offered: the map goes there
    await page.locator('#pin-status').filter({ hasText: 'Point placé en 47.39520, 0.68610.' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'application', 'the map is next');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const [lat, long] = await pinned(page, 'Point placé en 47.39520, 0.68610.');
    assert.ok(Math.abs(lat - 47.3952) < 0.00001 && long > 0.6862, `moved east: ${lat}, ${long}`);
    assert.equal(await page.locator('#address').inputValue(), '12 Rue Nationale 37000 Montclair-sur-Loire', 'the address chosen is kept');
    const moved = await page.locator('#pin-status').innerText();
    await page.keyboard.press('Enter'); // the pin to the map's centre again
    const [back, backLong] = await pinned(page, moved);
    assert.ok(Math.abs(back - 47.3952) < 0.00002 && Math.abs(backLong - 0.6861) < 0.00002, `back at the centre: ${back}, ${backLong}`);
    await tabTo(page, 'description');
    await page.keyboard.type('Banc abîmé, signalé au guichet');
    await tabTo(page, 'email');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'BUTTON', 'then the button that files');
    await page.keyboard.press('Enter');
    const message = await said(page).filter({ hasText: /Signalement \d+ enregistré\./ }).innerText();
    const shown = (await publicOne(/Signalement (\d+)/.exec(message)![1]!))!;
    assert.ok(Math.abs(shown.lat! - back) < 0.00001 && Math.abs(shown.long! - backLong) < 0.00001, `filed where the pin was: ${shown.lat}, ${shown.long}`);
    assert.equal(shown.address, '12 Rue Nationale 37000 Montclair-sur-Loire');
    await accessible(page, 'intake filed');
    assert.deepEqual(errors, []);
    await close();
  });
});

describe('on a phone', () => {
  for (const [width, height] of [[390, 844], [320, 640]] as const) {
    test(`at ${width} px, one column: the facts, then the actions; the bar stays in view; nothing sideways`, async () => {
      const { page, errors, close } = await office({ width, height }, true);
      const [id] = await openOnes('lampadaire');
      await openRequest(page, id!);
      const facts = await box(page, 'section.facts');
      const side = await box(page, 'aside.side');
      assert.ok(side.y >= facts.y + facts.height - 1, 'the actions come after the facts');
      assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth <= window.innerWidth]), [true], 'nothing sideways');
      await accessible(page, `request at ${width} px`);
      await shoot(page, `request-${width}`);
      await page.getByRole('button', { name: 'Répondre', exact: true }).click();
      assert.equal(await focusedId(page), 'new-status', '“Répondre” takes the agent to the answer');
      assert.ok(await inView(page, '#reject', height), 'the bar is still in view');
      await shoot(page, `request-${width}-answer`);
      await page.goto(`${bo.server.url}admin#/intake`);
      await page.getByRole('application', { name: 'Carte : placez le point du signalement' }).waitFor();
      assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth <= window.innerWidth]), [true], 'intake: nothing sideways');
      await accessible(page, `intake at ${width} px`);
      await shoot(page, `intake-${width}`, true);
      assert.deepEqual(errors, []);
      await close();
    });
  }
});
