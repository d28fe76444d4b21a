import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addServices, createTestApp } from '../helpers/app.ts';
import { assertErrorBoth, getBoth } from '../helpers/georeport.ts';
import { schemaErrors } from '../helpers/schemas.ts';

interface ServiceJson {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: string;
  keywords: string;
  group: string;
}
interface AttributeJson {
  variable: boolean;
  code: string;
  datatype: string;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

describe('discovery', () => {
  test('lists the GeoReport v2 endpoint with its absolute URL, formats and contacts', async () => {
    const t = await createTestApp({ config: { publicUrl: 'https://311.ville.example/', contact: 'Mairie, 311@ville.example', keyService: 'https://www.ville.example/api', endpointType: 'test' } });
    const { json } = await getBoth(t, 'discovery');
    const d = json as { changeset: string; contact: string; key_service: string; endpoints: Record<string, unknown>[] };
    assert.match(d.changeset, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(d.contact, 'Mairie, 311@ville.example');
    assert.equal(d.key_service, 'https://www.ville.example/api');
    assert.deepEqual(d.endpoints, [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: 'https://311.ville.example/open311/v2/',
        changeset: d.changeset,
        type: 'test',
        formats: ['text/xml', 'application/json'],
      },
    ]);
  });
});

describe('service list', () => {
  test('services.xml is well-formed with root services; services.json is an array matching the Open311 schema', async () => {
    const t = await createTestApp();
    const { json, xml } = await getBoth(t, 'services');
    assert.equal(xml.name, 'services');
    assert.ok(Array.isArray(json) && json.length === 17);
    assert.equal(schemaErrors('services.json', json), '');
  });

  test('each service carries code, name, description, metadata, type, keywords and group', async () => {
    const t = await createTestApp();
    const services = (await getBoth(t, 'services')).json as ServiceJson[];
    const streetlight = services.find((s) => s.service_code === 'lampadaire')!;
    assert.deepEqual(streetlight, {
      service_code: 'lampadaire',
      service_name: 'Lampadaire en panne',
      description: 'Lampadaire éteint, qui clignote, allumé en journée ou endommagé.',
      metadata: true,
      type: 'realtime',
      keywords: 'lampadaire, éclairage, lumière, candélabre, ampoule',
      group: 'Éclairage public',
    });
    assert.equal(services.find((s) => s.service_code === 'tag-graffiti')!.metadata, false, 'no attributes → metadata false');
    assert.equal(services.find((s) => s.service_code === 'encombrants')!.type, 'batch');
    const groups = new Set(services.map((s) => s.group));
    assert.deepEqual([...groups], ['Voirie', 'Propreté', 'Éclairage public', 'Espaces verts', 'Mobilier urbain', 'Eau et assainissement', 'Idées et remerciements']);
  });

  test('metadata is true exactly when the definition has at least one attribute', async () => {
    const t = await createTestApp();
    for (const s of (await (await t.get('services.json')).json()) as ServiceJson[]) {
      const def = (await (await t.get(`services/${s.service_code}.json`)).json()) as { attributes: unknown[] };
      assert.equal(s.metadata, def.attributes.length > 0, s.service_code);
    }
  });

  test('a service with an empty description is listed with an empty description', async () => {
    const t = await createTestApp();
    await addServices(t, [{ code: 'sans-description', name: 'Sans description' }]);
    const s = ((await (await t.get('services.json')).json()) as ServiceJson[]).find((x) => x.service_code === 'sans-description')!;
    assert.equal(s.description, '');
    assert.equal(s.group, '');
  });
});

describe('service definition', () => {
  test('services/{code}.json is an object with an attributes array; orders are unique, positive and sorted', async () => {
    const t = await createTestApp();
    const { json, xml } = await getBoth(t, 'services/lampadaire');
    assert.equal(xml.name, 'service_definition');
    assert.equal(schemaErrors('service-definition.json', json), '');
    const def = json as { service_code: string; attributes: AttributeJson[] };
    assert.equal(def.service_code, 'lampadaire');
    const orders = def.attributes.map((a) => a.order);
    assert.deepEqual(orders, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(def.attributes.map((a) => a.datatype).sort(), ['datetime', 'multivaluelist', 'number', 'singlevaluelist', 'string', 'string', 'text']);
  });

  test('attributes carry variable, code, datatype, required, datatype_description, order, description and list values', async () => {
    const t = await createTestApp();
    const def = (await (await t.get('services/lampadaire.json')).json()) as { attributes: AttributeJson[] };
    const [info, pole, , , fault] = def.attributes;
    assert.equal(info!.variable, false, 'informational text takes no input');
    assert.equal(info!.values, undefined);
    assert.deepEqual(pole, {
      variable: true,
      code: 'numero-poteau',
      datatype: 'string',
      required: false,
      datatype_description: 'Par exemple EP-1234',
      order: 2,
      description: 'Numéro inscrit sur le poteau',
    });
    assert.equal(fault!.required, true);
    assert.deepEqual(fault!.values!.map((v) => v.key), ['eteint', 'clignote', 'allume-jour', 'endommage']);
    assert.equal(fault!.values![0]!.name, 'Éteint');
  });

  test('a service without metadata answers 200 with an empty attributes list', async () => {
    const t = await createTestApp();
    const { status, json, xml } = await getBoth(t, 'services/tag-graffiti');
    assert.equal(status, 200);
    assert.deepEqual(json, { service_code: 'tag-graffiti', attributes: [] });
    assert.deepEqual(xml.children.map((c) => c.name), ['service_code', 'attributes']);
  });

  test('an unknown service code is a 404 naming it', async () => {
    const t = await createTestApp();
    await assertErrorBoth(t, 'services/inconnu', '', 404, /inconnu/);
  });

  test('a service code with dots is found (the extension is only the last dot)', async () => {
    const t = await createTestApp();
    await addServices(t, [{ code: 'voirie.trou', name: 'Trou' }]);
    const { status, json } = await getBoth(t, 'services/voirie.trou');
    assert.equal(status, 200);
    assert.equal((json as { service_code: string }).service_code, 'voirie.trou');
  });
});
