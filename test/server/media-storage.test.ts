import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Hono } from 'hono';
import sharp from 'sharp';
import { createMediaRoutes } from '../../server/media/media.routes.ts';
import { createMediaStorage, isMediaPath } from '../../server/media/media.storage.ts';
import { processPhoto } from '../../server/media/process-photo.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A storage in a fresh temporary folder holding one processed photo. */
async function storageWithPhoto() {
  const dir = mkdtempSync(join(tmpdir(), 'georeport-media-'));
  dirs.push(dir);
  const storage = createMediaStorage(join(dir, 'media'));
  const image = sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } });
  const photo = await processPhoto(await image.png().toBuffer(), { maxSide: 2048 });
  const { path } = await storage.save(photo);
  return { dir, storage, photo, path };
}

describe('media storage', () => {
  test('stores a photo under its content address and reads it back', async () => {
    const { storage, photo, path } = await storageWithPhoto();
    assert.equal(path, `${photo.sha256.slice(0, 2)}/${photo.sha256}.jpg`);
    assert.deepEqual(readFileSync(join(storage.dir, path)), photo.data);
    assert.deepEqual(await storage.read(path), {
      data: photo.data,
      mime: 'image/jpeg',
      sha256: photo.sha256,
    });
  });

  test('stores a transparent photo as WebP', async () => {
    const { storage } = await storageWithPhoto();
    const sticker = sharp({
      create: {
        width: 20,
        height: 20,
        channels: 4,
        background: { r: 200, g: 0, b: 0, alpha: 0.3 },
      },
    });
    const photo = await processPhoto(await sticker.png().toBuffer(), { maxSide: 2048 });
    const { path } = await storage.save(photo);
    assert.match(path, /^[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/);
    assert.equal((await storage.read(path))?.mime, 'image/webp');
  });

  test('stores the same photo once and leaves no temporary file behind', async () => {
    const { storage, photo, path } = await storageWithPhoto();
    assert.deepEqual(await storage.save(photo), { path });
    assert.deepEqual(readdirSync(join(storage.dir, path.slice(0, 2))), [path.slice(3)]);
  });

  test('nodes sharing the folder may save the same photo at once: each gets its path, one whole file stays', async () => {
    const { storage } = await storageWithPhoto();
    const nodes = [storage, createMediaStorage(storage.dir)]; // two servers, one shared folder
    const image = sharp({ create: { width: 300, height: 200, channels: 3, background: '#c83' } });
    const photo = await processPhoto(await image.png().toBuffer(), { maxSide: 2048 });
    const saves = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => nodes[i % 2]!.save(photo)));
    assert.deepEqual(new Set(saves.map((s) => (s.status === 'fulfilled' ? s.value.path : String(s.reason)))), new Set([`${photo.sha256.slice(0, 2)}/${photo.sha256}.jpg`]));
    const folder = join(storage.dir, photo.sha256.slice(0, 2));
    assert.deepEqual(readdirSync(folder), [`${photo.sha256}.jpg`], 'no temporary file left');
    assert.deepEqual((await nodes[1]!.read(`${photo.sha256.slice(0, 2)}/${photo.sha256}.jpg`))?.data, photo.data);
  });

  test('reads nothing outside its folder, nor any path it did not produce', async () => {
    const { dir, storage, path } = await storageWithPhoto();
    writeFileSync(join(dir, 'secret.jpg'), 'secret');
    for (const bad of [
      '../secret.jpg',
      `/${path}`,
      join(storage.dir, path),
      `${path.slice(0, 2)}/../../secret.jpg`,
      path.toUpperCase(),
      `${path}.bak`,
      `00/${path.slice(3)}`,
    ]) {
      assert.equal(isMediaPath(bad), false, bad);
      assert.equal(await storage.read(bad), undefined, bad);
    }
    assert.equal(
      await storage.read(`ab/ab${'0'.repeat(62)}.jpg`),
      undefined,
      'a well-formed path that is absent',
    );
  });
});

describe('media routes', () => {
  const mounted = async () => {
    const fixture = await storageWithPhoto();
    // Mounted as the server mounts it, below an app whose own 404 is JSON: a URL whose dot segments
    // resolve outside /media (`/media/%2e%2e/…`) never reaches the media routes.
    const app = new Hono().route('/media', createMediaRoutes({ storage: fixture.storage }));
    app.notFound((c) => c.json({ error: 'not found' }, 404));
    const get = (path: string, headers?: Record<string, string>, method = 'GET') =>
      app.request(`http://localhost${path}`, { headers, method });
    return { ...fixture, get };
  };

  test('serves a photo with its type, a strong ETag and year-long immutable caching', async () => {
    const { get, path, photo } = await mounted();
    const res = await get(`/media/${path}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('content-length'), String(photo.bytes));
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('etag'), `"${photo.sha256}"`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), photo.data);
  });

  test('answers HEAD with the headers alone', async () => {
    const { get, path, photo } = await mounted();
    const res = await get(`/media/${path}`, {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), `"${photo.sha256}"`);
    assert.equal(await res.text(), '');
  });

  test('answers 304 without a body when the client already holds the photo', async () => {
    const { get, path, photo } = await mounted();
    for (const tag of [
      `"${photo.sha256}"`,
      `W/"${photo.sha256}"`,
      `"other", "${photo.sha256}"`,
      '*',
    ]) {
      const res = await get(`/media/${path}`, { 'If-None-Match': tag });
      assert.equal(res.status, 304, tag);
      assert.equal(res.headers.get('etag'), `"${photo.sha256}"`);
      assert.equal(await res.text(), '');
    }
    assert.equal((await get(`/media/${path}`, { 'If-None-Match': '"other"' })).status, 200);
  });

  test('answers a JSON 404 for unknown photos and every traversal attempt', async () => {
    const { get, path } = await mounted();
    const folder = path.slice(0, 2);
    const attempts = [
      `/media/${folder}/${'f'.repeat(64)}.jpg`,
      '/media/',
      `/media/${path}/x`,
      `/media/${folder}%2F${path.slice(3)}`,
      `/media/${folder}/..%2F..%2Fsecret.jpg`,
      `/media/%2e%2e/%2e%2e/etc/passwd`,
      '/media/..%5C..%5Csecret.jpg',
      '/media//etc/passwd',
      `/media/%2F${path}`,
      `/media/${folder}/${path.slice(3)}%00.jpg`,
    ];
    for (const attempt of attempts) {
      const res = await get(attempt);
      assert.equal(res.status, 404, attempt);
      assert.deepEqual(await res.json(), { error: 'not found' }, attempt);
    }
  });
});
