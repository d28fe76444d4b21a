import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createUpdatesStore } from '../../server/requests/updates.store.ts';
import { admin, staffWith } from '../helpers/admin.ts';
import { createKey, createTestApp, DEMO, type TestApp } from '../helpers/app.ts';
import { file, getBoth, pothole } from '../helpers/georeport.ts';

const METRICS_TOKEN = 'answer-cache-test-token';
const J = `j/${DEMO}`;

/** The public answer at `path` as a client keeping ETags sees it. */
async function look(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const res = await t.get(path, headers);
  assert.equal(res.status, 200, path);
  return { etag: res.headers.get('etag')!, body: await res.text(), res };
}

/** The answer cache's gauges, as an operator reads them on /metrics. */
async function cacheGauges(t: TestApp) {
  const text = await (await t.app.request('http://localhost/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)![1]);
  return { bytes: gauge('georeport_answer_cache_bytes'), entries: gauge('georeport_answer_cache_entries') };
}

const app = (config: Parameters<typeof createTestApp>[0] = {}) => createTestApp({ ...config, config: { metricsToken: METRICS_TOKEN, ...config.config } });

describe('HTTP caching of public reads', () => {
  test('the same URL twice has the same ETag, and a client holding it gets a 304 with no body', async () => {
    const t = await app();
    const id = await file(t, pothole(t));
    for (const path of ['requests.json', `requests/${id}.xml`, 'services.json', 'services/nid-de-poule.xml', 'discovery.json', 'map.json?bbox=0.60,47.35,0.77,47.44&zoom=14']) {
      const first = await look(t, path);
      const again = await look(t, path);
      assert.match(first.etag, /^W\/"[\w-]+"$/, path);
      assert.equal(again.etag, first.etag, path);
      assert.equal(again.body, first.body, path);
      // Browsers ask again each time (a resident sees their own filing at once); proxies and CDNs keep it 15 s.
      assert.equal(first.res.headers.get('cache-control'), 'public, max-age=0, s-maxage=15', path);
      assert.equal(first.res.headers.get('cdn-cache-control'), 'public, max-age=15, stale-while-revalidate=60', path);
      const revalidated = await t.get(path, { 'If-None-Match': first.etag });
      assert.equal(revalidated.status, 304, path);
      assert.equal(await revalidated.text(), '', path);
      assert.equal(revalidated.headers.get('etag'), first.etag, path);
      assert.equal((await t.get(path, { 'If-None-Match': '"something-else"' })).status, 200, path);
    }
  });

  test('errors and tracking tokens carry no ETag and no Cache-Control', async () => {
    const t = await app();
    for (const path of ['requests/999999.json', 'services/inconnu.json', 'requests.json?status=nope', 'tokens/nope.json']) {
      const res = await t.get(path);
      assert.ok(res.status >= 400, path);
      assert.equal(res.headers.get('etag'), null, path);
      assert.equal(res.headers.get('cache-control'), null, path);
    }
  });

  test('a large answer says it varies by Accept-Encoding and Accept-Language', async () => {
    const t = await app();
    const vary = (await t.get('requests.json')).headers.get('vary')!.split(/,\s*/);
    assert.ok(vary.includes('Accept-Encoding') && vary.includes('Accept-Language'), vary.join());
  });
});

describe('the answer cache', () => {
  test('a filing, a status update, a hidden photo and a follower each change the list and the request', async () => {
    const t = await app();
    const s = await staffWith(t, 'agent');
    const id = await file(t, pothole(t, { media_url: ['https://img.example/face.jpg', 'https://img.example/hole.jpg'] }));
    const paths = ['requests.json', 'requests.xml?extensions=true', `requests/${id}.json?extensions=true`, `requests.json?service_request_id=${id}`];
    const changes: [string, () => Promise<unknown>, string[]][] = [
      ['a filing', () => file(t, pothole(t, { description: 'Un autre trou' })), paths.slice(0, 2)],
      ['a status update', () => createUpdatesStore(t.engine).add({
        jurisdictionId: DEMO, requestId: Number(id), detailedStatus: 'in_progress', note: 'Équipe en route', public: true,
        actor: 'staff:1', updateId: null, expectedAt: null, now: Math.floor(t.clock.ms / 1000) + 60,
      }), paths],
      ['a hidden photo', async () => {
        const media = (await admin(t, s, 'GET', `${J}/requests/${id}`)).body.media as { id: string }[];
        assert.equal((await admin(t, s, 'POST', `${J}/requests/${id}/media/${media[0]!.id}/hide`)).status, 200);
      }, paths],
      ['a follower', () => t.post(`requests/${id}/followers.json`, { api_key: t.key, device_id: 'moi' }), paths.slice(1, 3)],
    ];
    for (const [what, change, changed] of changes) {
      const before = await Promise.all(changed.map((path) => look(t, path)));
      await change();
      for (const [i, path] of changed.entries()) {
        const after = await look(t, path, { 'If-None-Match': before[i]!.etag });
        assert.notEqual(after.etag, before[i]!.etag, `${what}: ${path}'s ETag`);
        assert.notEqual(after.body, before[i]!.body, `${what}: ${path}'s body`);
      }
    }
    const [shown] = JSON.parse((await look(t, `requests/${id}.json?extensions=true`)).body) as Record<string, any>[];
    assert.equal(shown!.media_url, 'https://img.example/hole.jpg', 'the hidden photo is gone from the cached answer');
    assert.equal(shown!.status_notes, 'Équipe en route');
    assert.equal(shown!.extended_attributes.followers, 1);
  });

  test('a held request never comes out of the cache, and shows once published', async () => {
    const t = await app();
    await t.engine.run("UPDATE services SET moderation = 'hold' WHERE code = 'nid-de-poule'");
    const warm = await look(t, 'requests.json');
    const id = await file(t, pothole(t, { description: 'En attente' }));
    for (let i = 0; i < 2; i++) {
      assert.doesNotMatch((await look(t, 'requests.json')).body, /En attente/);
      assert.doesNotMatch((await look(t, `requests.json?service_request_id=${id}`)).body, /En attente/);
      assert.equal((await t.get(`requests/${id}.json`)).status, 404);
    }
    assert.equal((await look(t, 'requests.json')).body, warm.body, 'the public list is what it was');
    const s = await staffWith(t, 'agent');
    assert.equal((await admin(t, s, 'POST', `${J}/requests/${id}/publish`)).status, 200);
    assert.match((await look(t, 'requests.json')).body, /En attente/);
    assert.match((await look(t, `requests/${id}.json`)).body, /En attente/);
  });

  test("a write in another town leaves this town's ETags alone", async () => {
    const t = await app({ extraJurisdictions: ['autre.example'] });
    const here = `requests.json?jurisdiction_id=${DEMO}`;
    const before = await look(t, here);
    const services = await look(t, `services.json?jurisdiction_id=${DEMO}`);
    await file(t, pothole(t, { jurisdiction_id: 'autre.example', api_key: await createKey(t.engine) }));
    assert.equal((await t.get(here, { 'If-None-Match': before.etag })).status, 304);
    await file(t, pothole(t, { jurisdiction_id: DEMO }));
    assert.equal((await t.get(here, { 'If-None-Match': before.etag })).status, 200);
    assert.equal((await t.get(`services.json?jurisdiction_id=${DEMO}`, { 'If-None-Match': services.etag })).status, 304, 'a filing leaves the catalogue alone');
  });

  test('the order of parameters and unknown parameters make no new entry', async () => {
    const t = await app();
    const first = await look(t, 'requests.json?status=open&page_size=5&extensions=false');
    const held = (await cacheGauges(t)).entries;
    for (const path of [
      'requests.json?page_size=5&extensions=false&status=open',
      'requests.json?extensions=false&status=open&page_size=5&utm_source=journal',
      'requests.json?status=open&page_size=5&extensions=false&_=1717236000000',
    ]) {
      assert.equal((await look(t, path)).etag, first.etag, path);
    }
    assert.equal((await cacheGauges(t)).entries, held);
    const next = (await t.get('requests.json?page_size=5&status=open&extensions=false&utm_source=journal')).headers.get('x-next-page-url')!;
    assert.match(next, /utm_source=journal/, "the next page keeps the caller's own parameters");
    assert.match(next, /page=2/);
  });

  test('the default window moves with the clock', async () => {
    const t = await app();
    const before = await look(t, 'requests.json');
    t.clock.ms += 200 * 86_400_000;
    const after = await look(t, 'requests.json', { 'If-None-Match': before.etag });
    assert.equal(after.res.status, 200);
    assert.deepEqual(JSON.parse(after.body), [], 'nothing filed in the last 90 days any more');
  });

  test('its memory stays within GEOREPORT_ANSWER_CACHE_MB however many distinct queries come', async () => {
    const t = await app({ config: { answerCacheMb: 1 } });
    let served = 0;
    for (let size = 1; size <= 60; size++) {
      for (const path of [`requests.json?page_size=${size}`, `requests.xml?page_size=${size}&extensions=true`]) {
        served += (await look(t, path)).body.length;
        const { bytes } = await cacheGauges(t);
        assert.ok(bytes <= 1024 * 1024, `${bytes} bytes held after ${path}`);
      }
    }
    assert.ok(served > 2 * 1024 * 1024, `the queries asked for more than the bound (${served} bytes)`);
    const { entries } = await cacheGauges(t);
    assert.ok(entries > 0 && entries < 120, `${entries} entries: the oldest made room`);
  });

  test('XML and JSON, gzip or not, French and English: each answer from the cache is the one asked for', async () => {
    const t = await app();
    for (let round = 0; round < 2; round++) {
      const { json } = await getBoth(t, 'requests', '?service_code=nid-de-poule');
      assert.ok((json as { service_name: string }[]).every((r) => r.service_name === 'Nid-de-poule'));
      const english = (await look(t, 'requests.json?service_code=nid-de-poule', { 'Accept-Language': 'en-GB,en;q=0.9' }));
      assert.ok((JSON.parse(english.body) as { service_name: string }[]).every((r) => r.service_name === 'Pothole'));
      assert.equal(english.res.headers.get('content-language'), 'en');
      const asked = (await look(t, 'requests.json?service_code=nid-de-poule&locale=en'));
      assert.equal(asked.etag, english.etag, 'the locale parameter and the header resolve to one answer');
      const french = await look(t, 'requests.json?service_code=nid-de-poule');
      assert.notEqual(french.etag, english.etag);
      const plain = await look(t, 'requests.xml');
      const zipped = await t.get('requests.xml', { 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(zipped.headers.get('content-encoding'), 'gzip');
      assert.equal(zipped.headers.get('etag'), plain.etag);
      assert.equal(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString(), plain.body);
      assert.equal(plain.res.headers.get('content-encoding'), null);
    }
  });

  test('many clients missing the same answer at once compute it once', async () => {
    const t = await app();
    const searches: string[] = [];
    const values = t.engine.values.bind(t.engine);
    // Counts the statements that read a list's rows (every list reads them through `values`).
    t.engine.values = ((sql: string, params?: never) => {
      if (sql.includes('ORDER BY k.requested_at DESC')) searches.push(sql);
      return values(sql, params);
    }) as typeof t.engine.values;
    const answers = await Promise.all(Array.from({ length: 16 }, () => look(t, 'requests.json?status=open')));
    assert.equal(new Set(answers.map((a) => a.body)).size, 1);
    assert.equal(searches.length, 1, `${searches.length} computations for 16 clients`);
  });
});
