import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBody, file, pothole } from '../helpers/georeport.ts';
import { parseXml, type XmlNode } from '../helpers/xml.ts';

const root = (t: TestApp, path: string) => t.app.request(`http://localhost/${path}`);
const PERSONAL = { email: 'secret@exemple.fr', first_name: 'Camille', last_name: 'Secrète', phone: '0601020304', device_id: 'dev-secret' };
const HOSTILE = '<script>window.__xss=1</script> & "quotes", =HYPERLINK("http://evil")';

/** Parses one CSV document (RFC 4180) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

test('the GeoJSON export holds the public fields of matching requests, as points, and no personal data', async () => {
  const t = await createTestApp();
  const id = await file(t, pothole(t, { ...PERSONAL, description: HOSTILE, lat: '47.3951', long: '0.6901' }));
  const res = await root(t, `export/requests.geojson?service_code=nid-de-poule`);
  assert.equal(res.headers.get('content-type'), 'application/geo+json; charset=utf-8');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const text = await res.text();
  for (const v of Object.values(PERSONAL)) assert.ok(!text.includes(v), `no ${v}`);
  const doc = JSON.parse(text) as { type: string; features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] };
  assert.equal(doc.type, 'FeatureCollection');
  const f = doc.features.find((x) => x.id === id)!;
  assert.deepEqual(f.geometry.coordinates, [0.6901, 47.3951]);
  assert.equal(f.properties.description, HOSTILE);
  assert.equal(f.properties.service_code, 'nid-de-poule');
  assert.ok(doc.features.every((x) => x.properties.service_code === 'nid-de-poule'));
});

test('the CSV export is RFC 4180 with a header, keeps markup as text and defuses spreadsheet formulas', async () => {
  const t = await createTestApp();
  const id = await file(t, pothole(t, { ...PERSONAL, description: `${HOSTILE}\nligne 2`, address_string: '-1 rue, du "Port"' }));
  const res = await root(t, 'export/requests.csv?status=open');
  assert.match(res.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
  const text = await res.text();
  for (const v of Object.values(PERSONAL)) assert.ok(!text.includes(v), `no ${v}`);
  const [header, ...rows] = parseCsv(text);
  assert.equal(header![0], 'service_request_id');
  const row = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === id)![i]]));
  assert.equal(row.description, `${HOSTILE}\nligne 2`);
  assert.equal(row.address, `'-1 rue, du "Port"`, 'a leading minus could start a formula');
  assert.equal(row.lat, '47.39', 'numbers stay numbers');
  assert.ok(rows.every((r) => r.length === header!.length));
});

test('the Atom feed lists requests by last change, for an area, with markup escaped as text', async () => {
  const t = await createTestApp();
  const inside = await file(t, pothole(t, { description: HOSTILE, lat: '47.3951', long: '0.6901' }));
  t.clock.ms += 60_000;
  const outside = await file(t, pothole(t, { lat: '47.30', long: '0.60' }));
  const res = await root(t, 'feeds/requests.atom?bbox=0.69,47.39,0.70,47.40&service_code=nid-de-poule');
  assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
  const text = await res.text();
  assert.ok(!text.includes('<script>'), 'markup is escaped');
  const feed = parseXmlWithNamespaces(text);
  assert.equal(feed.name, 'feed');
  const entries = feed.children.filter((c) => c.name === 'entry');
  const ids = entries.map((e) => e.children.find((c) => c.name === 'id')!.text);
  assert.ok(ids.some((i) => i.endsWith(`/requests/${inside}.json`)));
  assert.ok(!ids.some((i) => i.endsWith(`/requests/${outside}.json`)), 'outside the area');
  const entry = entries.find((e) => e.children.find((c) => c.name === 'id')!.text.endsWith(`/${inside}.json`))!;
  assert.equal(entry.children.find((c) => c.name === 'content')!.text, HOSTILE);
  assert.equal(entry.children.find((c) => c.name === 'georss:point')!.text, '47.3951 0.6901');
  const titles = entries.map((e) => e.children.find((c) => c.name === 'title')!.text);
  assert.ok(titles.every((x) => x.includes('Nid-de-poule')));
});

test('bad export filters get an Open311 JSON error', async () => {
  const t = await createTestApp();
  for (const path of ['export/requests.csv?status=maybe', 'export/requests.geojson?bbox=1,2', 'feeds/requests.atom?start_date=hier']) {
    const res = await root(t, path);
    assert.equal(res.status, 400, path);
    assertErrorBody(await res.json(), 400);
  }
});

/**
 * The feed uses namespaces (Atom, GeoRSS), which the Open311 helper refuses: parsed just as strictly with
 * the declarations taken out and `georss:` kept as part of the names.
 */
function parseXmlWithNamespaces(text: string): XmlNode {
  const rename = (node: XmlNode): XmlNode => ({ ...node, name: node.name.replace(/^georss_/, 'georss:'), children: node.children.map(rename) });
  return rename(parseXml(text.replace(/ xmlns(:\w+)?="[^"]*"/g, '').replace(/<(\/?)georss:/g, '<$1georss_')).root);
}
