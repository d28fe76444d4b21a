/** The image types an upload may be, as told by its first bytes. */
export type SniffedImageType =
  'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/avif';

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

// SOI followed by the first marker's 0xFF: a JPEG begins with FF D8 FF whatever comes next (JFIF,
// Exif, …).
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const AVIF_BRANDS = new Set(['avif', 'avis']);
// `mif1`/`msf1` are the generic HEIF brands; phones always add a codec brand, but a HEIF that names
// no codec is still HEIF, and the decoder decides whether it can read it.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * Tells an image's type from its magic bytes alone. A multipart part's Content-Type and filename
 * are whatever the client chose (undici even reports `text/plain` for a file part sent without a
 * type), so they are never consulted.
 *
 * @returns the MIME type, or `undefined` when the bytes are not one of the images we accept.
 * @example sniffImage(await file.bytes()) // 'image/jpeg'
 */
export function sniffImage(bytes: Uint8Array): SniffedImageType | undefined {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  return sniffHeif(bytes);
}

/**
 * HEIC and AVIF are ISO-BMFF files: a first `ftyp` box holding a major brand and a list of
 * compatible brands. AVIF wins when both families appear, since an AVIF file often also lists
 * `mif1`.
 */
function sniffHeif(bytes: Uint8Array): SniffedImageType | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  // Brands are 4 bytes each from offset 16 (after major brand and minor version), inside the box.
  const end = Math.min(boxSize, bytes.length, 256);
  if (boxSize < 16) return undefined;
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'image/avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'image/heic';
  return undefined;
}
