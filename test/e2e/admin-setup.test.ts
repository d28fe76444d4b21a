/**
 * Setting the town up in the back office, end to end in Chromium: the catalogue (order, groups, a
 * question's choices in both languages, the whole document exported and imported), routing (the town's
 * area, a department with its zone, a rule) and its effect on new reports, assignment of a request, and
 * the requests on a map. Each step is checked where residents and re-users see it: the public API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { text } from 'node:stream/consumers';
import type { Page } from 'playwright-core';
import { accessible, focused, login, open, said, startBackOffice, type BackOffice } from '../helpers/back-office.ts';

const ADMIN = { email: 'responsable-sig@ville.example', password: 'encore un mot de passe long', name: 'Lucie Moreau' };
/** A square (long, lat) as a GeoJSON polygon. */
const square = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
const geojson = (name: string, value: unknown) => ({ name, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(value)) });

let bo: BackOffice;
let page: Page;
let errors: string[];
before(async () => {
  bo = await startBackOffice('georeport-admin-setup-', ADMIN);
  ({ page, errors } = await bo.office());
  await login(page, ADMIN);
});
after(() => bo.close());

const services = async () => ((await (await bo.publicApi('services.json?jurisdiction_id=ville.example')).json()) as { service_code: string }[]).map((s) => s.service_code);
const report = (lat: string, long: string) => bo.publicApi('requests.json', {
  method: 'POST', body: new URLSearchParams({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'tag-graffiti', lat, long, description: 'Tag' }),
});

describe('setting the town up', () => {
  test('services are reordered as residents will see them; a group is added', async () => {
    await open(page, 'Catalogue', 'Catalogue');
    const before = await services();
    await page.getByRole('button', { name: `Descendre ${before[0]}` }).click();
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();
    assert.deepEqual((await services()).slice(0, 2), [before[1], before[0]]);
    await page.locator('#group-code').fill('securite');
    await page.locator('#group-fr').fill('Sécurité');
    await page.locator('#group-en').fill('Safety');
    await page.getByRole('button', { name: 'Enregistrer le groupe' }).click();
    await page.getByRole('table', { name: 'Groupes' }).getByRole('row', { name: /securite\s+Sécurité\s+Safety/ }).waitFor();
    await accessible(page, 'catalogue with groups');
  });

  test('a question’s choices are typed key by key, in French then English, and reach the API in both languages', async () => {
    await page.getByRole('link', { name: 'Modifier tag-graffiti' }).click();
    await focused(page, 'Catégorie tag-graffiti');
    await page.locator('#add-attribute').click();
    const i = (await page.locator('fieldset legend', { hasText: /^Question \d+$/ }).count()) - 1;
    await page.locator(`#attr-code-${i}`).fill('support');
    await page.locator(`#attr-type-${i}`).selectOption('singlevaluelist');
    await page.locator(`#attr-q-${i}-fr`).fill('Sur quoi est le tag ?');
    await page.locator(`#attr-q-${i}-en`).fill('What is the tag on?');
    const fr = page.locator(`#attr-values-${i}`);
    await fr.pressSequentially('mur=Un mur\nmobilier=Du mobilier urbain');
    assert.equal(await fr.inputValue(), 'mur=Un mur\nmobilier=Du mobilier urbain', 'the text stays as typed');
    await page.locator(`#attr-values-${i}-en`).pressSequentially('mur=A wall\nmobilier=Street furniture');
    await page.getByRole('button', { name: 'Enregistrer la catégorie' }).click();
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();
    const english = (await (await bo.publicApi('services/tag-graffiti.json?jurisdiction_id=ville.example&locale=en')).json()) as { attributes: { code: string; description: string; values: { key: string; name: string }[] }[] };
    const support = english.attributes.find((a) => a.code === 'support')!;
    assert.equal(support.description, 'What is the tag on?');
    assert.deepEqual(support.values, [{ key: 'mur', name: 'A wall' }, { key: 'mobilier', name: 'Street furniture' }]);
    await page.reload();
    await page.locator(`#attr-values-${i}-en`).waitFor();
    assert.equal(await page.locator(`#attr-values-${i}-en`).inputValue(), 'mur=A wall\nmobilier=Street furniture', 'kept when edited again');
  });

  test('the catalogue downloads as an Open311 document, and a changed copy imports', async () => {
    await open(page, 'Catalogue', 'Catalogue');
    const link = page.getByRole('link', { name: 'Télécharger le catalogue' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'catalogue-ville.example.json');
    const doc = JSON.parse(await text(await download.createReadStream())) as { jurisdiction: { id: string }; services: { code: string; active?: boolean }[] };
    assert.equal(doc.jurisdiction.id, 'ville.example');
    doc.services.find((s) => s.code === 'compliment')!.active = false;
    await page.locator('#import-file').setInputFiles({ name: 'catalogue.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();
    assert.ok(!(await services()).includes('compliment'), 'a service retired by the import is no longer offered');
    await page.locator('#import-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{ pas du JSON') });
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await said(page).filter({ hasText: 'notes.json n’est pas un fichier JSON' }).waitFor();
  });

  test('routing: the town’s area refuses reports outside it; a department with a zone takes what its rule gives it', async () => {
    await open(page, 'Aiguillage', 'Aiguillage');
    await accessible(page, 'routing');
    await page.locator('#area-file').setInputFiles(geojson('commune.geojson', { type: 'Feature', properties: {}, geometry: square(0.6, 47.35, 0.8, 47.45) }));
    await page.getByRole('button', { name: 'Enregistrer le territoire' }).click();
    await page.getByText('Un territoire est défini').waitFor();
    const outside = await report('47.60', '0.70');
    assert.equal(outside.status, 400);
    assert.match(await outside.text(), /outside the area/);

    await page.locator('#dept-name').fill('Propreté nord');
    await page.locator('#dept-agency').fill('Propreté — secteur nord');
    await page.locator('#dept-zone').setInputFiles(geojson('nord.geojson', square(0.6, 47.40, 0.8, 47.45)));
    await page.getByRole('button', { name: 'Enregistrer le service' }).click();
    await page.getByRole('table', { name: 'Services' }).getByRole('row', { name: /Propreté nord.*défini/ }).waitFor();
    await page.getByRole('button', { name: 'Ajouter une règle' }).click();
    await page.locator('#rule-service-0').selectOption('tag-graffiti');
    await page.getByRole('button', { name: 'Enregistrer les règles' }).click();
    await said(page).filter({ hasText: 'Enregistré.' }).waitFor();
    const north = (await (await report('47.42', '0.70')).json()) as { service_request_id: string }[];
    const shown = (await (await bo.publicApi(`requests/${north[0]!.service_request_id}.json?jurisdiction_id=ville.example`)).json()) as { agency_responsible: string }[];
    assert.equal(shown[0]!.agency_responsible, 'Propreté — secteur nord');

    await page.locator('#dept-zone').setInputFiles(geojson('faux.geojson', { type: 'Point', coordinates: [0.7, 47.4] }));
    await page.locator('#dept-name').fill('Propreté nord');
    await page.getByRole('button', { name: 'Enregistrer le service' }).click();
    await said(page).filter({ hasText: 'Non effectué' }).waitFor();
    assert.match(await said(page).innerText(), /zone/, 'the problem names the zone');
  });

  test('a request is assigned to a department from its page; requests show on a map that opens them', async () => {
    await open(page, 'Signalements', 'Signalements');
    await page.getByRole('button', { name: 'Carte' }).click();
    const map = page.getByRole('region', { name: /Carte des signalements/ });
    await map.waitFor();
    const dots = map.locator('path.leaflet-interactive');
    await dots.first().waitFor();
    const listed = Number(/(\d+) signalements/.exec(await page.getByRole('status').filter({ hasText: 'signalements' }).innerText())![1]);
    assert.equal(await dots.count(), listed, 'one point per request found');
    await accessible(page, 'requests on a map');
    await dots.first().click();
    await focused(page, /^Signalement \d+/);
    await page.locator('#department').selectOption({ label: 'Propreté nord' });
    await page.getByRole('button', { name: 'Confier', exact: true }).click();
    await page.getByRole('row', { name: 'Service Propreté nord' }).waitFor();
    assert.deepEqual(errors.filter((e) => !/40[01]/.test(e)), [], 'no error in the page');
  });
});
