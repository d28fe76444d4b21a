import { MediaError } from './media.errors.ts';

// CitySDK's names for photo parts: `media`, `media[]`, `media[0]`…, `photo1`…
const PHOTO_PART = /^(?:media|media\[\d*\]|photo\d+)$/;

/** Whether a multipart part name is one a photo may be sent under. */
export function isPhotoPartName(name: string): boolean {
  return PHOTO_PART.test(name);
}

/**
 * Picks the photo files out of a parsed multipart body, in the order they were sent.
 *
 * How undici's `FormData` (behind `Request.formData()` in Node and Hono) exposes parts, which
 * decides what can be picked:
 * - a part with a `filename` is a `File`, whatever its Content-Type; with no Content-Type at all
 *   its `type` is `text/plain` (the Fetch spec's default), so types are sniffed from the bytes
 *   later;
 * - a part with no `filename` is a string, even with `Content-Type: image/jpeg`, and its bytes have
 *   been decoded as UTF-8 with replacement characters: the photo cannot be recovered. Such a part
 *   is refused with a message telling the client to add a filename, rather than silently dropped;
 * - an empty file part with an empty filename is what a browser sends for a file input left empty,
 *   and is skipped.
 *
 * @param maxFiles more photo parts than this → MediaError `too_many` (400)
 * @param maxBytesPerFile a larger part → MediaError `too_large` (413)
 * @example const files = collectUploads(await c.req.raw.formData(), 5, 10 * 1024 * 1024);
 */
export function collectUploads(form: FormData, maxFiles: number, maxBytesPerFile: number): File[] {
  const files: File[] = [];
  for (const [name, value] of form) {
    if (!isPhotoPartName(name)) continue;
    if (typeof value === 'string') {
      if (value === '') continue; // an empty text field carries no photo
      throw new MediaError(
        'not_image',
        `the part "${name}" was sent without a filename, so it arrived as text and its bytes are lost; ` +
          `send photos as file parts (Content-Disposition: form-data; name="${name}"; filename="photo.jpg")`,
      );
    }
    if (value.size === 0 && value.name === '') continue;
    files.push(value);
  }
  if (files.length > maxFiles) {
    throw new MediaError('too_many', `${files.length} photos were sent; the limit is ${maxFiles}`);
  }
  files.forEach((file, i) => {
    if (file.size > maxBytesPerFile) {
      throw new MediaError(
        'too_large',
        `photo ${i + 1} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytesPerFile)} per photo`,
      );
    }
  });
  return files;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} kB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
