import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import { assertErrorBody } from '../helpers/georeport.ts';
import { parseXml, xmlToJson } from '../helpers/xml.ts';

const FIXTURE = readFileSync(new URL('../fixtures/photos/gps-tours.jpg', import.meta.url));
const count = async (t: TestApp) => (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM media'))!.n;

/** A raw multipart body, so parts can be sent exactly as clients do (with or without Content-Type). */
function multipart(fields: Record<string, string>, files: { name: string; data: Uint8Array; type?: string }[]) {
  const boundary = 'georeportBoundary7MA4YWxk';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    const type = f.type ? `Content-Type: ${f.type}\r\n` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="p.bin"\r\n${type}\r\n`), Buffer.from(f.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(t: TestApp, fields: Record<string, string>, files: { name: string; data: Uint8Array; type?: string }[], format = 'json') {
  const { body, headers } = multipart({ api_key: t.key, service_code: 'tag-graffiti', ...fields }, files);
  return t.app.request(`${BASE}requests.${format}`, { method: 'POST', body, headers });
}

const fetchMedia = (t: TestApp, url: string, headers: Record<string, string> = {}) => t.app.request(url, { headers });

describe('photo uploads', () => {
  test('a real JPEG with EXIF GPS locates the request; the stored and served file carries no EXIF', async () => {
    const t = await createTestApp();
    const res = await upload(t, { description: 'Tag sur le mur' }, [{ name: 'media', data: FIXTURE, type: 'image/jpeg' }]);
    assert.equal(res.status, 200, await res.clone().text());
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [r] = (await (await t.get(`requests/${id}.json?extensions=true`)).json()) as { lat: number; long: number; media_url: string; extended_attributes: { media_urls: string[] } }[];
    assert.deepEqual([r!.lat, r!.long], [47.3941, 0.6848], 'the location comes from the photo');
    assert.match(r!.media_url, /^http:\/\/localhost\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    assert.deepEqual(r!.extended_attributes.media_urls, [r!.media_url]);

    const served = await fetchMedia(t, r!.media_url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/jpeg');
    assert.match(served.headers.get('cache-control')!, /immutable/);
    const bytes = Buffer.from(await served.arrayBuffer());
    assert.equal(await exifr.parse(bytes).catch(() => undefined), undefined, 'no EXIF at all');
    assert.equal((await sharp(bytes).metadata()).exif, undefined);
    assert.ok(!bytes.includes(Buffer.from('Fairphone')) && !bytes.includes(Buffer.from('FP5-0123456789')), 'no camera make, model or serial number');
    assert.ok(FIXTURE.includes(Buffer.from('FP5-0123456789')), 'the upload did carry them');
    const etag = served.headers.get('etag')!;
    assert.equal((await fetchMedia(t, r!.media_url, { 'If-None-Match': etag })).status, 304);
  });

  test('coordinates sent by the client win over the photo’s GPS', async () => {
    const t = await createTestApp();
    const res = await upload(t, { lat: '45', long: '5' }, [{ name: 'photo1', data: FIXTURE }]);
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { lat: number; long: number }[];
    assert.deepEqual([r!.lat, r!.long], [45, 5]);
  });

  test('a PNG part without Content-Type is accepted, sniffed, and served at an absolute media_url', async () => {
    const t = await createTestApp();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } }).png().toBuffer();
    const res = await upload(t, { address_string: 'Place Plumereau' }, [{ name: 'media[0]', data: png }]);
    assert.equal(res.status, 200, await res.clone().text());
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [r] = (await (await t.get(`requests/${id}.json`)).json()) as { media_url: string }[];
    const served = await fetchMedia(t, r!.media_url);
    assert.equal(served.status, 200);
    assert.deepEqual(await sharp(Buffer.from(await served.arrayBuffer())).metadata().then((m) => [m.width, m.height]), [40, 30]);
  });

  test('uploaded photos come before media_url links', async () => {
    const t = await createTestApp();
    const res = await upload(t, { address_string: 'ici', media_url: 'https://img.example/x.jpg' }, [{ name: 'media[]', data: FIXTURE }]);
    const [{ service_request_id: id }] = (await res.json()) as { service_request_id: string }[];
    const [r] = (await (await t.get(`requests/${id}.json?extensions=true`)).json()) as { media_url: string; extended_attributes: { media_urls: string[] } }[];
    assert.match(r!.media_url, /\/media\//);
    assert.equal(r!.extended_attributes.media_urls[1], 'https://img.example/x.jpg');
  });

  test('a non-image is a 400, too many photos a 400, an oversized one a 413: nothing is stored', async () => {
    const t = await createTestApp({ config: { maxPhotoBytes: 20_000, maxPhotos: 2 } });
    const before = (await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n;
    const notImage = await upload(t, { address_string: 'ici' }, [{ name: 'media', data: Buffer.from('%PDF-1.4 not a photo'), type: 'image/jpeg' }]);
    assert.equal(notImage.status, 400);
    assertErrorBody(await notImage.json(), 400, /photo 1/);
    const many = await upload(t, { address_string: 'ici' }, [1, 2, 3].map(() => ({ name: 'media[]', data: FIXTURE })));
    assert.equal(many.status, 400);
    assertErrorBody(await many.json(), 400, /3 photos were sent; the limit is 2/);
    const big = await upload(t, { address_string: 'ici' }, [{ name: 'media', data: Buffer.concat([FIXTURE, Buffer.alloc(30_000)]) }]);
    assert.equal(big.status, 413);
    assertErrorBody(await big.json(), 413, /photo 1/);
    assert.equal((await t.engine.one<{ n: number }>('SELECT count(*) AS n FROM requests'))!.n, before);
    assert.equal(await count(t), 0);
  });

  test('a multipart body over the total limit is a 413 before it is read', async () => {
    const t = await createTestApp({ config: { maxPhotoBytes: 20_000, maxPhotos: 1, maxBodyBytes: 2048 } });
    const res = await upload(t, { address_string: 'ici' }, [{ name: 'media', data: Buffer.alloc(40_000, 1) }]);
    assert.equal(res.status, 413);
  });

  test('a photo without GPS and no other location is a 400', async () => {
    const t = await createTestApp();
    const plain = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } }).jpeg().toBuffer();
    const res = await upload(t, {}, [{ name: 'media', data: plain }]);
    assert.equal(res.status, 400);
    assertErrorBody(await res.json(), 400, /location is required/);
  });

  test('unknown or unsafe media paths are 404', async () => {
    const t = await createTestApp();
    for (const path of ['media/ab/' + 'a'.repeat(64) + '.jpg', 'media/../data/georeport.db', 'media/%2e%2e/x', 'media/ab/..%2fx.jpg']) {
      assert.equal((await t.app.request(`http://localhost/${path}`)).status, 404, path);
    }
  });

  test('photo refusals come in the XML error format too', async () => {
    const t = await createTestApp({ config: { maxPhotoBytes: 20_000 } });
    for (const [data, status] of [[Buffer.from('GIF89a not really'), 400], [Buffer.concat([FIXTURE, Buffer.alloc(30_000)]), 413]] as const) {
      const res = await upload(t, { address_string: 'ici' }, [{ name: 'media', data }], 'xml');
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
      const [error] = xmlToJson(parseXml(await res.text()).root) as { code: string; description: string }[];
      assert.equal(error!.code, String(status));
      assert.match(error!.description, /photo 1/);
    }
  });
});
