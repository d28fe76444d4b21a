import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createTestApp } from '../helpers/app.ts';

/**
 * The whole widget, Lit and Leaflet included, gzipped: 75 kB for the report form alone (its issue's
 * aim), 85 kB since the public map, its list, the detail view, "my reports" and the status element joined
 * it (≈ 10 kB of them).
 */
const BUDGET_GZIP = 85 * 1024;
const built = (name: string) => readFileSync(new URL(`../../dist/widget/${name}`, import.meta.url));

test('each widget format stays within its size budget', () => {
  for (const name of ['georeport.js', 'georeport.mjs']) {
    const gzip = gzipSync(built(name), { level: 9 }).length;
    assert.ok(gzip <= BUDGET_GZIP, `${name} is ${gzip} bytes gzipped; the budget is ${BUDGET_GZIP}`);
  }
});

test('the built widget is served at stable URLs, with source maps, revalidation and CORS', async () => {
  const t = createTestApp();
  for (const [path, type] of [['/widget/georeport.js', /^text\/javascript/], ['/widget/georeport.mjs', /^text\/javascript/], ['/widget/georeport.js.map', /^application\/json/]] as const) {
    const res = await t.app.request(`http://localhost${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type')!, type);
    assert.match(res.headers.get('cache-control')!, /max-age=\d+/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', 'a cross-origin module script needs CORS');
    assert.equal(Buffer.from(await res.arrayBuffer()).length, built(path.slice('/widget/'.length)).length);
    const again = await t.app.request(`http://localhost${path}`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
  }
  assert.equal((await t.app.request('http://localhost/widget/../package.json')).status, 404);
  assert.equal((await t.app.request('http://localhost/widget/other.js')).status, 404);
});

test('the demo city page is served at / and embeds the widget with the one-script snippet', async () => {
  const t = createTestApp();
  const res = await t.app.request('http://localhost/');
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /<script src="\/widget\/georeport\.js" defer><\/script>/);
  assert.match(page, /<georeport-widget server="\/" jurisdiction="ville\.example" api-key="demo-public-key" center="47\.3941,0\.6848" zoom="14"><\/georeport-widget>/);
});
