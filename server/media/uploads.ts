import busboy from 'busboy';
import { MediaError } from './media.errors.ts';

// CitySDK's names for photo parts: `media`, `media[]`, `media[0]`…, `photo1`…
const PHOTO_PART = /^(?:media|media\[\d*\]|photo\d+)$/;

/** Whether a multipart part name is one a photo may be sent under. */
export function isPhotoPartName(name: string): boolean {
  return PHOTO_PART.test(name);
}

export interface MultipartReading {
  /** The request's `Content-Type` (`multipart/form-data; boundary=…`). */
  contentType: string;
  /** Whether photo parts are kept; when not, they are skipped unread like any other file part. */
  photos: boolean;
  /** More photo parts than this → MediaError `too_many` (400), once the body has been read. */
  maxPhotos: number;
  /** A photo part growing past this → MediaError `too_large` (413) at once. */
  maxPhotoBytes: number;
  /**
   * Each text field, as it arrives. May throw (or reject), which stops the reading; a promise it returns is
   * settled before the next chunk is read and before any photo is handed on.
   */
  onField(name: string, value: string): void | Promise<void>;
  /**
   * When a photo part begins, before any of its bytes is kept (if it returns a promise, before any photo is
   * handed on or the next chunk read: the bytes of the chunk at hand wait in memory). May throw (or
   * reject), which stops the reading.
   */
  beforePhoto(): void | Promise<void>;
  /** Each complete photo (`index` from 0), in order; the body is not read further until it settles. */
  onPhoto(bytes: Buffer, index: number): Promise<void>;
}

/**
 * Reads a `multipart/form-data` body as it streams, keeping only what is needed: text fields, and the
 * bytes of one photo part at a time (up to `maxPhotoBytes`). File parts under other names are skipped
 * unread. Which parts are photos, whatever the client library:
 * - a part with a `filename` is a file, whatever its Content-Type, and so is one typed
 *   `application/octet-stream`; with no Content-Type at all, its type is sniffed from the bytes later;
 * - a photo-named part with neither is text, its bytes decoded as UTF-8: such a part is refused with a
 *   message telling the client to add a filename, rather than silently dropped;
 * - an empty file part with no filename is what a browser sends for a file input left empty, and an
 *   empty text part carries no photo: both are skipped;
 * - a part without a name is malformed; one without Content-Disposition at all is skipped (busboy's
 *   reading of RFC 7578, which requires one: such a part names no field the client meant to send).
 *
 * @throws MediaError `malformed` (400) for a body that is not multipart, `not_image`, `too_many`,
 *   `too_large`; and whatever the callbacks throw.
 * @example await readMultipart(readChunks(c), { contentType, maxPhotos: 4, maxPhotoBytes: 15 << 20, … });
 */
export async function readMultipart(chunks: AsyncIterable<Uint8Array>, reading: MultipartReading): Promise<void> {
  let parser: busboy.Busboy;
  if (!/;\s*boundary=(?:"[^"]+"|[^\s;"]+)/i.test(reading.contentType)) throw malformed();
  try {
    parser = busboy({ headers: { 'content-type': reading.contentType }, defParamCharset: 'utf8', limits: { fieldSize: Infinity } });
  } catch {
    throw malformed();
  }
  let failure: unknown;
  const fail = (e: unknown) => {
    failure ??= e;
  };
  const complete: Buffer[] = []; // photos read and not yet handed to onPhoto
  let checks: Promise<void>[] = []; // what onField and beforePhoto are still deciding
  const check = (result: void | Promise<void>) => {
    if (result) checks.push(result.catch(fail));
  };
  let photos = 0;

  parser.on('field', (name: string | undefined, value) => {
    if (failure !== undefined) return;
    try {
      if (name === undefined) throw malformed(); // RFC 7578: every part is named
      if (reading.photos && isPhotoPartName(name) && value !== '') {
        throw new MediaError(
          'not_image',
          `the part "${name}" was sent without a filename, so it arrived as text and its bytes are lost; ` +
            `send photos as file parts (Content-Disposition: form-data; name="${name}"; filename="photo.jpg")`,
        );
      }
      check(reading.onField(name, value));
    } catch (e) {
      fail(e);
    }
  });

  parser.on('file', (name, stream, info) => {
    stream.on('error', () => undefined); // a part cut off when the reading stops early: nothing to report
    if (name === undefined) fail(malformed());
    if (failure !== undefined || !reading.photos || !isPhotoPartName(name)) return void stream.resume();
    try {
      check(reading.beforePhoto());
    } catch (e) {
      fail(e);
      return void stream.resume();
    }
    let counted = info.filename !== undefined;
    if (counted) photos++;
    const kept: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (!counted) {
        counted = true;
        photos++;
      }
      size += chunk.length;
      if (photos > reading.maxPhotos || failure !== undefined) return; // counted, not kept
      if (size > reading.maxPhotoBytes) {
        fail(new MediaError('too_large', `photo ${photos} is larger than ${formatBytes(reading.maxPhotoBytes)}, the limit per photo`, { facts: { photo: photos } }));
        return;
      }
      kept.push(chunk);
    });
    stream.on('end', () => {
      if (counted && photos <= reading.maxPhotos && failure === undefined) complete.push(Buffer.concat(kept));
    });
  });

  const parserFailed = new Promise<never>((_, reject) => parser.on('error', () => reject(malformed())));
  parserFailed.catch(() => undefined); // raced below; never left unhandled
  let handed = 0;
  /** Hands the photos read so far to onPhoto, one at a time, and stops at the first failure. */
  const settle = async () => {
    while (checks.length > 0) {
      const pending = checks;
      checks = [];
      await Promise.all(pending);
    }
    if (failure !== undefined) throw failure;
    while (complete.length > 0) await reading.onPhoto(complete.shift()!, handed++);
    if (failure !== undefined) throw failure;
  };
  try {
    for await (const chunk of chunks) {
      await Promise.race([new Promise((resolve) => parser.write(chunk, resolve)), parserFailed]);
      await settle();
    }
    const closed = new Promise((resolve) => parser.once('close', resolve)); // after every part has ended
    parser.end();
    await Promise.race([closed, parserFailed]);
    await settle();
  } finally {
    parser.destroy();
  }
  if (photos > reading.maxPhotos) throw new MediaError('too_many', `${photos} photos were sent; the limit is ${reading.maxPhotos}`, { facts: { sent: photos, max: reading.maxPhotos } });
}

const malformed = () => new MediaError('malformed', 'the multipart/form-data body is malformed');

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} kB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
