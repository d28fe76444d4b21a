import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { file, pothole } from '../helpers/georeport.ts';

const PERSONAL = {
  email: 'jeanne.secret@exemple.fr',
  first_name: 'Jeannesecret',
  last_name: 'Dupontsecret',
  phone: '+33 6 99 88 77 66',
  device_id: 'device-secret-1234',
  account_id: 'account-secret-5678',
  organisation: 'Association secrète des riverains',
};

test('personal fields posted are kept privately and appear in no public GET, XML or JSON', async () => {
  const t = await createTestApp();
  const id = await file(t, pothole(t, { ...PERSONAL, description: 'Trou profond' }));
  const stored = await t.engine.one('SELECT email, first_name, last_name, phone, device_id, account_id, organisation FROM reporters WHERE request_id = ?', [Number(id)]);
  assert.deepEqual(stored, PERSONAL, 'the city keeps the contact to answer the resident');
  for (const fmt of ['json', 'xml']) {
    for (const path of [`requests/${id}.${fmt}`, `requests.${fmt}`, `requests.${fmt}?service_request_id=${id}`, `requests.${fmt}?status=open&service_code=nid-de-poule`]) {
      const res = await t.get(path);
      assert.equal(res.status, 200, path);
      const body = await res.text();
      assert.match(body, /Trou profond/, `${path} does show the request`);
      for (const [field, value] of Object.entries(PERSONAL)) {
        assert.ok(!body.includes(value), `${path} leaks ${field}`);
        assert.ok(!body.includes(`"${field}"`) && !body.includes(`<${field}>`), `${path} carries a ${field} field`);
      }
    }
  }
});

test('a reporter is recorded as an organisation, a person or anonymous, by what was given', async () => {
  const t = await createTestApp();
  const anonymous = await file(t, pothole(t));
  const person = await file(t, pothole(t, { email: 'a@exemple.fr' }));
  const organisation = await file(t, pothole(t, { email: 'b@exemple.fr', organisation: 'Comité de quartier' }));
  const kind = async (id: string) => (await t.engine.one<{ kind: string }>('SELECT kind FROM reporters WHERE request_id = ?', [Number(id)]))!.kind;
  assert.equal(await kind(anonymous), 'anonymous');
  assert.equal(await kind(person), 'person');
  assert.equal(await kind(organisation), 'organisation');
});
