import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { parseXml, xmlToJson, jsonAsText } from '../helpers/xml.ts';

test('services.xml and services.json carry the same catalogue', async () => {
  const t = await createTestApp();
  const json = await (await t.get('services.json')).json();
  const xml = parseXml(await (await t.get('services.xml')).text());
  assert.deepEqual(xmlToJson(xml.root), jsonAsText(json));
});
