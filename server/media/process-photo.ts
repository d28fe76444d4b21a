import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { readExifGps, type GpsPosition } from './exif-gps.ts';
import { MediaError } from './media.errors.ts';
import { sniffImage, type SniffedImageType } from './sniff.ts';

/** The MIME types processPhoto writes. */
export type StoredPhotoType = 'image/jpeg' | 'image/webp';

/** A photo ready to store and serve: re-encoded, oriented, downsized, without any metadata. */
export interface ProcessedPhoto {
  /** The encoded image (JPEG, or WebP when the upload has real transparency). */
  data: Buffer;
  mime: StoredPhotoType;
  width: number;
  height: number;
  /** `data.length`. */
  bytes: number;
  /** Hex SHA-256 of `data`: the storage key and the ETag. */
  sha256: string;
  /** The position the camera recorded, read before the metadata was dropped; `null` when none is usable. */
  gps: GpsPosition | null;
}

export interface ProcessPhotoOptions {
  /** The longest side of the output, in pixels. Smaller images are never enlarged. */
  maxSide: number;
  /** Refuse images with more pixels than this before decoding them (decompression bombs). Default 25 MP. */
  maxPixels?: number;
  /** How error messages name the photo, e.g. `photo 2`. Default `the photo`. */
  label?: string;
}

/**
 * The default pixel limit: above what phones save by default (12 MP on most; 24 MP, 5712 × 4284, on
 * recent iPhones), below their optional full-sensor modes (48–50 MP) and below the 7070 × 7070 PNGs of
 * 210 kB that issue 13 measured (four took 19 s and 320 MB to decode). Photos are scaled down to 2048 px anyway; a resident's
 * full-sensor photo is refused with a message saying so (the widget scales photos down before sending).
 */
export const DEFAULT_MAX_PIXELS = 25_000_000;

const QUALITY = 82;

// Whether this libvips can decode HEVC-coded HEIF. The prebuilt sharp binaries only read AVIF (HEVC
// is patent-encumbered), and libvips lists the `.heic` suffix only when it has a decoder for it.
const CAN_DECODE_HEIC =
  (sharp.format.heif?.input as { fileSuffix?: string[] } | undefined)?.fileSuffix?.includes(
    '.heic',
  ) ?? false;
const ACCEPTED = CAN_DECODE_HEIC
  ? 'a JPEG, PNG, WebP, HEIC or AVIF image'
  : 'a JPEG, PNG, WebP or AVIF image';

/**
 * Turns an uploaded file into a photo that is safe to publish. It sniffs the type from the bytes,
 * reads the EXIF GPS position (before anything is stripped), turns the pixels upright from the EXIF
 * orientation, caps the longest side to `maxSide` and re-encodes with no metadata at all: no EXIF
 * (camera make, model and serial number, position, time), no XMP, no IPTC, no embedded ICC profile
 * (colours are converted to sRGB, which is what a missing profile means).
 *
 * Output format: JPEG at quality 82 for everything without real transparency — photos are what
 * residents send, JPEG is the one format every Open311 consumer (CRMs, e-mail clients, older apps)
 * displays, and at 82 artefacts are not visible at the sizes photos are shown. An upload with real
 * transparency (a sticker, a cut-out) becomes WebP at quality 82 with lossless alpha, not PNG: PNG
 * is lossless, so a photo with an alpha channel stays photo-sized — measured at 2048 px, 10 MB as
 * PNG against 0.8 MB as WebP (a flat sticker: 32 kB against 21 kB). Every browser has shown WebP
 * since 2020, and the case is rare. An alpha channel that is fully opaque (common in phone
 * screenshots) does not count as transparency: JPEG.
 *
 * @throws MediaError `not_image` for non-images, corrupt or truncated images and undecodable types;
 *   `too_large` above `maxPixels`.
 * @example const photo = await processPhoto(await file.bytes(), { maxSide: 2048, label: 'photo 1' });
 */
export async function processPhoto(
  bytes: Uint8Array,
  options: ProcessPhotoOptions,
): Promise<ProcessedPhoto> {
  const { maxSide, maxPixels = DEFAULT_MAX_PIXELS, label = 'the photo' } = options;
  // A programming error, not the client's: fail loudly rather than let sharp guess.
  if (!Number.isInteger(maxSide) || maxSide < 1)
    throw new RangeError(`maxSide must be a positive integer`);
  const type = sniffImage(bytes);
  if (!type) throw new MediaError('not_image', `${label} is not ${ACCEPTED}`);
  if (type === 'image/heic' && !CAN_DECODE_HEIC) {
    throw new MediaError(
      'not_image',
      `${label} is a HEIC image, which this server cannot read; send ${ACCEPTED}`,
    );
  }

  // `truncated` rejects a cut-off upload but tolerates the minor warnings many phone JPEGs raise
  // (extraneous bytes before a marker…), which the default `warning` would turn into a refusal.
  // `limitInputPixels` is the decoder's own guard. metadata() only reads the header, so it runs
  // without it, to say in the refusal how large the image claims to be.
  // `sequentialRead` decodes top to bottom in strips instead of holding the whole image: with the
  // shrink-on-load JPEG and WebP get from resize(), peak memory stays a fraction of the decoded size.
  const input = { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true } as const;
  const meta = await sharp(bytes, { ...input, limitInputPixels: false })
    .metadata()
    .catch((err: unknown) => {
      throw unreadable(label, type, err);
    });
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) {
    throw new MediaError(
      'too_large',
      `${label} is ${meta.width} × ${meta.height} pixels; the limit is ${(maxPixels / 1e6).toLocaleString('en')} megapixels`,
    );
  }
  const gps = await readExifGps(meta.exif);

  // rotate() with no angle applies the EXIF orientation; sharp writes no metadata unless asked to
  // (keepExif/keepMetadata/withMetadata), so the re-encode drops it all.
  const upright = sharp(bytes, input)
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });

  try {
    const out = meta.hasAlpha ? await encodeWithAlpha(upright) : await encodeJpeg(upright);
    const data = out.data;
    return {
      data,
      mime: out.mime,
      width: out.width,
      height: out.height,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      gps,
    };
  } catch (err) {
    throw unreadable(label, type, err);
  }
}

interface Encoded {
  data: Buffer;
  mime: StoredPhotoType;
  width: number;
  height: number;
}

async function encodeJpeg(image: Sharp): Promise<Encoded> {
  // Progressive scans with optimised Huffman tables: 6 % smaller than baseline for 20 % more time,
  // and a preview appears early on slow mobile links. Not mozjpeg: another 4 % smaller but three
  // times slower (measured on a 12 MP photo: 162 ms against 483 ms).
  const { data, info } = await image
    .jpeg({ quality: QUALITY, progressive: true, optimiseCoding: true })
    .toBuffer({ resolveWithObject: true });
  return { data, mime: 'image/jpeg', width: info.width, height: info.height };
}

/**
 * Decodes once into a lossless intermediate (already upright, downsized, 8-bit sRGB), then picks
 * JPEG or WebP by the alpha seen. Not raw pixels: sharp's raw output drops the alpha band of
 * greyscale images and clips 16-bit samples. The intermediate, not the pipeline, is measured
 * because stats() reads its input and ignores queued operations.
 */
async function encodeWithAlpha(image: Sharp): Promise<Encoded> {
  const flat = await image.toColourspace('srgb').png({ compressionLevel: 0 }).toBuffer();
  const { isOpaque } = await sharp(flat).stats();
  if (isOpaque) return encodeJpeg(sharp(flat).removeAlpha());
  const { data, info } = await sharp(flat)
    .webp({ quality: QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { data, mime: 'image/webp', width: info.width, height: info.height };
}

function unreadable(label: string, type: SniffedImageType, err: unknown): MediaError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    return new MediaError('too_large', `${label} has more pixels than this server accepts`, {
      cause: err,
    });
  }
  const format = type.slice('image/'.length).toUpperCase();
  return new MediaError(
    'not_image',
    `${label} looks like a ${format} image but cannot be read (corrupt or truncated)`,
    {
      cause: err,
    },
  );
}
