import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addServices, createKey, createTestApp, BASE } from '../helpers/app.ts';
import { assertErrorBody, assertErrorBoth, file, getBoth, pothole } from '../helpers/georeport.ts';
import { parseXml, xmlToJson } from '../helpers/xml.ts';

const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('every resource speaks XML and JSON alike', () => {
  test('each GET resource answers the same content in both formats with the right roots', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t));
    const token = ((await (await t.post('requests.json', { api_key: t.key, service_code: 'encombrants', address_string: '1 rue Haute', 'attribute[objets]': 'un buffet' })).json()) as { token: string }[])[0]!.token;
    const roots: [string, string][] = [
      ['discovery', 'discovery'],
      ['services', 'services'],
      ['services/lampadaire', 'service_definition'],
      ['requests', 'service_requests'],
      [`requests/${id}`, 'service_requests'],
      [`tokens/${token}`, 'service_requests'],
    ];
    for (const [resource, root] of roots) {
      const { status, xml } = await getBoth(t, resource);
      assert.equal(status, 200, resource);
      assert.equal(xml.name, root, `${resource} has root ${root}`);
    }
  });

  test('an unknown extension, or none, is a 404 with an error body, never an HTML page', async () => {
    const t = await createTestApp();
    for (const path of ['services.html', 'services', 'requests.csv', 'requests', 'services/lampadaire', 'discovery.txt', 'nothing.json']) {
      const res = await t.get(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', path);
      assertErrorBody(await res.json(), 404);
    }
    const xml = await t.get('nothing.xml');
    assert.equal(xml.status, 404);
    assert.equal(parseXml(await xml.text()).root.name, 'errors');
  });

  test('lists are arrays even with one item, in JSON', async () => {
    const t = await createTestApp();
    await addServices(t, [
      { code: 'seul', name: 'Seul', attributes: [{ code: 'choix', datatype: 'singlevaluelist', order: 1, values: [{ key: 'k', name: 'K' }] }] },
    ]);
    const id = await file(t, { api_key: t.key, service_code: 'seul', address_id: 'A1', media_url: 'https://img.example/1.jpg' });
    const one = (await (await t.get(`requests.json?service_request_id=${id}`)).json()) as unknown[];
    assert.ok(Array.isArray(one) && one.length === 1);
    const def = (await (await t.get('services/seul.json')).json()) as { attributes: { values: unknown[] }[] };
    assert.ok(Array.isArray(def.attributes) && def.attributes.length === 1);
    assert.ok(Array.isArray(def.attributes[0]!.values) && def.attributes[0]!.values.length === 1);
    const errors = await (await t.get('requests.json?status=foo')).json();
    assert.ok(Array.isArray(errors) && errors.length === 1);
    const discovery = (await (await t.get('discovery.json')).json()) as { endpoints: { formats: unknown[] }[] };
    assert.ok(Array.isArray(discovery.endpoints) && discovery.endpoints.length === 1);
    assert.ok(Array.isArray(discovery.endpoints[0]!.formats));
  });

  test('XML names list items by the spec (service, request, attribute, value, error, endpoint, format)', async () => {
    const t = await createTestApp();
    const def = (await getBoth(t, 'services/lampadaire')).xml;
    const attributes = def.children.find((c) => c.name === 'attributes')!;
    assert.ok(attributes.children.every((c) => c.name === 'attribute'));
    const values = attributes.children.flatMap((a) => a.children.filter((c) => c.name === 'values'));
    assert.ok(values.length >= 2 && values.every((v) => v.children.every((c) => c.name === 'value')));
    assert.ok((await getBoth(t, 'services')).xml.children.every((c) => c.name === 'service'));
    assert.ok((await getBoth(t, 'requests')).xml.children.every((c) => c.name === 'request'));
    const discovery = (await getBoth(t, 'discovery')).xml;
    const endpoint = discovery.children.find((c) => c.name === 'endpoints')!.children[0]!;
    assert.equal(endpoint.name, 'endpoint');
    assert.deepEqual(endpoint.children.find((c) => c.name === 'formats')!.children.map((c) => [c.name, c.text]), [
      ['format', 'text/xml'],
      ['format', 'application/json'],
    ]);
    assert.ok((await getBoth(t, 'requests', '?status=foo')).xml.children.every((c) => c.name === 'error'));
  });
});

describe('types and datetimes', () => {
  test('codes, ids and keys stay strings in JSON even when they look like numbers; lat/long are numbers', async () => {
    const t = await createTestApp();
    await addServices(t, [
      { code: '006', name: 'Trottoir', attributes: [{ code: '12', datatype: 'singlevaluelist', order: 1, values: [{ key: '1', name: 'Un' }] }] },
    ]);
    const id = await file(t, { api_key: t.key, service_code: '006', lat: '47', long: '1', address_id: '545483', 'attribute[12]': '1' });
    const services = (await (await t.get('services.json')).json()) as { service_code: unknown }[];
    assert.ok(services.some((s) => s.service_code === '006'));
    const def = (await (await t.get('services/006.json')).json()) as { service_code: unknown; attributes: { code: unknown; order: unknown; values: { key: unknown }[] }[] };
    assert.equal(def.service_code, '006');
    assert.equal(def.attributes[0]!.code, '12');
    assert.equal(def.attributes[0]!.order, 1);
    assert.equal(def.attributes[0]!.values[0]!.key, '1');
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as Record<string, unknown>[];
    assert.equal(r!.service_request_id, id);
    assert.equal(typeof r!.service_request_id, 'string');
    assert.equal(r!.service_code, '006');
    assert.equal(r!.address_id, '545483');
    assert.equal(r!.lat, 47);
    assert.equal(r!.long, 1);
  });

  test('booleans are native in JSON and true/false in XML', async () => {
    const t = await createTestApp();
    const { json, xml } = await getBoth(t, 'services');
    assert.ok((json as { metadata: unknown }[]).every((s) => typeof s.metadata === 'boolean'));
    const texts = xml.children.map((s) => s.children.find((c) => c.name === 'metadata')!.text);
    assert.ok(texts.includes('true') && texts.includes('false') && texts.every((x) => x === 'true' || x === 'false'));
  });

  test('datetimes go out in UTC as YYYY-MM-DDThh:mm:ssZ without milliseconds', async () => {
    const t = await createTestApp();
    t.clock.ms = Date.UTC(2026, 4, 1, 6, 30, 15, 987);
    const id = await file(t, pothole(t));
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { requested_datetime: string; updated_datetime: string }[];
    assert.equal(r!.requested_datetime, '2026-05-01T06:30:15Z');
    assert.match(r!.updated_datetime, UTC_SECONDS);
  });
});

describe('optional parameters, jurisdictions and keys', () => {
  test('an optional parameter passed empty behaves as if absent', async () => {
    const t = await createTestApp();
    const all = await (await t.get('requests.json')).json();
    for (const q of ['status=', 'service_code=', 'start_date=', 'end_date=', 'jurisdiction_id=', 'service_request_id=']) {
      assert.deepEqual(await (await t.get(`requests.json?${q}`)).json(), all, q);
    }
    const id = await file(t, pothole(t, { description: '', email: '', address_string: '' }));
    assert.match(id, /^\d+$/);
  });

  test('jurisdiction_id is optional with one jurisdiction, required with several, 404 when unknown', async () => {
    const one = await createTestApp();
    assert.equal((await one.get('services.json')).status, 200);
    await assertErrorBoth(one, 'services', '?jurisdiction_id=nowhere.example', 404, /nowhere\.example/);

    const two = await createTestApp({ extraJurisdictions: ['autre.example'] });
    await assertErrorBoth(two, 'services', '', 400, /jurisdiction_id was not provided/);
    await assertErrorBoth(two, 'requests', '', 400, /jurisdiction_id was not provided/);
    assert.equal((await two.get('services.json?jurisdiction_id=autre.example')).status, 200);
    const posted = await two.post('requests.json', pothole(two));
    assert.equal(posted.status, 400);
    assertErrorBody(await posted.json(), 400, /jurisdiction_id was not provided/);
    const withId = await two.post('requests.json', pothole(two, { jurisdiction_id: 'ville.example' }));
    assert.equal(withId.status, 200);
    const elsewhere = await two.post('requests.json', pothole(two, { jurisdiction_id: 'autre.example' }));
    assert.equal(elsewhere.status, 403, 'the demo key belongs to ville.example only');
  });

  test('each jurisdiction sees only its own requests', async () => {
    const t = await createTestApp({ extraJurisdictions: ['autre.example'] });
    const id = await file(t, pothole(t, { jurisdiction_id: 'autre.example', api_key: await createKey(t.engine, 'autre.example') }));
    assert.equal((await t.get(`requests/${id}.json?jurisdiction_id=autre.example`)).status, 200);
    assert.equal((await t.get(`requests/${id}.json?jurisdiction_id=ville.example`)).status, 404);
    const list = (await (await t.get('requests.json?jurisdiction_id=ville.example')).json()) as { service_request_id: string }[];
    assert.ok(!list.some((r) => r.service_request_id === id));
  });

  test('api_key is accepted from the body or the query string', async () => {
    const t = await createTestApp();
    const { api_key, ...rest } = pothole(t);
    assert.equal((await t.post(`requests.json?api_key=${api_key}`, rest)).status, 200);
    assert.equal((await t.post('requests.json', { api_key, ...rest })).status, 200);
  });

  test('a missing or invalid key is a 403, checked before any other validation', async () => {
    const t = await createTestApp();
    for (const body of [{}, { service_code: 'nope' }, { api_key: 'wrong', lat: '999' }, { api_key: '' }] as Record<string, string>[]) {
      for (const fmt of ['json', 'xml']) {
        const res = await t.post(`requests.${fmt}`, body);
        assert.equal(res.status, 403, JSON.stringify(body));
        const text = await res.text();
        const errors = fmt === 'json' ? JSON.parse(text) : xmlToJson(parseXml(text).root);
        assert.match(JSON.stringify(errors), /api_key/);
      }
    }
  });

  test('a GET carrying a key, even a wrong one, is never rejected for it', async () => {
    const t = await createTestApp();
    for (const path of ['services.json?api_key=wrong', 'requests.json?api_key=x', 'discovery.json?api_key=', `services/lampadaire.json?api_key=${t.key}`]) {
      assert.equal((await t.get(path)).status, 200, path);
    }
  });
});

describe('errors, CORS and text', () => {
  test('several errors come back at once, each naming its field', async () => {
    const t = await createTestApp();
    const res = await t.post('requests.json', { api_key: t.key, service_code: 'lampadaire', lat: '47', long: '1', 'attribute[nombre]': 'beaucoup', email: 'pas-un-email' });
    assert.equal(res.status, 400);
    assertErrorBody(await res.json(), 400, /attribute nombre must be a number/, /attribute panne is required/, /email/);
  });

  test('an internal failure answers 500 in the protocol format, without internals', async () => {
    const t = await createTestApp();
    await t.engine.close();
    for (const fmt of ['json', 'xml']) {
      const res = await t.get(`services.${fmt}`);
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.doesNotMatch(text, /at |\.ts|sqlite|database/i, 'no stack trace or internals');
      const errors = fmt === 'json' ? JSON.parse(text) : xmlToJson(parseXml(text).root);
      assert.deepEqual(errors, fmt === 'json' ? [{ code: 500, description: 'internal error', reason: 'server.internal' }] : [{ code: '500', description: 'internal error', reason: 'server.internal' }]);
    }
  });

  test('CORS: every GeoReport response allows other origins, errors included; preflight answers 204', async () => {
    const t = await createTestApp();
    const origin = { Origin: 'https://www.ville.example' };
    for (const path of ['services.json', 'requests.xml', 'services/nope.json', 'requests.json?status=foo']) {
      assert.equal((await t.get(path, origin)).headers.get('access-control-allow-origin'), '*', path);
    }
    const denied = await t.post('requests.json', {}, origin);
    assert.equal(denied.headers.get('access-control-allow-origin'), '*');
    const preflight = await t.app.request(`${BASE}requests.json`, {
      method: 'OPTIONS',
      headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  test('UTF-8 text round-trips and is escaped in XML', async () => {
    const t = await createTestApp();
    const text = 'Église « sombre » — 街灯 💡 <b>&amp;</b> "quoted" \'apos\'';
    const id = await file(t, pothole(t, { description: text, address_string: 'Place de l’Hôtel-de-Ville' }));
    const { json } = await getBoth(t, `requests/${id}`);
    assert.equal((json as { description: string }[])[0]!.description, text);
    assert.equal((json as { address: string }[])[0]!.address, 'Place de l’Hôtel-de-Ville');
  });

  test('characters XML forbids are stripped on input, so XML stays well-formed (vertical tab, NUL, U+FFFF)', async () => {
    const t = await createTestApp();
    const id = await file(t, pothole(t, { description: 'a\u000Bb\u0000c\uFFFFd\u0008e', address_string: 'rue\u000C du Port' }));
    const { json } = await getBoth(t, `requests/${id}`); // getBoth parses the XML strictly
    assert.equal((json as { description: string }[])[0]!.description, 'abcde');
    const all = await getBoth(t, 'requests');
    assert.equal(all.status, 200);
  });

  test('CRLF counts as one character: text is normalised to LF before the 4000-character check', async () => {
    const t = await createTestApp();
    const crlf = 'ab\r\n'.repeat(1300); // 5200 characters sent, 3900 once normalised
    const id = await file(t, pothole(t, { description: crlf }));
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { description: string }[];
    assert.equal(r!.description, 'ab\n'.repeat(1300));
    assert.equal((await t.post('requests.json', pothole(t, { description: 'x'.repeat(4000) }))).status, 200);
    assert.equal((await t.post('requests.json', pothole(t, { description: '💡'.repeat(4000) }))).status, 200, 'an emoji is one character');
    const tooLong = await t.post('requests.json', pothole(t, { description: 'x'.repeat(4001) }));
    assert.equal(tooLong.status, 400);
    assertErrorBody(await tooLong.json(), 400, /description/);
  });
});
