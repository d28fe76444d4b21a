import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, staffWith } from '../helpers/admin.ts';
import { createTestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
const COMMON = ['duplicate', 'fixed', 'in_progress', 'not_fixed', 'planned', 'referred'];
type Template = { service_code: string; detailed_status: string; locale: string; text: string };

test('the demo city answers with templates in French and English for the common statuses of each category', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'readonly');
  const templates = (await admin(t, s, 'GET', `${J}/templates`)).body.templates as Template[];
  const codes = new Set(((await admin(t, s, 'GET', `${J}/catalogue`)).body.services as { code: string }[]).map((x) => x.code));
  for (const code of codes) {
    for (const locale of ['fr', 'en']) {
      const statuses = templates.filter((x) => x.service_code === code && x.locale === locale).map((x) => x.detailed_status).sort();
      // Thanks are thanked and passed on, never "planned" nor "fixed by the road crew".
      assert.deepEqual(statuses, code === 'compliment' ? ['fixed', 'referred'] : COMMON, `${code} in ${locale}`);
    }
  }
  const text = (code: string, status: string, locale: string) => templates.find((x) => x.service_code === code && x.detailed_status === status && x.locale === locale)?.text;
  assert.equal(text('nid-de-poule', 'fixed', 'fr'), 'Le nid-de-poule a été rebouché. Merci de votre signalement !', 'a category’s own words');
  assert.match(text('lampadaire', 'planned', 'en')!, /^Work has been scheduled/, 'else the words every category shares');
});

test('a request is offered the templates of its category in its reporter’s language, else the town’s; none where none exists', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'agent');
  const offered = async (id: string) => (await admin(t, s, 'GET', `${J}/requests/${id}/templates`)).body as { locale: string; templates: Template[] };

  const english = await offered(await file(t, pothole(t, { locale: 'en-GB' })));
  assert.equal(english.locale, 'en');
  assert.deepEqual(english.templates.map((x) => x.detailed_status), COMMON);
  assert.ok(english.templates.every((x) => x.service_code === 'nid-de-poule' && x.locale === 'en'));
  assert.equal(english.templates.find((x) => x.detailed_status === 'fixed')!.text, 'The pothole has been filled. Thank you for your report!');

  const french = await offered(await file(t, pothole(t)));
  assert.equal(french.locale, 'fr', 'the town’s language when the reporter gave none');
  assert.match(french.templates.find((x) => x.detailed_status === 'fixed')!.text, /rebouché/);

  const thanks = await offered(await file(t, { api_key: t.key, service_code: 'compliment', lat: '47.39', long: '0.68', description: 'Merci !' }));
  assert.deepEqual(thanks.templates.map((x) => x.detailed_status), ['fixed', 'referred']);

  // A template written for German is offered to German speakers only; an empty text takes one away.
  const administrator = await staffWith(t, 'administrator');
  await admin(t, administrator, 'PUT', `${J}/templates`, { service_code: 'nid-de-poule', detailed_status: 'fixed', locale: 'de', text: 'Das Schlagloch wurde verfüllt.' });
  await admin(t, administrator, 'PUT', `${J}/templates`, { service_code: 'nid-de-poule', detailed_status: 'duplicate', locale: 'fr', text: '' });
  const german = await offered(await file(t, pothole(t, { locale: 'de' })));
  assert.deepEqual(german.templates.map((x) => [x.detailed_status, x.text]), [['fixed', 'Das Schlagloch wurde verfüllt.']]);
  assert.deepEqual((await offered(await file(t, pothole(t)))).templates.map((x) => x.detailed_status), COMMON.filter((x) => x !== 'duplicate'));
});

test('another town’s request has no templates here', async () => {
  const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
  const s = await staffWith(t, 'agent', { 'autre.example': 'agent' });
  const elsewhere = await file(t, { ...pothole(t, { api_key: t.updatesKey }), jurisdiction_id: 'autre.example' });
  assert.equal((await admin(t, s, 'GET', `${J}/requests/${elsewhere}/templates`)).status, 404);
});
