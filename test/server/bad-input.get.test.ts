import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import {
  ENDPOINTS,
  HEADER_NOISE,
  MIXED,
  NAME_TRICKS,
  QUERY_TRICKS,
  junkParams,
  readsQuery,
  type Endpoint,
} from '../helpers/bad-get.ts';
import {
  ALPHABETS,
  SEED,
  assertAnswer,
  brief,
  createRng,
  encodePairs,
  encodeSegment,
  formatOfUrl,
  isGeoReportUrl,
  type Format,
} from '../helpers/bad-input.ts';

const FORMATS: readonly Format[] = ['xml', 'json'];

interface Fixture {
  t: TestApp;
  id: string;
  token: string;
}

/** The demo city plus one published request and one batch token, so every resource has a real name. */
async function fixture(): Promise<Fixture> {
  // The test clock stands still: widget-config's per-address budget would never come back.
  const t = await createTestApp({ config: { rateLimitIpPerMinute: 1e9 } });
  const file = async (fields: Record<string, string>) => {
    const res = await t.post('requests.json', { api_key: t.key, ...fields });
    assert.equal(res.status, 200);
    return ((await res.json()) as Record<string, string>[])[0]!;
  };
  const { service_request_id: id } = await file({
    service_code: 'nid-de-poule',
    'attribute[taille]': 'petit',
    lat: '47.39',
    long: '0.68',
  });
  const { token } = await file({
    service_code: 'encombrants',
    address_string: '1 rue Haute',
    'attribute[objets]': 'un buffet',
  });
  return { t, id: id!, token: token! };
}

/** The resource path of an endpoint, with `name` in place of its real service code, id or token. */
function resource(f: Fixture, endpoint: Endpoint, name?: string): string {
  if (endpoint === 'service') return `services/${name ?? 'nid-de-poule'}`;
  if (endpoint === 'request') return `requests/${name ?? f.id}`;
  if (endpoint === 'token') return `tokens/${name ?? f.token}`;
  if (endpoint === 'updates') return 'servicerequestupdates';
  if (endpoint === 'widget-config') return 'widget-config';
  return endpoint;
}

const call = (f: Fixture, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  f.t.app.request(BASE + path, { method, headers });

test('the untouched resources answer 200 in both formats, so every failure below comes from its trick', async () => {
  const f = await fixture();
  for (const endpoint of ENDPOINTS) {
    for (const format of FORMATS) {
      const path = `${resource(f, endpoint)}.${format}`;
      await assertAnswer(await call(f, path), format, 200, `GET ${path}`);
    }
  }
});

test('every GET resource answers generated malformed queries with its status and an Open311 error body', async () => {
  const f = await fixture();
  const rng = createRng(SEED ^ 0x9e7);
  let n = 0;
  for (let round = 0; round < 6; round++) {
    for (const trick of QUERY_TRICKS) {
      for (const endpoint of ENDPOINTS) {
        for (const format of FORMATS) {
          const parts = [
            trick.make(rng),
            ...(rng.chance(0.3) ? [junkParams(rng, rng.int(1, 3))] : []),
          ];
          if (rng.chance(0.5)) parts.reverse();
          const headers = Object.fromEntries(rng.chance(0.3) ? [rng.pick(HEADER_NOISE)] : []);
          const path = `${resource(f, endpoint)}.${format}?${parts.join('&')}`;
          const what = `seed ${SEED} query case ${n++} (${trick.name}): GET ${brief(path)} ${JSON.stringify(headers)}`;
          await assertAnswer(await call(f, path, headers), format, trick.status(endpoint), what);
        }
      }
    }
  }
  assert.equal(n, 6 * QUERY_TRICKS.length * ENDPOINTS.length * FORMATS.length);
});

test('a wrong service code, request id or token in the path is a 404 in the requested format', async () => {
  const f = await fixture();
  const rng = createRng(SEED ^ 0x404);
  let n = 0;
  for (let round = 0; round < 8; round++) {
    for (const trick of NAME_TRICKS) {
      for (const endpoint of ['service', 'request', 'token'] as const) {
        for (const format of FORMATS) {
          const real = resource(f, endpoint).split('/')[1]!;
          const path = `${resource(f, endpoint, trick.make(rng, real))}.${format}`;
          const what = `seed ${SEED} name case ${n++} (${trick.name}): GET ${brief(path)}`;
          await assertAnswer(await call(f, path), format, 404, what);
        }
      }
    }
  }
});

test('unknown paths, extensions, double slashes and other methods are a 404 with an Open311 error body', async () => {
  const f = await fixture();
  const rng = createRng(SEED ^ 0x1f);
  const EXTENSIONS = [
    '.xml',
    '.json',
    '.XML',
    '.Json',
    '',
    '.html',
    '.txt',
    '.xml/',
    '.json.',
    '.jsonp',
    '.xml%00',
    '.json;x=1',
  ];
  const PREFIXES = [
    'z',
    'open311/v2/',
    'SERVICES',
    'Requests',
    'service',
    'request',
    'token',
    'tokens',
    'requests/1/',
  ];
  const fmt = () => rng.pick(['xml', 'json']);
  const cases: { method: string; path: string }[] = [];
  for (let i = 0; i < 300; i++) {
    const real = resource(f, rng.pick(ENDPOINTS));
    const path = rng.pick([
      () => `${rng.pick(PREFIXES)}${encodeSegment(rng.text(0, 20, MIXED))}${rng.pick(EXTENSIONS)}`,
      () => `${real}${rng.pick(EXTENSIONS.slice(2))}`,
      () => `${real}.${fmt()}/`,
      () => `/${real}.${fmt()}`,
      () => `${real.includes('/') ? real.replace('/', '//') : `${real}//`}.${fmt()}`,
      () => `${real}/${rng.pick(['x', '', 'a/b'])}.${fmt()}`,
      () =>
        `${'z/'.repeat(rng.int(1, 2000))}${rng.text(0, 5_000, ALPHABETS.ascii.slice(0, 62))}.${fmt()}`,
    ])();
    cases.push({ method: 'GET', path });
  }
  for (const endpoint of ENDPOINTS) {
    for (const format of FORMATS) {
      for (const method of [
        'PUT',
        'DELETE',
        'PATCH',
        'PROPFIND',
        'FOO',
        ...(endpoint === 'requests' || endpoint === 'updates' ? [] : ['POST']),
      ]) {
        cases.push({ method, path: `${resource(f, endpoint)}.${format}` });
      }
    }
  }
  for (const [n, c] of cases.entries()) {
    const url = BASE + c.path;
    const what = `seed ${SEED} path case ${n}: ${c.method} ${brief(c.path)}`;
    assert.ok(isGeoReportUrl(url), `stays below the API base: ${what}`);
    await assertAnswer(await call(f, c.path, {}, c.method), formatOfUrl(url), 404, what);
  }
});

test('dot segments resolve to a resource or leave the API, and never produce a 5xx', async () => {
  const f = await fixture();
  const paths = [
    '../health',
    '../../open311/v2/services.json',
    'requests/../services.xml',
    'services/%2e%2e/discovery.json',
  ];
  paths.push(
    './services.json',
    '%2e%2e/%2e%2e/metrics',
    'services/../../v2/requests.json',
    '..',
    '.',
  );
  for (const path of paths) {
    const url = BASE + path;
    const res = await call(f, path);
    if (isGeoReportUrl(url))
      await assertAnswer(
        res,
        formatOfUrl(url),
        undefined,
        `GET ${path} → ${new URL(url).pathname}`,
      );
    else assert.ok(res.status < 500, `GET ${path} leaves the API without a 5xx; got ${res.status}`);
  }
});

test('with several jurisdictions every resource but discovery refuses a missing, unknown or doubled jurisdiction_id', async () => {
  const t = await createTestApp({ extraJurisdictions: ['autre.example'], config: { rateLimitIpPerMinute: 1e9 } });
  const f: Fixture = { t, id: '1', token: 'none' };
  const rng = createRng(SEED ^ 0x2);
  const cases: [string, (e: Endpoint) => number][] = [
    ['', readsQuery(400)],
    [encodePairs([['jurisdiction_id', '']]), readsQuery(400)],
    [encodePairs([['jurisdiction_id', `nulle-part-${rng.text(0, 20, MIXED)}`]]), readsQuery(404)],
    [
      encodePairs([
        ['jurisdiction_id', 'ville.example'],
        ['jurisdiction_id', 'autre.example'],
      ]),
      readsQuery(400),
    ],
    [
      encodePairs([['jurisdiction_id', 'autre.example']]),
      (e) => (e === 'request' || e === 'token' ? 404 : 200),
    ],
  ];
  for (const [query, status] of cases) {
    for (const endpoint of ENDPOINTS) {
      for (const format of FORMATS) {
        const path = `${resource(f, endpoint)}.${format}?${query}`;
        await assertAnswer(
          await call(f, path),
          format,
          status(endpoint),
          `seed ${SEED} GET ${brief(path)}`,
        );
      }
    }
  }
});
