import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { MediaError } from '../../server/media/media.errors.ts';
import { processPhoto } from '../../server/media/process-photo.ts';
import { sniffImage } from '../../server/media/sniff.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/photos/${name}`, import.meta.url));
const solid = (width: number, height: number, channels: 3 | 4 = 3, alpha = 1) =>
  sharp({ create: { width, height, channels, background: { r: 30, g: 120, b: 200, alpha } } });
const noisy = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });

/** Asserts that `run` rejects with a MediaError of `kind` whose message matches `message`. */
async function rejectsWith(run: Promise<unknown>, kind: MediaError['kind'], message: RegExp) {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof MediaError, `expected a MediaError, got ${String(err)}`);
    assert.equal(err.kind, kind);
    assert.match(err.message, message);
    return true;
  });
}

describe('sniffImage', () => {
  test('recognises JPEG, PNG, WebP and AVIF written by sharp from their bytes', async () => {
    const image = solid(8, 8);
    assert.equal(sniffImage(await image.clone().jpeg().toBuffer()), 'image/jpeg');
    assert.equal(sniffImage(await image.clone().png().toBuffer()), 'image/png');
    assert.equal(sniffImage(await image.clone().webp().toBuffer()), 'image/webp');
    assert.equal(sniffImage(await image.clone().avif().toBuffer()), 'image/avif');
  });

  test('recognises a HEIC file from its ftyp box', () => {
    const ftyp = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');
    assert.equal(sniffImage(ftyp), 'image/heic');
  });

  test('refuses text, a PDF, a WAVE file, a cut-off JPEG signature and nothing', () => {
    assert.equal(sniffImage(Buffer.from('hello, this is not a photo')), undefined);
    assert.equal(sniffImage(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj')), undefined);
    assert.equal(sniffImage(Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1')), undefined);
    assert.equal(sniffImage(Buffer.from([0xff, 0xd8])), undefined);
    assert.equal(sniffImage(new Uint8Array(0)), undefined);
  });
});

describe('processPhoto: position', () => {
  test('reads the EXIF GPS position of a photo taken in Tours (north, east)', async () => {
    const photo = await processPhoto(fixture('gps-tours.jpg'), { maxSide: 2048 });
    assert.deepEqual(photo.gps, { lat: 47.3941, long: 0.6848 });
  });

  test('gives south and west positions a negative sign', async () => {
    const photo = await processPhoto(fixture('gps-south-west.jpg'), { maxSide: 2048 });
    assert.deepEqual(photo.gps, { lat: -22.9068, long: -43.1729 });
  });

  test('ignores the 0,0 a phone without a fix writes, and photos without GPS', async () => {
    assert.equal((await processPhoto(fixture('gps-null-island.jpg'), { maxSide: 2048 })).gps, null);
    assert.equal(
      (await processPhoto(await solid(10, 10).jpeg().toBuffer(), { maxSide: 2048 })).gps,
      null,
    );
  });

  test('reads the position from a WebP photo too', async () => {
    const webp = await sharp(fixture('gps-south-west.jpg')).keepExif().webp().toBuffer();
    assert.deepEqual((await processPhoto(webp, { maxSide: 2048 })).gps, {
      lat: -22.9068,
      long: -43.1729,
    });
  });
});

describe('processPhoto: what is published', () => {
  test('keeps no metadata: no EXIF, XMP, IPTC or ICC, no camera, serial number or name', async () => {
    const photo = await processPhoto(fixture('gps-tours.jpg'), { maxSide: 2048 });
    const meta = await sharp(photo.data).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.iptc, undefined);
    assert.equal(meta.icc, undefined);
    assert.equal(await exifr.parse(photo.data, true), undefined);
    const text = photo.data.toString('latin1');
    for (const secret of ['Fairphone', 'FP5-0123456789', 'Jeanne', 'GPS'])
      assert.ok(!text.includes(secret), secret);
  });

  test('keeps no metadata in a transparent photo either, and still reads its position first', async () => {
    const png = await sharp(fixture('gps-tours.jpg'))
      .ensureAlpha(0.5)
      .keepMetadata()
      .png()
      .toBuffer();
    assert.ok((await sharp(png).metadata()).exif, 'the input PNG carries EXIF');
    const photo = await processPhoto(png, { maxSide: 2048 });
    assert.equal(photo.mime, 'image/webp');
    assert.deepEqual(photo.gps, { lat: 47.3941, long: 0.6848 });
    const meta = await sharp(photo.data).metadata();
    assert.deepEqual([meta.exif, meta.xmp, meta.icc], [undefined, undefined, undefined]);
    assert.ok(!photo.data.toString('latin1').includes('Fairphone'));
  });

  test(
    'leaves nothing exiftool can find either',
    { skip: spawnSync('exiftool', ['-ver']).status !== 0 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'georeport-media-'));
      try {
        const file = join(dir, 'out.jpg');
        writeFileSync(file, (await processPhoto(fixture('gps-tours.jpg'), { maxSide: 2048 })).data);
        const tags = execFileSync('exiftool', [
          '-a',
          '-G1',
          '-s',
          '-EXIF:all',
          '-XMP:all',
          '-IPTC:all',
          '-ICC_Profile:all',
          file,
        ]);
        assert.equal(tags.toString(), '');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('turns the picture upright from its EXIF orientation', async () => {
    // Stored 64×32, red left and blue right, Orientation 6: upright it is 32×64, red on top.
    const photo = await processPhoto(fixture('orientation-6.jpg'), { maxSide: 2048 });
    assert.deepEqual([photo.width, photo.height], [32, 64]);
    const { data } = await sharp(photo.data).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3),
    ];
    assert.ok(pixel(16, 8)[0]! > 200 && pixel(16, 8)[2]! < 60, `top is red: ${pixel(16, 8)}`);
    assert.ok(
      pixel(16, 56)[2]! > 200 && pixel(16, 56)[0]! < 60,
      `bottom is blue: ${pixel(16, 56)}`,
    );
  });

  test('caps the longest side and never enlarges a small picture', async () => {
    const wide = await processPhoto(await noisy(3000, 1000).jpeg().toBuffer(), { maxSide: 1024 });
    assert.deepEqual([wide.width, wide.height], [1024, 341]);
    const tall = await processPhoto(await solid(500, 2000).png().toBuffer(), { maxSide: 1000 });
    assert.deepEqual([tall.width, tall.height], [250, 1000]);
    const small = await processPhoto(await solid(64, 48).jpeg().toBuffer(), { maxSide: 2048 });
    assert.deepEqual([small.width, small.height], [64, 48]);
  });

  test('re-encodes to JPEG, except real transparency, which becomes WebP', async () => {
    const fromWebp = await processPhoto(await solid(40, 30).webp().toBuffer(), { maxSide: 2048 });
    assert.equal(fromWebp.mime, 'image/jpeg');
    const opaqueScreenshot = await processPhoto(await solid(40, 30, 4, 1).png().toBuffer(), {
      maxSide: 2048,
    });
    assert.equal(opaqueScreenshot.mime, 'image/jpeg');
    const sticker = await processPhoto(await solid(40, 30, 4, 0.5).png().toBuffer(), {
      maxSide: 2048,
    });
    assert.equal(sticker.mime, 'image/webp');
    assert.equal(sniffImage(sticker.data), 'image/webp');
    assert.equal((await sharp(sticker.data).metadata()).hasAlpha, true);
  });

  test('describes the output: size, dimensions and the SHA-256 of the bytes', async () => {
    const photo = await processPhoto(await noisy(300, 200).png().toBuffer(), { maxSide: 2048 });
    assert.equal(sniffImage(photo.data), 'image/jpeg');
    assert.equal(photo.bytes, photo.data.length);
    assert.equal(photo.sha256, createHash('sha256').update(photo.data).digest('hex'));
    assert.deepEqual([photo.width, photo.height], [300, 200]);
  });
});

describe('processPhoto: refusals', () => {
  test('refuses a text file and a PDF, naming the photo', async () => {
    await rejectsWith(
      processPhoto(Buffer.from('just text'), { maxSide: 2048, label: 'photo 2' }),
      'not_image',
      /^photo 2 is not a JPEG, PNG, WebP/,
    );
    await rejectsWith(
      processPhoto(Buffer.from('%PDF-1.4\n'), { maxSide: 2048 }),
      'not_image',
      /^the photo is not/,
    );
  });

  test('refuses a truncated JPEG and a JPEG with garbage after its signature', async () => {
    const jpeg = await noisy(200, 200).jpeg().toBuffer();
    await rejectsWith(
      processPhoto(jpeg.subarray(0, jpeg.length >> 1), { maxSide: 2048, label: 'photo 1' }),
      'not_image',
      /photo 1 .*cannot be read/,
    );
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);
    await rejectsWith(processPhoto(garbage, { maxSide: 2048 }), 'not_image', /cannot be read/);
  });

  test('refuses a HEIC photo this server cannot decode with a clear message', async () => {
    const heic = Buffer.concat([
      Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'),
      Buffer.alloc(100),
    ]);
    const decodable = sharp.format.heif.input.fileSuffix?.includes('.heic');
    await rejectsWith(
      processPhoto(heic, { maxSide: 2048 }),
      'not_image',
      decodable ? /cannot be read/ : /HEIC image, which this server cannot read/,
    );
  });

  test('refuses a decompression bomb from its header, before decoding it', async () => {
    // A real 16×16 JPEG whose frame header claims 60000 × 60000 pixels (3.6 gigapixels).
    const jpeg = Buffer.from(await solid(16, 16).jpeg({ mozjpeg: false }).toBuffer());
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60000, sof + 5);
    jpeg.writeUInt16BE(60000, sof + 7);
    const started = performance.now();
    await rejectsWith(
      processPhoto(jpeg, { maxSide: 2048, label: 'photo 1' }),
      'too_large',
      /photo 1 is 60000 × 60000 pixels; the limit is 25 megapixels/,
    );
    assert.ok(performance.now() - started < 1000, 'refused without decoding');
  });

  test('applies a lower pixel limit when given one', async () => {
    const image = await solid(200, 200).jpeg().toBuffer();
    await rejectsWith(
      processPhoto(image, { maxSide: 2048, maxPixels: 10_000 }),
      'too_large',
      /200 × 200 pixels/,
    );
  });
});
