import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaError } from '../../server/media/media.errors.ts';
import { collectUploads, isPhotoPartName } from '../../server/media/uploads.ts';

interface Part {
  name: string;
  filename?: string;
  /** Omitted: the part carries no Content-Type header at all. */
  type?: string;
  body: string | Uint8Array;
}

const BOUNDARY = '----georeport-test-7MA4YWxkTrZu0gW';
const JPEG_START = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
]);

/** Parses a hand-written multipart body the way the server does, through undici's Request.formData(). */
async function formOf(parts: Part[]): Promise<FormData> {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    const type = p.type === undefined ? '' : `\r\nContent-Type: ${p.type}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${filename}${type}\r\n\r\n`,
      ),
    );
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body) : p.body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return new Request('http://localhost/', {
    method: 'POST',
    body: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  }).formData();
}

const photo = (name: string, filename = `${name}.jpg`): Part => ({
  name,
  filename,
  type: 'image/jpeg',
  body: JPEG_START,
});

test('photo parts are media, media[], media[N] and photoN, nothing else', () => {
  for (const name of ['media', 'media[]', 'media[0]', 'media[12]', 'photo1', 'photo10'])
    assert.ok(isPhotoPartName(name), name);
  for (const name of [
    'media_url',
    'photo',
    'photos',
    'media[x]',
    'Media',
    'photo1.jpg',
    'mediafile',
  ])
    assert.ok(!isPhotoPartName(name), name);
});

test('picks the photo parts in the order they were sent and leaves the fields', async () => {
  const form = await formOf([
    { name: 'description', body: 'pothole' },
    photo('photo2', 'b.jpg'),
    { name: 'media_url', body: 'https://example.org/a.jpg' },
    photo('media[]', 'c.jpg'),
    photo('media', 'd.jpg'),
    photo('media[7]', 'e.jpg'),
    { name: 'attachment', filename: 'notes.txt', type: 'text/plain', body: 'not a photo part' },
  ]);
  const files = collectUploads(form, 10, 1024);
  assert.deepEqual(
    files.map((f) => f.name),
    ['b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'],
  );
});

test('picks a file part sent without Content-Type, its bytes intact (undici calls it text/plain)', async () => {
  const [file, ...rest] = collectUploads(
    await formOf([{ name: 'media', filename: 'IMG_0001.JPG', body: JPEG_START }]),
    5,
    1024,
  );
  assert.equal(rest.length, 0);
  assert.ok(file instanceof Blob);
  assert.equal(file.type, 'text/plain');
  assert.deepEqual(new Uint8Array(await file.arrayBuffer()), JPEG_START);
});

test('skips the empty part a browser sends for an empty file input', async () => {
  const form = await formOf([
    { name: 'media', filename: '', type: 'application/octet-stream', body: '' },
    photo('photo1'),
  ]);
  assert.deepEqual(
    collectUploads(form, 5, 1024).map((f) => f.name),
    ['photo1.jpg'],
  );
});

/** Asserts that collecting throws a MediaError of `kind` whose message matches `message`. */
function throwsMediaError(run: () => unknown, kind: MediaError['kind'], message: RegExp) {
  assert.throws(
    run,
    (err: unknown) => err instanceof MediaError && err.kind === kind && message.test(err.message),
  );
}

test('refuses a photo part without filename: undici turned its bytes into text', async () => {
  const form = await formOf([{ name: 'photo1', type: 'image/jpeg', body: JPEG_START }]);
  assert.equal(typeof form.get('photo1'), 'string');
  throwsMediaError(
    () => collectUploads(form, 5, 1024),
    'not_image',
    /"photo1" was sent without a filename/,
  );
});

test('refuses more photos than allowed (400) and a photo above the byte limit (413)', async () => {
  const three = await formOf([photo('media'), photo('media'), photo('media')]);
  throwsMediaError(
    () => collectUploads(three, 2, 1024),
    'too_many',
    /^3 photos were sent; the limit is 2$/,
  );
  const big = await formOf([
    photo('photo1'),
    { name: 'photo2', filename: 'big.jpg', body: new Uint8Array(2048) },
  ]);
  throwsMediaError(
    () => collectUploads(big, 5, 1024),
    'too_large',
    /^photo 2 is 2\.0 kB; the limit is 1\.0 kB per photo$/,
  );
  assert.equal(new MediaError('too_large', 'x').status, 413);
  assert.equal(new MediaError('too_many', 'x').status, 400);
});
