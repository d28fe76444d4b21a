import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ID_JUNK, MIXED } from '../helpers/bad-get.ts';
import { ALPHABETS, assertAnswer, BAD_ESCAPES, brief, countRows, createRng, encodePairs, NOT_DATETIME, NOT_DECIMAL, SEED, storeSnapshot, type Rng } from '../helpers/bad-input.ts';
import { file, pothole } from '../helpers/georeport.ts';

/**
 * The extensions of the map, duplicates, following, the filer's tracking call, open data and the page per
 * request, fed generated malformed input: never a 5xx, always a well-formed answer (an Open311 error list
 * when refused; a page for the pages), and a refused write changes nothing. Cases start from a valid call
 * and spoil one to three of its parameters.
 */
type Pairs = [string, string][];

const junk = (rng: Rng): string => {
  switch (rng.int(0, 6)) {
    case 0: return rng.pick(ID_JUNK);
    case 1: return rng.pick(NOT_DECIMAL);
    case 2: return rng.pick(NOT_DATETIME);
    case 3: return rng.text(0, 40, MIXED);
    case 4: return 'x'.repeat(rng.int(200, 5000));
    case 5: return String(rng.int(-1e6, 1e6) * (rng.chance(0.5) ? 1e-3 : 1e3));
    default: return '';
  }
};

/** A valid call with one to three parameters spoiled: a junk value, repeated, dropped, or an unknown one. */
function spoil(rng: Rng, valid: Pairs): { query: string; what: string } {
  const pairs: Pairs = valid.map(([k, v]) => [k, v]);
  const tricks: string[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const at = rng.int(0, pairs.length - 1);
    const trick = rng.int(0, 4);
    if (trick === 0 && pairs[at]) (pairs[at] = [pairs[at][0], junk(rng)]), tricks.push(`junk ${pairs[at][0]}`);
    else if (trick === 1 && pairs[at]) pairs.push([pairs[at][0], junk(rng)]), tricks.push(`repeated ${pairs[at][0]}`);
    else if (trick === 2 && pairs[at]) tricks.push(`dropped ${pairs.splice(at, 1)[0]![0]}`);
    else if (trick === 3) pairs.push([rng.text(1, 12, MIXED), junk(rng)]), tricks.push('unknown parameter');
    else tricks.push('raw bad escape');
  }
  let query = encodePairs(pairs);
  if (tricks.includes('raw bad escape')) query += `&${rng.pick(['lat', 'bbox', 'zoom', 'email', 'service_code'])}=${rng.pick(BAD_ESCAPES)}`;
  return { query, what: tricks.join(', ') };
}

const CASES = 250;
const followers = (t: TestApp) => countRows(t.engine, 'followers');

test('map and duplicates answer every malformed query with a protocol answer, never a 5xx', async () => {
  const t = await createTestApp();
  const rng = createRng(SEED ^ 0x3a9);
  const calls: [string, Pairs][] = [
    ['map', [['bbox', '0.60,47.35,0.77,47.44'], ['zoom', '14'], ['status', 'open'], ['service_code', 'nid-de-poule'], ['start_date', '2026-05-01T00:00:00Z']]],
    ['duplicates', [['service_code', 'nid-de-poule'], ['lat', '47.39'], ['long', '0.68'], ['jurisdiction_id', 'ville.example']]],
  ];
  for (const [resource, valid] of calls) {
    for (const format of ['json', 'xml'] as const) {
      assert.equal((await t.get(`${resource}.${format}?${encodePairs(valid)}`)).status, 200, `the untouched ${resource} call`);
      for (let n = 0; n < CASES; n++) {
        const { query, what } = spoil(rng, valid);
        const res = await t.get(`${resource}.${format}?${query}`);
        await assertAnswer(res, format, undefined, `seed ${SEED} ${resource}.${format} case ${n} [${what}] ?${brief(query)}`);
      }
    }
  }
});

test('a malformed follow is refused in the protocol format and changes nothing; an accepted one adds at most one', async () => {
  const t = await createTestApp({ config: { rateLimitIpPerMinute: 1e9, rateLimitKeyPerMinute: 1e9 } });
  const id = await file(t, pothole(t));
  const rng = createRng(SEED ^ 0xf011);
  const valid: Pairs = [['api_key', t.key], ['device_id', 'device-1'], ['email', 'voisin@exemple.fr'], ['email_updates', 'true'], ['locale', 'fr']];
  for (let n = 0; n < CASES * 2; n++) {
    const { query, what } = spoil(rng, valid);
    const before = await storeSnapshot(t.engine);
    const count = await followers(t);
    const format = rng.pick(['json', 'xml'] as const);
    const target = rng.chance(0.9) ? id : rng.pick(ID_JUNK.filter((j) => /^[\w-]+$/.test(j)));
    const res = await t.app.request(`http://localhost/open311/v2/requests/${encodeURIComponent(target)}/followers.${format}`, {
      method: 'POST', body: query, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const label = `seed ${SEED} follow case ${n} [${what}] ${brief(query)}`;
    if (res.status === 404 && target !== id && !/^[1-9]\d*$/.test(target)) continue; // not a follow URL at all
    await assertAnswer(res, format, undefined, label);
    if (res.status >= 400) {
      assert.equal(await storeSnapshot(t.engine), before, `refused, nothing changed: ${label}`);
      assert.equal(await followers(t), count, `refused, no follower: ${label}`);
    } else assert.ok((await followers(t)) - count <= 1, `at most one follower more: ${label}`);
  }
});

test('open data answers every malformed filter with a JSON error, never a 5xx', async () => {
  const t = await createTestApp();
  const rng = createRng(SEED ^ 0x0da7a);
  const valid: Pairs = [['bbox', '0.60,47.35,0.77,47.44'], ['status', 'open'], ['service_code', 'nid-de-poule'], ['start_date', '2026-05-01T00:00:00Z'], ['q', 'trou']];
  for (const path of ['export/requests.geojson', 'export/requests.csv', 'feeds/requests.atom']) {
    for (let n = 0; n < CASES; n++) {
      const { query, what } = spoil(rng, valid);
      const res = await t.app.request(`http://localhost/${path}?${query}`);
      const label = `seed ${SEED} ${path} case ${n} [${what}] ?${brief(query)}`;
      assert.ok(res.status < 500, `never a 5xx: ${label}`);
      if (res.status >= 400) {
        const body = (await res.json()) as { code: number; description: string }[];
        assert.ok(Array.isArray(body) && body.length > 0 && body.every((e) => e.code === res.status && e.description), `an Open311 error list: ${label}`);
      } else assert.equal(res.status, 200, label);
    }
  }
});

test('unsubscribe and confirmation links answer any token, method and body with a page, never a 5xx, and change nothing', async () => {
  const t = await createTestApp();
  await file(t, pothole(t, { email: 'habitant@exemple.fr', email_updates: 'true' }));
  const rng = createRng(SEED ^ 0x11e5);
  const tokens = (): string => {
    switch (rng.int(0, 5)) {
      case 0: return encodeURIComponent(rng.text(1, 80, MIXED));
      case 1: return 'A'.repeat(rng.int(1, 5000));
      case 2: return rng.pick(['%00', '%2F', '..', '%2e%2e', 'constructor', '__proto__', '%E0%A4%A']);
      case 3: return rng.pick(BAD_ESCAPES);
      case 4: return rng.pick(ID_JUNK).replace(/\W/g, '_') || '_';
      default: return 'Zq8mV3kP1xR7tY2wN5bH4cJ6'.slice(0, rng.int(19, 24));
    }
  };
  for (let n = 0; n < CASES; n++) {
    const path = `${rng.pick(['unsubscribe', 'confirm'])}/${tokens()}`;
    const method = rng.pick(['GET', 'POST', 'PUT', 'DELETE']);
    const before = (await storeSnapshot(t.engine)) + (await followers(t));
    const res = await t.app.request(`http://localhost/${path}`, { method, body: method === 'GET' ? undefined : rng.text(0, 200, MIXED) });
    const label = `seed ${SEED} case ${n} ${method} /${brief(path)}`;
    assert.ok(res.status < 500, `never a 5xx: ${label} answered ${res.status}`);
    assert.ok([200, 404].includes(res.status), `a page or not found: ${label} answered ${res.status}`);
    await res.arrayBuffer();
    assert.equal((await storeSnapshot(t.engine)) + (await followers(t)), before, `nothing changed: ${label}`);
  }
});

test('the tracking call answers every malformed query, id and token with a protocol answer, never a 5xx, and shows nothing without the token', async () => {
  const t = await createTestApp();
  const res = await t.post('requests.json', { ...pothole(t), extensions: 'true' });
  const [{ service_request_id: id, extended_attributes: { tracking_token: token } }] = (await res.json()) as { service_request_id: string; extended_attributes: { tracking_token: string } }[];
  const rng = createRng(SEED ^ 0x7ac);
  const valid: Pairs = [['tracking_token', token], ['jurisdiction_id', 'ville.example'], ['locale', 'fr']];
  for (const format of ['json', 'xml'] as const) {
    assert.equal((await t.get(`requests/${id}/tracking.${format}?${encodePairs(valid)}`)).status, 200, 'the untouched call');
    for (let n = 0; n < CASES; n++) {
      const { query, what } = spoil(rng, valid);
      const target = rng.chance(0.8) ? id : encodeURIComponent(rng.pick(ID_JUNK));
      const answer = await t.get(`requests/${target}/tracking.${format}?${query}`);
      const label = `seed ${SEED} tracking.${format} case ${n} [${what}] ${target} ?${brief(query)}`;
      const body = await assertAnswer(answer, format, undefined, label);
      if (answer.status === 200) assert.ok(query.includes(encodeURIComponent(token).slice(0, 20)), `only the token opens it: ${label} → ${JSON.stringify(body)}`);
    }
  }
});

test('a request’s page answers any id, language and header with a page (200, 304 or 404) under its policy, never a 5xx', async () => {
  const t = await createTestApp();
  const id = await file(t, pothole(t));
  const rng = createRng(SEED ^ 0x9a6e);
  const ids = () => rng.pick([id, id, encodeURIComponent(rng.pick(ID_JUNK)), encodeURIComponent(rng.text(1, 40, MIXED)), rng.pick(BAD_ESCAPES), 'A'.repeat(rng.int(16, 5000))]);
  for (let n = 0; n < CASES; n++) {
    const path = `${ids()}${rng.chance(0.5) ? `?${rng.pick(['lang', 'locale', 'x'])}=${rng.chance(0.5) ? rng.pick(['fr', 'en', 'de', '']) : rng.pick(BAD_ESCAPES)}` : ''}`;
    const headers: Record<string, string> = {};
    if (rng.chance(0.5)) headers['accept-language'] = rng.text(0, 60, ALPHABETS.ascii.concat([',', ';', '=', '*', '.']));
    if (rng.chance(0.3)) headers['if-none-match'] = rng.text(0, 40, ALPHABETS.ascii.concat(['"', ',', '*']));
    const res = await t.app.request(`http://localhost/requests/${path}`, { method: rng.pick(['GET', 'GET', 'HEAD']), headers });
    const label = `seed ${SEED} page case ${n} /requests/${brief(path)} ${JSON.stringify(headers)}`;
    assert.ok([200, 304, 404].includes(res.status), `a page, not modified or not found: ${label} answered ${res.status}`);
    if (res.status !== 304) {
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/i, label);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, label);
    }
    await res.arrayBuffer();
  }
});

test('following from a request’s page: a malformed form is refused with a page and changes nothing; an accepted one adds at most one', async () => {
  const t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:2525', rateLimitIpPerMinute: 1e9 } });
  const id = await file(t, pothole(t));
  const rng = createRng(SEED ^ 0xf0f);
  const valid: Pairs = [['email', 'voisine@exemple.fr'], ['lang', 'fr']];
  const post = (target: string, body: string) => t.app.request(`http://localhost/requests/${target}/follow`, {
    method: 'POST', body, headers: { 'content-type': rng.pick(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) },
  });
  const untouched = await post(id, encodePairs(valid));
  assert.equal(untouched.status, 200, 'the untouched form');
  for (let n = 0; n < CASES * 2; n++) {
    const { query, what } = spoil(rng, valid);
    const body = rng.chance(0.05) ? `email=${'x'.repeat(9000)}` : query;
    const target = rng.chance(0.9) ? id : encodeURIComponent(rng.pick(ID_JUNK));
    const before = (await storeSnapshot(t.engine)) + (await followers(t));
    const count = await followers(t);
    const res = await post(target, body);
    const label = `seed ${SEED} page follow case ${n} [${what}] ${target} ${brief(body)}`;
    assert.ok([200, 400, 404, 413].includes(res.status), `a page: ${label} answered ${res.status}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/i, label);
    await res.arrayBuffer();
    if (res.status !== 200) assert.equal((await storeSnapshot(t.engine)) + (await followers(t)), before, `refused, nothing changed: ${label}`);
    else assert.ok((await followers(t)) - count <= 1, `at most one follower more: ${label}`);
  }
});
