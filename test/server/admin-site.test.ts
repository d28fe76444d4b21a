import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createTestApp } from '../helpers/app.ts';

test('the back office page: a strict policy allowing the tile server, the tiles’ credit escaped, never cached', async () => {
  const t = await createTestApp({ config: { tileUrl: 'https://{s}.tuiles.ville.example/plan/{z}/{x}/{y}.png', tileAttribution: 'Plan © Ville & "contributeurs" <b>' } });
  const res = await t.app.request('/admin', { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });
  assert.equal(res.status, 200);
  const policy = res.headers.get('content-security-policy')!;
  assert.match(policy, /img-src 'self' \S+ https:\/\/\*\.tuiles\.ville\.example data:;/);
  assert.match(policy, /default-src 'none'/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const page = await res.text();
  assert.match(page, /<html lang="fr">/);
  assert.match(page, /tile-url="https:\/\/\{s\}\.tuiles\.ville\.example\/plan\/\{z\}\/\{x\}\/\{y\}\.png"/);
  assert.match(page, /attribution="Plan © Ville &#38; &#34;contributeurs&#34; &#60;b&#62;"/);
  assert.doesNotMatch(page, /<b>/);
});

test('a tile URL without {z}, {x} and {y}, or not http(s), is refused at start-up', () => {
  for (const bad of ['https://tiles.example/plan.png', 'ftp://tiles.example/{z}/{x}/{y}.png', '{z}/{x}/{y}']) {
    assert.throws(() => loadConfig({ GEOREPORT_TILE_URL: bad }, {}), (e: unknown) => e instanceof ConfigError && /GEOREPORT_TILE_URL \(--tile-url\)/.test(e.message), bad);
  }
  assert.equal(loadConfig({}, {}).tileUrl, 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
});
