import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaError } from '../../server/media/media.errors.ts';
import { isPhotoPartName, readMultipart } from '../../server/media/uploads.ts';

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

/** A hand-written multipart body, as clients send it. */
function bodyOf(parts: Part[]): Buffer {
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
  return Buffer.concat(chunks);
}

/** Streams `body` in `chunkSize` pieces. */
async function* chunked(body: Buffer, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < body.length; i += chunkSize) yield body.subarray(i, i + chunkSize);
}

interface Read {
  fields: [string, string][];
  photos: Buffer[];
  /** How many photo parts had begun when each photo or field arrived. */
  begun: number;
}

/** Reads a body the way the server does, in small chunks, and records what the callbacks saw. */
async function read(parts: Part[], maxPhotos = 10, maxPhotoBytes = 1024, chunkSize = 7): Promise<Read> {
  const seen: Read = { fields: [], photos: [], begun: 0 };
  await readMultipart(chunked(bodyOf(parts), chunkSize), {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    photos: true,
    maxPhotos,
    maxPhotoBytes,
    onField: (name, value) => void seen.fields.push([name, value]),
    beforePhoto: () => void seen.begun++,
    onPhoto: async (bytes, index) => {
      assert.equal(index, seen.photos.length, 'photos come in order');
      seen.photos.push(bytes);
    },
  });
  return seen;
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

test('picks the photo parts in the order they were sent, passes the fields on and skips other files', async () => {
  const named = (n: string) => ({ ...photo(n), body: Buffer.from([...JPEG_START, n.length]) });
  const seen = await read([
    { name: 'description', body: 'pothole' },
    named('photo2'),
    { name: 'media_url', body: 'https://example.org/a.jpg' },
    named('media[]'),
    named('media'),
    named('media[7]'),
    { name: 'attachment', filename: 'notes.txt', type: 'text/plain', body: 'not a photo part' },
  ]);
  assert.deepEqual(
    seen.photos.map((p) => p.at(-1)),
    [6, 7, 5, 8],
  );
  assert.deepEqual(seen.fields, [
    ['description', 'pothole'],
    ['media_url', 'https://example.org/a.jpg'],
  ]);
  assert.equal(seen.begun, 4, 'beforePhoto ran for each photo part, not for the other file');
});

test('picks a file part sent without Content-Type, its bytes intact', async () => {
  const seen = await read([{ name: 'media', filename: 'IMG_0001.JPG', body: JPEG_START }]);
  assert.deepEqual(seen.photos, [Buffer.from(JPEG_START)]);
});

test('keeps repeated fields, in order, and decodes UTF-8 text split across chunks', async () => {
  const seen = await read(
    [
      { name: 'attribute[risque][]', body: 'chute' },
      { name: 'attribute[risque][]', body: 'collision' },
      { name: 'description', body: 'Nid-de-poule près de l’école 🚲' },
    ],
    10,
    1024,
    1,
  );
  assert.deepEqual(seen.fields, [
    ['attribute[risque][]', 'chute'],
    ['attribute[risque][]', 'collision'],
    ['description', 'Nid-de-poule près de l’école 🚲'],
  ]);
});

test('skips the empty part a browser sends for an empty file input', async () => {
  const seen = await read([
    { name: 'media', filename: '', type: 'application/octet-stream', body: '' },
    photo('photo1'),
  ]);
  assert.deepEqual(seen.photos, [Buffer.from(JPEG_START)]);
});

/** Asserts that reading rejects with a MediaError of `kind` whose message matches `message`. */
async function rejectsMediaError(run: Promise<unknown>, kind: MediaError['kind'], message: RegExp) {
  await assert.rejects(
    run,
    (err: unknown) => err instanceof MediaError && err.kind === kind && message.test(err.message),
  );
}

test('refuses a photo part without filename: it arrives as text, its bytes lost', async () => {
  await rejectsMediaError(
    read([{ name: 'photo1', type: 'image/jpeg', body: JPEG_START }]),
    'not_image',
    /"photo1" was sent without a filename/,
  );
});

test('refuses more photos than allowed (400) and a photo above the byte limit (413)', async () => {
  await rejectsMediaError(
    read([photo('media'), photo('media'), photo('media')], 2),
    'too_many',
    /^3 photos were sent; the limit is 2$/,
  );
  await rejectsMediaError(
    read([photo('photo1'), { name: 'photo2', filename: 'big.jpg', body: new Uint8Array(2048) }], 5),
    'too_large',
    /^photo 2 is larger than 1\.0 kB, the limit per photo$/,
  );
  assert.equal(new MediaError('too_large', 'x').status, 413);
  assert.equal(new MediaError('too_many', 'x').status, 400);
});

test('stops at a photo above the byte limit without reading the rest of the body', async () => {
  let pulled = 0;
  const body = bodyOf([
    { name: 'photo1', filename: 'big.jpg', body: new Uint8Array(64 * 1024) },
    { name: 'description', body: 'never reached' },
  ]);
  async function* counting() {
    for await (const chunk of chunked(body, 1024)) {
      pulled += chunk.length;
      yield chunk;
    }
  }
  await rejectsMediaError(
    readMultipart(counting(), {
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      photos: true,
      maxPhotos: 4,
      maxPhotoBytes: 4096,
      onField: () => assert.fail('no field comes after the refusal'),
      beforePhoto: () => undefined,
      onPhoto: async () => assert.fail('no photo is handed on'),
    }),
    'too_large',
    /photo 1/,
  );
  assert.ok(pulled <= 8 * 1024, `read ${pulled} bytes of ${body.length}`);
});

test('a refusal thrown as a photo part begins stops the reading before its bytes', async () => {
  const refused = new Error('no key');
  await assert.rejects(
    readMultipart(chunked(bodyOf([photo('media'), { name: 'api_key', body: 'late' }]), 4), {
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      photos: true,
      maxPhotos: 4,
      maxPhotoBytes: 4096,
      onField: () => assert.fail('the field after the photo is never read'),
      beforePhoto: () => {
        throw refused;
      },
      onPhoto: async () => assert.fail('no photo is handed on'),
    }),
    (e) => e === refused,
  );
});

test('without photos wanted, photo parts are skipped unread and a text part named like one is a field', async () => {
  const fields: string[] = [];
  await readMultipart(chunked(bodyOf([photo('media'), { name: 'photo1', body: 'text' }]), 5), {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    photos: false,
    maxPhotos: 0,
    maxPhotoBytes: 1,
    onField: (name) => void fields.push(name),
    beforePhoto: () => assert.fail('no photo part is opened'),
    onPhoto: async () => assert.fail('no photo is handed on'),
  });
  assert.deepEqual(fields, ['photo1']);
});

test('a body that is not multipart, or cut short, is a malformed one (400)', async () => {
  for (const [contentType, body] of [
    ['multipart/form-data', bodyOf([photo('media')])],
    [`multipart/form-data; boundary=${BOUNDARY}`, bodyOf([photo('media')]).subarray(0, 60)],
  ] as const) {
    await rejectsMediaError(
      readMultipart(chunked(body, 16), {
        contentType,
        photos: true,
        maxPhotos: 4,
        maxPhotoBytes: 4096,
        onField: () => undefined,
        beforePhoto: () => undefined,
        onPhoto: async () => undefined,
      }),
      'malformed',
      /malformed/,
    );
  }
});
