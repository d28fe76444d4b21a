import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { admin, staffWith } from '../helpers/admin.ts';

const J = 'j/ville.example';
const codes = async (t: TestApp) => ((await (await t.get('services.json')).json()) as { service_code: string }[]).map((s) => s.service_code);

const STREET_FURNITURE = {
  code: 'mobilier', name: { fr: 'Mobilier urbain', en: 'Street furniture' }, group: 'voirie', type: 'realtime', sla_hours: 72, moderation: 'auto',
  attributes: [
    { code: 'objet', datatype: 'singlevaluelist', required: true, order: 1, description: { fr: 'Objet', en: 'Item' }, values: [{ key: 'banc', name: { fr: 'Banc', en: 'Bench' } }, { key: 'potelet', name: 'Potelet' }] },
    { code: 'nombre', datatype: 'number', order: 2, description: 'Combien ?' },
    { code: 'depuis', datatype: 'datetime', order: 3, description: 'Depuis quand ?' },
    { code: 'ou', datatype: 'multivaluelist', order: 4, description: 'Où ?', values: [{ key: 'parc', name: 'Parc' }, { key: 'rue', name: 'Rue' }] },
    { code: 'details', datatype: 'text', order: 5, description: 'Détails', public: false },
    { code: 'reference', datatype: 'string', order: 6, description: 'Numéro sur l’objet' },
    { code: 'info', datatype: 'string', variable: false, order: 7, description: 'Urgence : appelez le 17.' },
  ],
};

test('the catalogue exports in its import shape: importing the export changes nothing', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const first = (await admin(t, s, 'GET', `${J}/catalogue`)).body;
  assert.equal(first.jurisdiction.id, 'ville.example');
  assert.ok(first.services.length > 10 && first.groups.length > 3);
  assert.deepEqual(first.services.find((x: { code: string }) => x.code === 'lampadaire').name, { fr: 'Lampadaire en panne', en: 'Streetlight out' });
  const again = await admin(t, s, 'PUT', `${J}/catalogue`, first);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, first);
});

test('an administrator adds a service with attributes of every datatype; it is offered at once, in both languages', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const { status, body } = await admin(t, s, 'PUT', `${J}/services/mobilier`, STREET_FURNITURE);
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok((await codes(t)).includes('mobilier'));
  const en = (await (await t.get('services/mobilier.json?locale=en')).json()) as { attributes: { code: string; datatype: string; variable: boolean; description: string; values?: { name: string }[] }[] };
  assert.deepEqual(en.attributes.map((a) => a.datatype), ['singlevaluelist', 'number', 'datetime', 'multivaluelist', 'text', 'string', 'string']);
  assert.equal(en.attributes[0]!.description, 'Item');
  assert.deepEqual(en.attributes[0]!.values!.map((v) => v.name), ['Bench', 'Potelet']);
  assert.equal(en.attributes[6]!.variable, false);
  const exported = (await admin(t, s, 'GET', `${J}/catalogue`)).body.services.find((x: { code: string }) => x.code === 'mobilier');
  assert.equal(exported.attributes.find((a: { code: string }) => a.code === 'details').public, false);
});

test('retiring, reordering and grouping change services.json at once', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const doc = (await admin(t, s, 'GET', `${J}/catalogue`)).body;
  const tag = doc.services.find((x: { code: string }) => x.code === 'tag-graffiti');
  await admin(t, s, 'PUT', `${J}/services/tag-graffiti`, { ...tag, active: false });
  assert.ok(!(await codes(t)).includes('tag-graffiti'));
  await admin(t, s, 'PUT', `${J}/services/tag-graffiti`, { ...tag, active: true });
  await admin(t, s, 'POST', `${J}/services/order`, { codes: ['suggestion', 'nid-de-poule'] });
  // Groups come first in services.json's order; within a group, services follow the new order.
  const all = (await admin(t, s, 'GET', `${J}/catalogue`)).body.services.map((x: { code: string }) => x.code);
  assert.deepEqual(all.slice(0, 2), ['suggestion', 'nid-de-poule']);
  const renamed = await admin(t, s, 'PUT', `${J}/groups/voirie`, { code: 'voirie', name: { fr: 'Routes', en: 'Roads' } });
  assert.equal(renamed.status, 200);
  const listed = (await (await t.get('services.json?locale=en')).json()) as { service_code: string; group: string }[];
  assert.equal(listed.find((x) => x.service_code === 'nid-de-poule')!.group, 'Roads');
});

test('a bad service is refused with every problem and changes nothing; an agent may not change the catalogue', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const before = JSON.stringify((await admin(t, s, 'GET', `${J}/catalogue`)).body);
  const bad = await admin(t, s, 'PUT', `${J}/services/mobilier`, { ...STREET_FURNITURE, group: 'nulle-part', attributes: [{ code: 'x', datatype: 'colour', order: 0 }] });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error.problems.length >= 3, JSON.stringify(bad.body));
  // Worded for the one service edited: its fields, its questions by number and code.
  assert.ok(bad.body.error.problems.includes('question 1 (x): datatype must be one of string, number, datetime, text, singlevaluelist, multivaluelist'), JSON.stringify(bad.body));
  assert.ok(bad.body.error.problems.every((p: string) => !p.startsWith('services[')), JSON.stringify(bad.body));
  const odd = await admin(t, s, 'PUT', `${J}/services/mobilier`, { ...STREET_FURNITURE, name: { fr: 'Mobilier', zone: 'x' },
    attributes: [{ code: 'x', datatype: 'string', order: 1, description: { fr: { deep: 1 } }, required: 'yes' }] });
  assert.deepEqual(odd.body.error.problems.sort(), ['name is required', 'question 1 (x): description must be text', 'question 1 (x): required must be true or false'], 'texts by language code, flags as booleans');
  assert.equal((await admin(t, s, 'PUT', `${J}/services/autre`, STREET_FURNITURE)).status, 400, 'the code must be the path’s');
  assert.equal(JSON.stringify((await admin(t, s, 'GET', `${J}/catalogue`)).body), before);
  const agent = await staffWith(t, 'agent');
  assert.equal((await admin(t, agent, 'PUT', `${J}/services/mobilier`, STREET_FURNITURE)).status, 403);
  assert.equal((await admin(t, agent, 'GET', `${J}/catalogue`)).status, 200);
});

test('response templates per service, status and language: saved, listed, removed by an empty text', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const template = { service_code: 'nid-de-poule', detailed_status: 'fixed', locale: 'fr', text: 'Le trou a été rebouché. Merci de votre signalement.' };
  // The demo city has its own templates: these are the pothole's "fixed" ones, in each language.
  const fixed = (list: typeof template[]) => list.filter((x) => x.service_code === 'nid-de-poule' && x.detailed_status === 'fixed').map((x) => [x.locale, x.text]);
  assert.deepEqual(fixed((await admin(t, s, 'PUT', `${J}/templates`, template)).body.templates), [['en', 'The pothole has been filled. Thank you for your report!'], ['fr', template.text]]);
  await admin(t, s, 'PUT', `${J}/templates`, { ...template, locale: 'de', text: 'Das Schlagloch wurde verfüllt.' });
  assert.equal(fixed((await admin(t, s, 'GET', `${J}/templates`)).body.templates).length, 3);
  assert.deepEqual(fixed((await admin(t, s, 'PUT', `${J}/templates`, { ...template, text: '' })).body.templates).map(([locale]) => locale), ['de', 'en']);
  const bad = await admin(t, s, 'PUT', `${J}/templates`, { service_code: 'x', detailed_status: 'done', locale: 'français', text: 1 });
  assert.equal(bad.body.error.problems.length, 4);
});
