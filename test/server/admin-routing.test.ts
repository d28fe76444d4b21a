import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contains, parseArea, type Area } from '../../server/requests/geometry.ts';
import { createTestApp } from '../helpers/app.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { busApp, lease } from '../helpers/bus.ts';
import { file, pothole } from '../helpers/georeport.ts';

const J = 'j/ville.example';
/** A square (long, lat) from (x0, y0) to (x1, y1), with an optional square hole. */
const square = (x0: number, y0: number, x1: number, y1: number, hole?: [number, number, number, number]) => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], ...(hole ? [[[hole[0], hole[1]], [hole[2], hole[1]], [hole[2], hole[3]], [hole[0], hole[3]], [hole[0], hole[1]]]] : [])],
});

test('areas: polygons, holes, multipolygons and features; malformed ones are named', () => {
  const area = parseArea({ type: 'Feature', geometry: square(0, 47, 1, 48, [0.4, 47.4, 0.6, 47.6]) }) as Area;
  assert.equal(contains(area, 47.2, 0.2), true);
  assert.equal(contains(area, 47.5, 0.5), false, 'in the hole');
  assert.equal(contains(area, 48.5, 0.5), false);
  const multi = parseArea({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(0, 0, 1, 1) }, { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(5, 5, 6, 6).coordinates] } }] }) as Area;
  assert.equal(contains(multi, 5.5, 5.5), true);
  for (const bad of [null, { type: 'Point', coordinates: [0, 0] }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] }]) {
    assert.equal(typeof parseArea(bad), 'string', JSON.stringify(bad));
  }
});

test('rules by service and zone give new requests their department, agency and bus app', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const north = await busApp(t, { name: 'GRC Nord' });
  const everyone = await busApp(t, { name: 'SIG' });
  assert.equal((await admin(t, s, 'PUT', `${J}/departments`, { departments: [
    { name: 'Voirie Nord', agency: 'Voirie — secteur nord', zone: square(0.6, 47.395, 0.8, 47.5), bus_app_id: north.app.id },
    { name: 'Voirie', agency: 'Direction de la voirie', bus_app_id: everyone.app.id },
  ] })).status, 200);
  const rules = await admin(t, s, 'PUT', `${J}/routing`, { rules: [{ service_code: 'nid-de-poule', department: 'Voirie Nord' }, { service_code: null, department: 'Voirie' }] });
  assert.deepEqual(rules.body.rules, [{ service_code: 'nid-de-poule', department: 'Voirie Nord' }, { service_code: null, department: 'Voirie' }]);
  const inNorth = await file(t, pothole(t, { lat: '47.40', long: '0.70' }));
  const inSouth = await file(t, pothole(t, { lat: '47.38', long: '0.70' }));
  const shown = async (id: string) => ((await (await t.get(`requests/${id}.json`)).json()) as { agency_responsible: string }[])[0]!.agency_responsible;
  assert.equal(await shown(inNorth), 'Voirie — secteur nord');
  assert.equal(await shown(inSouth), 'Direction de la voirie');
  const staffView = (await admin(t, s, 'GET', `${J}/requests/${inNorth}`)).body;
  assert.equal(staffView.assigned_department, Number(rules.body.departments.find((d: { name: string }) => d.name === 'Voirie Nord').id));
  assert.deepEqual((await lease(t, north.secret, '?max=10')).map((m) => m.request.service_request_id), [inNorth], 'the zone’s CRM');
  assert.deepEqual((await lease(t, everyone.secret, '?max=10')).map((m) => m.request.service_request_id), [inSouth], 'each app takes what is routed to it');
  const bad = await admin(t, s, 'PUT', `${J}/routing`, { rules: [{ service_code: 'nope', department: 'Personne' }] });
  assert.equal(bad.body.error.problems.length, 2);
  assert.equal((await admin(t, s, 'GET', `${J}/routing`)).body.rules.length, 2, 'refused: unchanged');
});

test('a department changed or the rules replaced apply from the very next filing (filings read routing from a cache)', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  const agency = async (id: string) => ((await (await t.get(`requests/${id}.json`)).json()) as { agency_responsible: string }[])[0]!.agency_responsible;
  await admin(t, s, 'PUT', `${J}/departments`, { departments: [{ name: 'Voirie', agency: 'Direction de la voirie' }, { name: 'Propreté', agency: 'Service propreté urbaine' }] });
  await admin(t, s, 'PUT', `${J}/routing`, { rules: [{ service_code: null, department: 'Voirie' }] });
  assert.equal(await agency(await file(t, pothole(t))), 'Direction de la voirie');
  await admin(t, s, 'PUT', `${J}/departments`, { departments: [{ name: 'Voirie', agency: 'Voirie, secteur unique' }] });
  assert.equal(await agency(await file(t, pothole(t))), 'Voirie, secteur unique', 'the department changed');
  await admin(t, s, 'PUT', `${J}/routing`, { rules: [{ service_code: null, department: 'Propreté' }] });
  assert.equal(await agency(await file(t, pothole(t))), 'Service propreté urbaine', 'the rules replaced');
});

test('a request outside the jurisdiction’s area is refused, or referred with the city’s note', async () => {
  const t = await createTestApp();
  const s = await staffWith(t, 'administrator');
  await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside: 'refuse' });
  const res = await t.post('requests.json', pothole(t, { lat: '47.60', long: '0.70' }));
  assert.equal(res.status, 400);
  assert.match(JSON.stringify(await res.json()), /outside the area of Montclair-sur-Loire/);
  assert.equal((await t.post('requests.json', pothole(t, { lat: '47.40', long: '0.70' }))).status, 200);
  await admin(t, s, 'PUT', `${J}/area`, { area: square(0.6, 47.35, 0.8, 47.45), outside: 'refer', refer_note: 'Transmis à la commune voisine.' });
  const referred = await file(t, pothole(t, { lat: '47.60', long: '0.70' }));
  const [shown] = (await (await t.get(`requests/${referred}.json?extensions=true`)).json()) as Record<string, any>[];
  assert.deepEqual([shown!.status, shown!.extended_attributes.detailed_status, shown!.status_notes], ['closed', 'referred', 'Transmis à la commune voisine.']);
  const intake = await admin(t, await staffWith(t, 'agent'), 'POST', `${J}/intake`, { channel: 'counter', service_code: 'tag-graffiti', lat: '47.60', long: '0.70' });
  assert.equal(intake.body.detailed_status, 'referred');
  assert.equal((await admin(t, s, 'PUT', `${J}/area`, { area: { type: 'Polygon', coordinates: [] } })).status, 400);
});

test('an agent assigns a request to a department of the town (its agency shown publicly); another town’s or none is refused', async () => {
  const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
  const s = await staffWith(t, 'administrator', { 'autre.example': 'administrator' });
  const routing = await admin(t, s, 'PUT', `${J}/departments`, { departments: [{ name: 'Propreté', agency: 'Service propreté urbaine' }] });
  const id = routing.body.departments[0].id as string;
  const elsewhere = (await admin(t, s, 'PUT', 'j/autre.example/departments', { departments: [{ name: 'Voirie', agency: 'Voirie d’à côté' }] })).body.departments[0].id as string;
  const filed = await file(t, pothole(t, { jurisdiction_id: 'ville.example' }));
  const agent = await staffWith(t, 'agent');
  assert.equal((await admin(t, agent, 'POST', `${J}/requests/${filed}/assign`, { department_id: id })).status, 200);
  assert.equal((await admin(t, agent, 'GET', `${J}/requests/${filed}`)).body.assigned_department, Number(id));
  const shown = ((await (await t.get(`requests/${filed}.json?jurisdiction_id=ville.example`)).json()) as { agency_responsible: string }[])[0]!;
  assert.equal(shown.agency_responsible, 'Service propreté urbaine');
  for (const bad of [9999, '9999', 'Propreté', 1.5, elsewhere]) {
    const res = await admin(t, agent, 'POST', `${J}/requests/${filed}/assign`, { department_id: bad });
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(typeof res.body.error.message, 'string');
  }
  assert.equal((await admin(t, agent, 'GET', `${J}/requests/${filed}`)).body.assigned_department, Number(id), 'unchanged');
  assert.equal((await admin(t, agent, 'POST', `${J}/requests/${filed}/assign`, { department_id: null })).status, 200);
  assert.equal((await admin(t, agent, 'GET', `${J}/requests/${filed}`)).body.assigned_department, null);
});
