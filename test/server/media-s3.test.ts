import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/logger.ts';
import { MediaStorageUnavailable } from '../../server/media/media.storage.ts';
import { processPhoto } from '../../server/media/process-photo.ts';
import { EMPTY_SHA256, encodeS3Path, signS3 } from '../../server/media/s3-sign.ts';
import { createS3Storage, type S3StorageOptions } from '../../server/media/s3.storage.ts';
import { BASE, createTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/free-port.ts';
import { startS3, type S3Server } from '../helpers/s3.ts';

let s3: S3Server;
const dirs: string[] = [];
before(async () => {
  s3 = await startS3();
});
after(async () => {
  await s3.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A logger whose lines the test reads: what an operator would see. */
function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

const storageOn = (endpoint: string, options: Partial<S3StorageOptions> = {}) =>
  createS3Storage({
    endpoint,
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    maxBytes: 1 << 20,
    logger: createLogger('silent'),
    ...options,
  });

let shade = 0;
/** A processed photo unlike every other this file makes. */
async function aPhoto() {
  shade += 1;
  const image = sharp({
    create: { width: 48, height: 32, channels: 3, background: { r: shade % 256, g: 120, b: 60 } },
  });
  return processPhoto(await image.png().toBuffer(), { maxSide: 2048 });
}

/** An address where nothing listens: a storage server that is down. */
const deadEndpoint = async () => `http://127.0.0.1:${await freePort()}/`;

/** An empty folder that must stay empty: the disk the photos would have gone to without S3. */
function unusedMediaDir() {
  const dir = mkdtempSync(join(tmpdir(), 'georeport-s3-unused-'));
  dirs.push(dir);
  return join(dir, 'media');
}

describe('Signature Version 4', () => {
  const aws = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    region: 'us-east-1',
  };
  const day = new Date('2013-05-24T00:00:00Z');
  const host = 'examplebucket.s3.amazonaws.com';

  test('signs the GET Object and PUT Object examples of the AWS documentation as published', () => {
    const get = signS3(
      {
        method: 'GET',
        host,
        path: '/test.txt',
        headers: { range: 'bytes=0-9' },
        payloadHash: EMPTY_SHA256,
      },
      aws,
      day,
    );
    assert.equal(
      get.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    assert.deepEqual(
      Object.keys(get).sort(),
      ['authorization', 'range', 'x-amz-content-sha256', 'x-amz-date'],
      'fetch sends Host itself',
    );
    assert.equal(get['x-amz-date'], '20130524T000000Z');

    const put = signS3(
      {
        method: 'PUT',
        host,
        path: encodeS3Path('/test$file.text'),
        headers: {
          date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        },
        payloadHash: '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      },
      aws,
      day,
    );
    assert.match(
      put.authorization!,
      /SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/,
    );
  });
});

describe('photos in an S3-compatible bucket', () => {
  test('a photo saved by one node is read back by another: the same bytes, type and SHA-256', async () => {
    const photo = await aPhoto();
    const { path } = await storageOn(s3.endpoint).save(photo);
    assert.equal(path, `${photo.sha256.slice(0, 2)}/${photo.sha256}.jpg`);
    assert.ok(s3.writes.includes(path), 'the object is in the bucket under its content address');
    assert.deepEqual(await storageOn(s3.endpoint).read(path), {
      data: photo.data,
      mime: 'image/jpeg',
      sha256: photo.sha256,
    });
    const absent = `${path.slice(0, 2)}/${path.slice(0, 2)}${'0'.repeat(62)}.jpg`;
    assert.equal(await storageOn(s3.endpoint).read(absent), undefined, 'an absent photo');
  });

  test('the same photo saved twice is stored once; two nodes saving it at once both get its path', async () => {
    const photo = await aPhoto();
    const first = await storageOn(s3.endpoint).save(photo);
    const writes = s3.writes.length;
    assert.deepEqual(await storageOn(s3.endpoint).save(photo), first);
    assert.equal(s3.writes.length, writes, 'no second write');

    const twin = await aPhoto();
    const both = await Promise.all([
      storageOn(s3.endpoint).save(twin),
      storageOn(s3.endpoint).save(twin),
    ]);
    assert.equal(both[0].path, both[1].path);
    assert.deepEqual((await storageOn(s3.endpoint).read(both[0].path))?.data, twin.data);
  });

  test('a path that save never returns is refused without any call', async () => {
    // Nothing listens there: a call would fail, so an `undefined` proves no call was made.
    const storage = storageOn(await deadEndpoint());
    const sha = 'ab'.padEnd(64, 'c');
    for (const bad of [
      '../etc/passwd',
      `ab/../${sha}.jpg`,
      `/ab/${sha}.jpg`,
      `ab/${sha}.png`,
      `AB/${sha.toUpperCase()}.jpg`,
      `cd/${sha}.jpg`,
      `ab/${sha}.jpg?x=1`,
      '',
    ]) {
      assert.equal(await storage.read(bad), undefined, bad);
    }
    await assert.rejects(
      storage.read(`ab/${sha}.jpg`),
      MediaStorageUnavailable,
      'a well-formed path is asked for',
    );
  });

  test('credentials the server refuses fail the save; the log names the refusal, never the secret or the signature', async () => {
    // s3rver checks the access key, not the signature (see helpers/s3.ts): a key it does not know stands
    // for any refusal of the credentials.
    const { lines, logger } = recordingLogger();
    const writes = s3.writes.length;
    const storage = storageOn(s3.endpoint, {
      accessKeyId: 'GEOREPORTUNKNOWN',
      secretAccessKey: 'not-the-secret-Zq81',
      logger,
    });
    await assert.rejects(storage.save(await aPhoto()), MediaStorageUnavailable);
    assert.equal(s3.writes.length, writes, 'nothing written');
    const log = lines.join('');
    assert.match(log, /"operation":"PUT"/);
    assert.match(log, /"status":403/);
    assert.match(log, /"code":"InvalidAccessKeyId"/);
    assert.doesNotMatch(log, /not-the-secret|Signature=|AWS4-HMAC/);
  });

  test('an object whose bytes do not match the SHA-256 in its name is never served', async () => {
    const photo = await aPhoto();
    const other = await aPhoto();
    // Stored under another photo's name (s3rver does not check the payload hash; S3 would refuse the PUT).
    const { path } = await storageOn(s3.endpoint).save({ ...photo, sha256: other.sha256 });
    const { lines, logger } = recordingLogger();
    await assert.rejects(storageOn(s3.endpoint, { logger }).read(path), MediaStorageUnavailable);
    assert.match(lines.join(''), /the object does not match its SHA-256/);
  });

  test('an answer declared longer than the largest photo is refused before it is read', async () => {
    const photo = await aPhoto();
    const { path } = await storageOn(s3.endpoint).save(photo);
    const { lines, logger } = recordingLogger();
    const small = storageOn(s3.endpoint, { maxBytes: photo.data.length - 1, logger });
    await assert.rejects(small.read(path), MediaStorageUnavailable);
    assert.match(lines.join(''), new RegExp(`larger than ${photo.data.length - 1} bytes`));
  });

  test('an endless answer without a length is cut off at the largest photo', async (t) => {
    // Not s3rver: a server that streams chunk after chunk for as long as the client reads.
    const endless = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const more = () => {
        if (!res.destroyed) res.write(Buffer.alloc(64 * 1024), () => setImmediate(more));
      };
      more();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    t.after(() => endless.close());
    const { lines, logger } = recordingLogger();
    const storage = storageOn(`http://127.0.0.1:${(endless.address() as { port: number }).port}/`, {
      maxBytes: 1 << 20,
      timeoutMs: 5000,
      logger,
    });
    await assert.rejects(storage.read(`ab/${'ab'.padEnd(64, '0')}.jpg`), MediaStorageUnavailable);
    assert.match(lines.join(''), /larger than 1048576 bytes/);
  });

  test('a server that takes the connection but never answers is given up after the timeout', async (t) => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { lines, logger } = recordingLogger();
    const storage = storageOn(`http://127.0.0.1:${(silent.address() as { port: number }).port}/`, {
      timeoutMs: 300,
      logger,
    });
    await assert.rejects(storage.save(await aPhoto()), MediaStorageUnavailable);
    assert.match(lines.join(''), /no answer within 300 ms/);
  });
});

describe('georeport with its photos in an S3-compatible bucket', () => {
  const photoUpload = async (t: TestApp, format = 'json') => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      api_key: t.key,
      service_code: 'tag-graffiti',
      lat: '47.39',
      long: '0.68',
      description: 'Tag',
    }))
      form.append(k, v);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a53' } })
      .jpeg()
      .toBuffer();
    form.append('media', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
    return t.app.request(`${BASE}requests.${format}`, { method: 'POST', body: form });
  };

  test('a request filed with a photo on one node has its photo served by another', async () => {
    const node1Dir = unusedMediaDir();
    const t = await createTestApp({ config: { ...s3.config, mediaDir: node1Dir } });
    const res = await photoUpload(t);
    assert.equal(res.status, 200, await res.clone().text());
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [filed] = (await (await t.get(`requests/${id}.json`)).json()) as { media_url: string }[];
    assert.match(filed!.media_url, /^http:\/\/localhost\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);

    const node2Dir = unusedMediaDir();
    const node2 = createApp({
      config: testConfig({ ...s3.config, mediaDir: node2Dir }),
      engine: t.engine,
      logger: createLogger('silent'),
    });
    const served = await node2.request(filed!.media_url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    assert.equal(
      served.headers.get('etag'),
      `"${createHash('sha256').update(bytes).digest('hex')}"`,
    );
    assert.ok((await sharp(bytes).metadata()).width === 64, 'the photo as re-encoded on node 1');
    assert.ok(!existsSync(node1Dir) && !existsSync(node2Dir), 'no photo on either node’s disk');
  });

  test('with the storage down, a filing with a photo gets a 503 in Open311 format and nothing is filed', async () => {
    const { lines, logger } = recordingLogger();
    const down = {
      ...s3.config,
      mediaS3Endpoint: await deadEndpoint(),
      mediaDir: unusedMediaDir(),
    };
    const t = await createTestApp({ config: down });
    const requests = async () =>
      (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n;
    const before = await requests();
    for (const format of ['json', 'xml']) {
      const res = await photoUpload(t, format);
      const text = await res.text();
      assert.equal(res.status, 503, text);
      assert.equal(res.headers.get('retry-after'), '30');
      assert.match(text, /photo\.storage_unavailable/);
      assert.match(
        text,
        /the photo storage of this server does not answer; try again in 30 seconds or send the report without photos/,
      );
      assert.doesNotMatch(text, /ECONNREFUSED|127\.0\.0\.1|S3RVER|stack/i);
    }
    assert.equal(await requests(), before, 'no request was filed');

    // The same app's photos, asked for while the storage is down: a retry later, not an internal error.
    const node = createApp({ config: testConfig(down), engine: t.engine, logger });
    const media = await node.request(`http://localhost/media/ab/${'ab'.padEnd(64, '0')}.jpg`);
    assert.equal(media.status, 503);
    assert.equal(media.headers.get('retry-after'), '30');
    assert.deepEqual(await media.json(), {
      error: 'the photo storage does not answer; try again later',
    });
    assert.match(
      lines.join(''),
      /photo storage \(S3\) failed.*"operation":"GET".*"problem":"ECONNREFUSED"/,
    );
    assert.doesNotMatch(lines.join(''), /S3RVER/, 'the secret is never logged');
  });
});
