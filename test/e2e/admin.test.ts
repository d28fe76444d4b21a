/**
 * The back office, end to end, in Chromium against the real server (`/admin`, its strict policy, its
 * session cookie): the first administrator (created with the CLI) logs in, adds a service with a
 * question and a response template, an agent and API keys (a widget's, an integration's; what a key may do
 * changed, asked first, checked on the real GeoReport API); the agent moderates a held report, publishes
 * it, answers and closes it with the template, and files a report taken by phone; the statistics count
 * them. What residents and re-users see is checked on the public API and in the widget; every page is
 * checked with axe-core.
 *
 * Needs `npm run build` (dist/admin/, dist/widget/) and Chromium at CHROME_PATH or /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { accessible, focused, login, open, said, startBackOffice, type BackOffice } from '../helpers/back-office.ts';

const ADMIN = { email: 'maire-adjointe@ville.example', password: 'un mot de passe assez long', name: 'Claire Martin' };
const AGENT = { email: 'agent@ville.example', password: 'un autre mot de passe long' }; // changed by a test
const TEMPLATE = 'La fontaine a été réparée par les services techniques. Merci de votre signalement !';

let bo: BackOffice;
before(async () => {
  bo = await startBackOffice('georeport-admin-', ADMIN);
});
after(() => bo.close());
const publicApi = (path: string, init?: RequestInit) => bo.publicApi(path, init);
/** A report filed with `key`, as the widget or an app sends it. */
const file = (key: string, service_code = 'tag-graffiti', more: Record<string, string> = {}) => publicApi('requests.json', {
  method: 'POST', body: new URLSearchParams({ api_key: key, jurisdiction_id: 'ville.example', service_code, lat: '47.3941', long: '0.6848', ...more }),
});
/** A status update posted with `key`, the FixMyStreet way (what an integration's key is for). */
const postUpdate = (key: string, id: string, update_id: string, description: string) => publicApi('servicerequestupdates.json', {
  method: 'POST', body: new URLSearchParams({ api_key: key, jurisdiction_id: 'ville.example', service_request_id: id, update_id, status: 'IN_PROGRESS', description }),
});
/** The id of the element that has the focus, inside the shadow roots. */
const focusedId = (page: Page) => page.evaluate(() => {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el?.id;
});

describe('the back office', () => {
  let apiKey = '';
  let heldId = '';
  const admin = { page: undefined as unknown as Page, errors: [] as string[] };
  const agent = { page: undefined as unknown as Page, errors: [] as string[] };

  test('the page is served under a strict policy; a wrong password is refused in words; the administrator logs in', async () => {
    const res = await fetch(`${bo.server.url}admin`);
    const policy = res.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self';/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(await res.text(), /<html lang="fr">/);
    const english = await fetch(`${bo.server.url}admin`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' } });
    assert.match(await english.text(), /<html lang="en">/, 'in English for staff whose browser prefers it');

    Object.assign(admin, await bo.office());
    const { page } = admin;
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await accessible(page, 'login');
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-mail ou mot de passe incorrect.' }).waitFor();
    await login(page, ADMIN);
    await focused(page, 'Signalements');
    assert.match(await page.locator('header').innerText(), /Claire Martin · Administrateur/);
    const sections = await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link').allInnerTexts();
    assert.deepEqual(sections, ['Signalements', 'Modération', 'Nouveau signalement', 'Catalogue', 'Aiguillage', 'Statistiques', 'Clés, bus et équipe']);
    await page.getByRole('table').waitFor();
    assert.ok((await page.getByRole('row').count()) > 5, 'the demo city’s requests are listed');
    await accessible(page, 'requests list');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Signalements' }).waitFor(); // the session outlives a reload
  });

  test('the administrator adds a service with a question; a list without choices is refused with the reason, the input kept', async () => {
    const { page } = admin;
    await open(page, 'Catalogue', 'Catalogue');
    await accessible(page, 'catalogue');
    await page.getByRole('link', { name: 'Ajouter une catégorie' }).click();
    await focused(page, 'Nouvelle catégorie');
    await page.locator('#code').fill('fontaine-a-boire');
    await page.locator('#name-fr').fill('Fontaine à boire en panne');
    await page.locator('#name-en').fill('Broken drinking fountain');
    await page.locator('#description-fr').fill('Une fontaine publique qui ne coule plus.');
    await page.locator('#moderation').selectOption('hold');
    await page.locator('#sla').fill('72');
    await page.locator('#add-attribute').click();
    await page.locator('#attr-code-0').fill('debit');
    await page.locator('#attr-type-0').selectOption('singlevaluelist');
    await page.locator('#attr-q-0-fr').fill('L’eau coule-t-elle encore ?');
    await page.getByRole('checkbox', { name: 'Obligatoire' }).check();
    await page.getByRole('button', { name: 'Enregistrer la catégorie' }).click();
    await said(page).filter({ hasText: 'Non effectué' }).waitFor();
    assert.match(await said(page).innerText(), /debit/, 'the problem names the question');
    assert.equal(await page.locator('#name-fr').inputValue(), 'Fontaine à boire en panne', 'nothing typed is lost');
    assert.equal((await publicApi('services/fontaine-a-boire.json?jurisdiction_id=ville.example')).status, 404, 'a refused service is not offered');

    await page.locator('#attr-values-0').fill('non=Plus du tout\nfaible=Un filet');
    await accessible(page, 'service editor');
    await page.getByRole('button', { name: 'Enregistrer la catégorie' }).click();
    await focused(page, 'Catégorie fontaine-a-boire');
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();

    const definition = (await (await publicApi('services/fontaine-a-boire.json?jurisdiction_id=ville.example')).json()) as {
      attributes: { code: string; required: boolean; datatype: string; values: { key: string; name: string }[] }[];
    };
    assert.deepEqual(definition.attributes.map((a) => [a.code, a.datatype, a.required, a.values.map((v) => v.key)]), [['debit', 'singlevaluelist', true, ['non', 'faible']]]);
    const english = (await (await publicApi('services.json?jurisdiction_id=ville.example&locale=en')).json()) as { service_code: string; service_name: string }[];
    assert.equal(english.find((s) => s.service_code === 'fontaine-a-boire')?.service_name, 'Broken drinking fountain');
  });

  test('the new service is offered in the widget at its next load', async () => {
    const { page } = await bo.office();
    await page.goto(bo.server.url);
    const choice = page.locator('georeport-widget').getByRole('radio', { name: /Fontaine à boire en panne/ });
    await choice.waitFor();
    assert.equal(await choice.getAttribute('id'), 'service-fontaine-a-boire');
  });

  test('the administrator writes a response template, adds an agent and creates an API key', async () => {
    const { page } = admin;
    await open(page, 'Catalogue', 'Catalogue');
    await page.locator('#tpl-service').selectOption('fontaine-a-boire');
    await page.locator('#tpl-status').selectOption('fixed');
    await page.locator('#tpl-text').fill(TEMPLATE);
    await page.getByRole('button', { name: 'Enregistrer le modèle' }).click();
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();

    await open(page, 'Clés, bus et équipe', 'Clés, bus et équipe');
    await accessible(page, 'settings');
    await page.locator('#staff-email').fill(AGENT.email);
    await page.locator('#staff-name').fill('Karim Benali');
    await page.locator('#staff-role').selectOption('agent');
    await page.locator('#staff-password').fill(AGENT.password);
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await page.getByRole('table', { name: 'Équipe' }).getByRole('row', { name: /Karim Benali.*Agent/ }).waitFor();

    await page.locator('#key-name').fill('Appli mobile de la ville');
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    const shown = await said(page).filter({ hasText: 'Nouvelle clé' }).innerText();
    apiKey = /: (\S+)$/.exec(shown.trim())![1]!;
    await page.getByRole('table', { name: 'Clés d’API' }).getByRole('row', { name: /Appli mobile de la ville/ }).waitFor();
    await page.getByRole('table', { name: 'Journal d’audit' }).getByRole('row', { name: /Claire Martin\s+staff\.create/ }).waitFor();

    const res = await file(apiKey, 'fontaine-a-boire', { description: 'La fontaine du square ne coule plus', email: 'habitant@exemple.fr', 'attribute[debit]': 'non' });
    assert.equal(res.status, 200, await res.clone().text());
    heldId = ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
    assert.equal((await publicApi(`requests/${heldId}.json?jurisdiction_id=ville.example`)).status, 404, 'a held report is not public');
    assert.match(await page.getByRole('table', { name: 'Clés d’API' }).getByRole('row', { name: /Appli mobile de la ville/ }).innerText(), /Déposer et suivre des signalements/,
      'a key files and follows requests unless told otherwise');

    // Revoking asks first; once revoked, the key files nothing more.
    const row = page.getByRole('table', { name: 'Clés d’API' }).getByRole('row', { name: /Appli mobile de la ville/ });
    page.once('dialog', (d) => void d.dismiss());
    await row.getByRole('button', { name: 'Révoquer Appli mobile de la ville' }).click();
    assert.match(await row.innerText(), /active/);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Révoquer Appli mobile de la ville' }).click();
    await row.filter({ hasText: 'révoquée' }).waitFor();
    const refused = await file(apiKey);
    assert.ok([401, 403].includes(refused.status), `a revoked key is refused (${refused.status})`);

    // A bus application: its secret is shown once; revoked, the bus refuses it.
    await page.locator('#bus-name').fill('GRC voirie');
    await page.getByRole('button', { name: 'Créer l’application' }).click();
    const secret = /: (grb_\S+)$/.exec((await said(page).filter({ hasText: 'Secret' }).innerText()).trim())![1]!;
    const bus = () => fetch(`${bo.server.url}bus/v1/messages?wait=0`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal((await bus()).status, 200);
    const app = page.getByRole('table', { name: 'Applications du bus' }).getByRole('row', { name: /GRC voirie/ });
    page.once('dialog', (d) => void d.accept());
    await app.getByRole('button', { name: 'Révoquer GRC voirie' }).click();
    await app.filter({ hasText: 'révoquée' }).waitFor();
    assert.equal((await bus()).status, 401);
  });

  test('the administrator creates an integration key that posts status updates, told to keep it secret; a widget key may not post them', async () => {
    const { page } = admin;
    const keys = page.getByRole('table', { name: 'Clés d’API' });
    const choices = page.getByRole('group', { name: 'Ce que la clé peut faire' });
    assert.equal(await choices.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).isChecked(), true, 'filing is offered first, ticked');
    assert.equal(await choices.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).isChecked(), false);
    assert.match(await choices.innerText(), /Pour le widget du site : peut être publique\.[\s\S]*Pour une intégration de confiance : à garder secrète\./);

    // None ticked: said, nothing created.
    await page.locator('#key-name').fill('GRC voirie');
    await choices.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).uncheck();
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    await said(page).filter({ hasText: 'Non effectué : choisissez au moins une chose que la clé peut faire.' }).waitFor();
    assert.equal(await keys.getByRole('row', { name: /GRC voirie/ }).count(), 0);

    await choices.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).check();
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    const shown = (await said(page).filter({ hasText: 'Nouvelle clé d’intégration' }).innerText()).trim();
    assert.match(shown, /à garder secrète : elle peut publier des mises à jour d’état, ne la mettez donc jamais dans une page web/);
    const integrationKey = /: (grk_\S+)$/.exec(shown)![1]!;
    const row = keys.getByRole('row', { name: /GRC voirie/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Publier des mises à jour d’état/);
    assert.doesNotMatch(await row.innerText(), /Déposer/);
    assert.equal(await choices.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).isChecked(), true, 'the form is back to a widget key');
    await accessible(page, 'integration key created');

    const [open1] = (await (await publicApi('requests.json?jurisdiction_id=ville.example&status=open')).json()) as { service_request_id: string }[];
    const accepted = await postUpdate(integrationKey, open1!.service_request_id, 'grc-1', 'Intervention programmée');
    assert.equal(accepted.status, 200, await accepted.clone().text());
    const [now] = (await (await publicApi(`requests/${open1!.service_request_id}.json?jurisdiction_id=ville.example`)).json()) as { status_notes: string }[];
    assert.equal(now!.status_notes, 'Intervention programmée', 'the update is on the request');
    assert.equal((await file(integrationKey)).status, 403, 'an updates-only key files nothing');

    const widget = await postUpdate('demo-public-key', open1!.service_request_id, 'widget-1', 'Clos par un inconnu');
    assert.equal(widget.status, 403);
    assert.match(((await widget.json()) as { description: string }[])[0]!.description, /updates scope/);
  });

  test('the administrator changes what a key may do: letting it post status updates is asked first, in words, and takes effect at once', async () => {
    const { page } = admin;
    const keys = page.getByRole('table', { name: 'Clés d’API' });
    await page.locator('#key-name').fill('Site du quartier Nord');
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    const key = /: (grk_\S+)$/.exec((await said(page).filter({ hasText: 'Nouvelle clé' }).innerText()).trim())![1]!;
    const [open1] = (await (await publicApi('requests.json?jurisdiction_id=ville.example&status=open')).json()) as { service_request_id: string }[];
    const update = (n: number) => postUpdate(key, open1!.service_request_id, `quartier-${n}`, `Mise à jour ${n}`);
    assert.equal((await update(1)).status, 403, 'a widget key posts no update');

    const change = page.getByRole('button', { name: 'Modifier ce que peut faire Site du quartier Nord' });
    assert.equal(await change.getAttribute('aria-expanded'), 'false');
    await change.click();
    const editor = page.getByRole('group', { name: 'Ce que « Site du quartier Nord » peut faire' });
    await editor.waitFor();
    assert.equal(await change.getAttribute('aria-expanded'), 'true');
    assert.match((await focusedId(page)) ?? '', /^scopes-\d+-report$/, 'the focus is on the first choice');
    assert.equal(await editor.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).isChecked(), true, 'the key’s scopes, ticked');
    await accessible(page, 'changing a key’s scopes');

    // Escape, or Cancel, closes without a change, the focus back on the button.
    await editor.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).check();
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    assert.match((await focusedId(page)) ?? '', /^change-key-\d+$/);
    await change.click();
    await editor.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).check();
    await page.getByRole('button', { name: 'Annuler', exact: true }).click();
    await editor.waitFor({ state: 'detached' });
    assert.match((await focusedId(page)) ?? '', /^change-key-\d+$/);
    assert.equal((await update(2)).status, 403, 'nothing changed');

    await change.click();
    await editor.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).check();
    const asked: string[] = [];
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    assert.equal(asked.length, 1, 'granting updates is asked first');
    assert.match(asked[0]!, /^Autoriser « Site du quartier Nord » à publier des mises à jour d’état \?/);
    assert.match(asked[0]!, /changer l’état des signalements de la commune, les clore et faire écrire à leurs abonnés/);
    assert.match(asked[0]!, /Si cette clé figure dans une page web, n’importe qui peut l’y lire/);
    assert.equal((await update(3)).status, 403, 'declined: nothing changed');
    assert.doesNotMatch(await keys.getByRole('row', { name: /Site du quartier Nord/ }).first().innerText(), /Publier/);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await said(page).filter({ hasText: '« Site du quartier Nord » peut désormais : déposer et suivre des signalements, publier des mises à jour d’état.' }).waitFor();
    await editor.waitFor({ state: 'detached' });
    assert.match((await focusedId(page)) ?? '', /^change-key-\d+$/, 'the focus is back on the button');
    assert.match(await keys.getByRole('row', { name: /Site du quartier Nord/ }).innerText(), /Déposer et suivre des signalements\s+Publier des mises à jour d’état/);
    assert.equal((await update(4)).status, 200, 'granted: the key posts updates at once');
    await page.getByRole('table', { name: 'Journal d’audit' }).getByRole('row', { name: /Claire Martin\s+api_client\.scopes/ }).waitFor();

    // Taking filing away is asked too (a widget using the key would stop); taking updates away is not.
    await change.click();
    await editor.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).uncheck();
    page.once('dialog', (d) => void (asked.push(d.message()), d.accept()));
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await said(page).filter({ hasText: 'peut désormais : publier des mises à jour d’état.' }).waitFor();
    assert.match(asked[1]!, /Un widget de site qui utilise cette clé cesse aussitôt de fonctionner/);
    assert.equal((await file(key)).status, 403, 'it files nothing more');
    await change.click();
    await editor.getByRole('checkbox', { name: 'Déposer et suivre des signalements' }).check();
    await editor.getByRole('checkbox', { name: 'Publier des mises à jour d’état' }).uncheck();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await said(page).filter({ hasText: 'peut désormais : déposer et suivre des signalements.' }).waitFor();
    assert.equal(asked.length, 2, 'nothing asked to take updates away');
    assert.equal((await update(5)).status, 403);
    assert.equal((await file(key)).status, 200);
  });

  test('the agent sees only what agents do, moderates the held report and publishes it', async () => {
    Object.assign(agent, await bo.office());
    const { page } = agent;
    await login(page, AGENT);
    const sections = await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link').allInnerTexts();
    assert.deepEqual(sections, ['Signalements', 'Modération', 'Nouveau signalement', 'Catalogue', 'Statistiques']);
    await open(page, 'Modération', 'En attente de modération');
    await page.getByRole('link', { name: heldId, exact: true }).click();
    await focused(page, `Signalement ${heldId}`);
    assert.match(await page.getByRole('row', { name: /Auteur/ }).innerText(), /habitant@exemple\.fr/, 'staff see who reported it');
    await accessible(page, 'request');
    await page.locator('#publish').click();
    await said(page).filter({ hasText: 'Publié : le signalement est sur la carte et dans l’API publiques.' }).waitFor();
    const shown = (await (await publicApi(`requests/${heldId}.json?jurisdiction_id=ville.example`)).json()) as Record<string, unknown>[];
    assert.equal(shown[0]!.service_code, 'fontaine-a-boire');
    assert.doesNotMatch(JSON.stringify(shown), /habitant@exemple\.fr/, 'the reporter stays private');
  });

  test('the agent answers and closes it with the template; the resident reads the answer', async () => {
    const { page } = agent;
    await page.locator('#new-status').selectOption('fixed');
    await page.locator('#use-template').click();
    assert.equal(await page.locator('#status-note').inputValue(), TEMPLATE);
    await page.getByRole('button', { name: 'Enregistrer la réponse' }).click();
    await page.getByRole('row', { name: 'État Résolu' }).waitFor();
    await said(page).filter({ hasText: 'Enregistré : état « Résolu » et message, envoyé aux abonnés.' }).waitFor();
    const [shown] = (await (await publicApi(`requests/${heldId}.json?jurisdiction_id=ville.example`)).json()) as { status: string; status_notes: string }[];
    assert.equal(shown!.status, 'closed');
    assert.equal(shown!.status_notes, TEMPLATE);
  });

  test('the agent files a report taken by phone; the channel is kept', async () => {
    const { page } = agent;
    await open(page, 'Nouveau signalement', 'Un signalement reçu par téléphone ou au guichet');
    await accessible(page, 'intake');
    await page.locator('#service').selectOption('nid-de-poule');
    await page.getByLabel('Taille approximative du trou').selectOption('petit'); // the category's own question
    await page.locator('#address').fill('40 Rue Nationale');
    await page.locator('#description').fill('Trou profond signalé par téléphone');
    await page.locator('#last_name').fill('Dupont');
    await page.locator('#phone').fill('02 47 00 00 00');
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    const message = await said(page).filter({ hasText: 'enregistré' }).innerText();
    const id = /Signalement (\d+) enregistré/.exec(message)![1]!;
    assert.equal(await page.locator('#description').inputValue(), '', 'the form is ready for the next call');
    await page.goto(`${bo.server.url}admin#/requests/${id}`);
    const facts = page.getByRole('table', { name: `Signalement ${id}` });
    await facts.waitFor();
    const text = await facts.innerText();
    assert.match(text, /Téléphone/);
    assert.match(text, /Dupont · 02 47 00 00 00/);
    assert.match(text, /Trou profond signalé par téléphone/);
    assert.match(await page.getByRole('listitem').filter({ hasText: 'Taille' }).innerText(), /Taille approximative du trou : Moins de 30 cm/);
  });

  test('the statistics count what was filed, and download as CSV', async () => {
    const { page } = admin;
    await open(page, 'Statistiques', 'Statistiques');
    const byService = page.getByRole('table', { name: 'Délai de clôture, par catégorie' });
    await byService.getByRole('row', { name: /Fontaine à boire en panne/ }).waitFor();
    assert.match(await byService.getByRole('row', { name: /Fontaine à boire en panne/ }).innerText(), /^Fontaine à boire en panne\s+1\s/, 'one closed');
    await accessible(page, 'statistics');
    const href = await page.getByRole('link', { name: 'Télécharger en CSV' }).getAttribute('href');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    assert.match(csv.split('\n')[0]!, /^date,service_code,channel,status,department,requests/);
    assert.match(csv, /,fontaine-a-boire,/);
    assert.match(csv, /,nid-de-poule,phone,/);
  });

  test('when the session ends mid-work, logging in again over the page keeps what was typed', async () => {
    const { page } = agent;
    await open(page, 'Nouveau signalement', 'Un signalement reçu par téléphone ou au guichet');
    await page.locator('#service').selectOption('tag-graffiti');
    await page.locator('#address').fill('Place Plumereau');
    await page.locator('#description').fill('Tag sur la façade de la boulangerie');
    const db = new Database(bo.env.GEOREPORT_DB!);
    // The agent's session ends (as after 2 h idle).
    db.prepare('DELETE FROM staff_sessions WHERE staff_id = (SELECT id FROM staff_users WHERE email = ?)').run(AGENT.email);
    db.close();
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connexion' });
    await dialog.getByText('Votre session a pris fin').waitFor();
    await accessible(page, 'session ended');
    await dialog.locator('#email').fill(AGENT.email);
    await dialog.locator('#password').fill(AGENT.password);
    await dialog.getByRole('button', { name: 'Se connecter' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#description').inputValue(), 'Tag sur la façade de la boulangerie', 'nothing typed is lost');
    await page.getByRole('button', { name: 'Enregistrer le signalement' }).click();
    await said(page).filter({ hasText: /Signalement \d+ enregistré/ }).waitFor();
  });

  test('the agent changes their password (the current one asked, the new one twice)', async () => {
    const { page } = agent;
    await page.getByRole('link', { name: 'Mon mot de passe' }).click();
    await focused(page, 'Mon mot de passe');
    await accessible(page, 'account');
    const fill = async (current: string, next: string, again: string) => {
      await page.locator('#current').fill(current);
      await page.locator('#new').fill(next);
      await page.locator('#again').fill(again);
      await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    };
    await fill(AGENT.password, 'un nouveau mot de passe', 'un nouveau mot de passf');
    await said(page).filter({ hasText: 'les deux nouveaux mots de passe diffèrent' }).waitFor();
    await fill('pas le bon mot de passe', 'un nouveau mot de passe', 'un nouveau mot de passe');
    await said(page).filter({ hasText: 'le mot de passe actuel est faux' }).waitFor();
    await fill(AGENT.password, 'un nouveau mot de passe', 'un nouveau mot de passe');
    await said(page).filter({ hasText: 'Mot de passe changé' }).waitFor();
    AGENT.password = 'un nouveau mot de passe';
  });

  test('logging out ends the session: the page asks to log in again, and stays so after a reload', async () => {
    const { page, errors } = agent;
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await login(page, AGENT); // with the new password
    assert.deepEqual(errors.filter((e) => !/40[013]/.test(e)), [], 'no error in the page');
  });

  test('the administrator takes the agent’s role away (asked first): the agent’s next step is refused', async () => {
    const { page } = admin;
    await open(page, 'Clés, bus et équipe', 'Clés, bus et équipe');
    const row = page.getByRole('table', { name: 'Équipe' }).getByRole('row', { name: /Karim Benali/ });
    await row.waitFor();
    assert.equal(await page.getByRole('table', { name: 'Équipe' }).getByRole('button', { name: 'Retirer Claire Martin' }).count(), 0, 'not one’s own');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Retirer Karim Benali' }).click();
    await row.waitFor({ state: 'detached' });
    await open(agent.page, 'Signalements', 'Signalements');
    await said(agent.page).filter({ hasText: 'Votre rôle ne le permet pas ici.' }).waitFor();
    assert.deepEqual(admin.errors.filter((e) => !/40[01]/.test(e)), []);
  });
});
