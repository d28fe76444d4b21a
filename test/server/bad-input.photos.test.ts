import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { BASE, createTestApp, type TestApp } from '../helpers/app.ts';
import { pothole } from '../helpers/georeport.ts';
import { SEED, assertAnswer, countRows, createRng, storeSnapshot, type Rng } from '../helpers/bad-input.ts';

/** Two photos of at most 64 kB each: small limits keep oversized cases cheap. */
const LIMITS = {
  rateLimitIpPerMinute: 1e9,
  rateLimitKeyPerMinute: 1e9,
  photosPerAddressPerDay: 1e9,
  maxPhotos: 2,
  maxPhotoBytes: 64 * 1024,
};
const PHOTO_NAMES = ['media', 'media[]', 'media[0]', 'media[12]', 'photo1', 'photo2'];
/** Names close to the photo ones that are not: such parts are ignored, whatever they hold. */
const NOT_PHOTO_NAMES = [
  'Media',
  'photo',
  'photos1',
  'media[x]',
  'photo_1',
  'media[]x',
  'image',
  'file',
];

interface Upload {
  name: string;
  bytes: Uint8Array;
  /** Undefined: a text part (no filename). */
  filename?: string;
  type?: string;
}

/** Small real images to start from: noise, so that they compress to something non-trivial. */
async function seedImages(): Promise<Uint8Array[]> {
  const raw = { width: 24, height: 16, channels: 3 as const };
  const noise = Uint8Array.from({ length: 24 * 16 * 3 }, (_, i) => (i * 7919) % 251);
  const image = () => sharp(noise, { raw });
  return Promise.all([
    image().png().toBuffer(),
    image().jpeg().toBuffer(),
    image().webp().toBuffer(),
  ]).then((b) => b.map((x) => new Uint8Array(x)));
}

/** A PNG whose header claims `width` × `height` pixels (its CRC fixed), with the original pixels. */
function withClaimedSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(png);
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

const MAGIC = [
  [0xff, 0xd8, 0xff],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [...Buffer.from('RIFF\0\0\0\0WEBPVP8 ')],
  [0, 0, 0, 24, ...Buffer.from('ftypavif\0\0\0\0mif1avif')],
];
const NOT_IMAGES = [
  'GIF89a\x01\0\x01\0',
  'BM6\0\0\0\0\0\0\x006\0\0\0',
  '%PDF-1.7\n',
  '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'hello',
  '\0\0\0\0',
];
const random = (rng: Rng, n: number) => Uint8Array.from({ length: n }, () => rng.int(0, 255));

/** One generated case: what is uploaded and the statuses it may get (several when a decoder may cope). */
function photoCase(
  rng: Rng,
  images: Uint8Array[],
  n: number,
): { kind: string; uploads: Upload[]; statuses: number[] } {
  const image = rng.pick(images);
  const photo = (bytes: Uint8Array, name = rng.pick(PHOTO_NAMES)): Upload => ({
    name,
    bytes,
    filename: rng.pick(['p.jpg', 'photo.png', 'x', 'évier 1.heic', '../../etc/passwd']),
    ...(rng.chance(0.5)
      ? { type: rng.pick(['image/jpeg', 'text/plain', 'application/pdf', 'image/gif']) }
      : {}),
  });
  const kinds: (() => { kind: string; uploads: Upload[]; statuses: number[] })[] = [
    () => ({ kind: 'a valid photo', uploads: [photo(image)], statuses: [200] }),
    () => {
      const cut = image.subarray(0, rng.int(1, image.length - 1));
      return {
        kind: `a photo cut to ${cut.length} of ${image.length} bytes`,
        uploads: [photo(cut)],
        // Losing only the trailer (PNG's IEND, JPEG's EOI) leaves every pixel: decoders may take it.
        statuses: image.length - cut.length <= 12 ? [200, 400] : [400],
      };
    },
    () => {
      const flipped = Uint8Array.from(image);
      for (let i = rng.int(1, 12); i > 0; i--)
        flipped[rng.int(12, flipped.length - 1)] ^= 1 << rng.int(0, 7);
      return {
        kind: 'a photo with flipped bits',
        uploads: [photo(flipped)],
        // A flipped bit in the size may make the header claim a decompression bomb: 413.
        statuses: [200, 400, 413],
      };
    },
    () => ({
      kind: 'an image signature then garbage',
      uploads: [photo(new Uint8Array([...rng.pick(MAGIC), ...random(rng, rng.int(0, 4000))]))],
      statuses: [400],
    }),
    () => ({
      kind: 'a file that is not an image we take',
      uploads: [photo(Buffer.from(rng.pick(NOT_IMAGES), 'latin1'))],
      statuses: [400],
    }),
    () => ({
      kind: 'an empty file with a filename',
      uploads: [{ ...photo(new Uint8Array()), filename: 'empty.jpg' }],
      statuses: [400],
    }),
    () => ({
      kind: 'a header claiming 100000 × 100000 pixels',
      uploads: [photo(withClaimedSize(images[0]!, 100_000, 100_000))],
      statuses: [413],
    }),
    () => ({
      kind: 'a photo part without filename',
      uploads: [{ name: rng.pick(PHOTO_NAMES), bytes: image }],
      statuses: [400],
    }),
    () => ({
      kind: 'more photos than allowed',
      uploads: [photo(image), photo(image), photo(image)],
      statuses: [400],
    }),
    () => ({
      kind: 'a photo part over the byte limit',
      uploads: [photo(new Uint8Array([...image, ...random(rng, LIMITS.maxPhotoBytes)]))],
      statuses: [413],
    }),
    () => ({
      kind: 'garbage under names that are not photo parts',
      uploads: [{ ...photo(random(rng, 500)), name: rng.pick(NOT_PHOTO_NAMES) }],
      statuses: [200],
    }),
    () => ({
      kind: 'an empty file input',
      uploads: [{ name: rng.pick(PHOTO_NAMES), bytes: new Uint8Array(), filename: '' }],
      statuses: [200],
    }),
  ];
  return kinds[n % kinds.length]!();
}

async function send(t: TestApp, format: 'xml' | 'json', uploads: Upload[]): Promise<Response> {
  const form = new FormData();
  const fields = pothole(t);
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  for (const u of uploads) {
    if (u.filename === undefined) form.append(u.name, Buffer.from(u.bytes).toString('latin1'));
    else
      form.append(
        u.name,
        new Blob([new Uint8Array(u.bytes)], u.type ? { type: u.type } : {}),
        u.filename,
      );
  }
  return t.app.request(`${BASE}requests.${format}`, { method: 'POST', body: form });
}

test('mutated, disguised, oversized and misnamed photo parts get a 400 or 413, or are stored as photos; never a 5xx', async (ctx) => {
  const mediaDir = mkdtempSync(join(tmpdir(), 'georeport-bad-photos-'));
  ctx.after(() => rmSync(mediaDir, { recursive: true, force: true }));
  const t = await createTestApp({ config: { ...LIMITS, mediaDir } });
  const files = () =>
    readdirSync(mediaDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .length;
  const media = () => countRows(t.engine, 'media');
  const rng = createRng(SEED ^ 0x9407);
  const images = await seedImages();
  const seen = new Set<number>();
  for (let n = 0; n < 144; n++) {
    const { kind, uploads, statuses } = photoCase(rng, images, n);
    const format = rng.pick(['xml', 'json'] as const);
    const [before, filesBefore, mediaBefore] = [await storeSnapshot(t.engine), files(), await media()];
    const res = await send(t, format, uploads);
    const what = `seed ${SEED} photo case ${n} (${kind}): ${uploads.map((u) => `${u.name}=${u.filename ?? '(text)'}:${u.bytes.length}B`).join(', ')}`;
    await assertAnswer(res, format, undefined, what);
    assert.ok(
      statuses.includes(res.status),
      `one of ${statuses.join('/')}: ${what}; got ${res.status}`,
    );
    seen.add(res.status);
    if (res.status !== 200) {
      assert.equal(
        await storeSnapshot(t.engine),
        before,
        `a refused upload changes nothing in the store: ${what}`,
      );
      assert.equal(files(), filesBefore, `a refused upload writes no file: ${what}`);
      continue;
    }
    const photos = uploads.filter((u) => PHOTO_NAMES.includes(u.name) && u.bytes.length > 0).length;
    assert.equal(await media(), mediaBefore + photos, `each photo accepted is one media row: ${what}`);
    const written = files() - filesBefore; // photos are stored by content: a repeated one adds no file
    assert.ok(written >= 0 && written <= photos, `at most one file per photo accepted: ${what}`);
  }
  assert.deepEqual(
    [...seen].sort(),
    [200, 400, 413],
    'the cases reach acceptance and both refusals',
  );
});
