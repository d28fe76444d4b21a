import type { Context } from 'hono';
import { readBody, readChunks } from '../http/body.ts';
import { MediaError } from '../media/media.errors.ts';
import type { ProcessedPhoto } from '../media/process-photo.ts';
import { readMultipart } from '../media/uploads.ts';
import { addField, normalizeText, parseForm, type Fields } from './fields.ts';
import { refuse } from './georeport.errors.ts';
import { mediaRefusal } from './photos.ts';
import type { PhotoBatch, PhotoLimits } from './photos.ts';

/** Who may send what: the write's key checks, and where its photos go. */
export interface FormAccess {
  /**
   * The caller the fields (with the query) name by their `api_key`, or undefined while none is valid.
   * Asynchronous (a store look-up): the fields are read when it is called.
   */
  identify(fields: Fields): Promise<unknown>;
  /** The same, or the 403 refusal: called when a photo part begins. */
  authenticate(fields: Fields): Promise<unknown>;
  /** Bytes read from a caller not yet identified, at most: a text body's limit. */
  maxAnonymousBytes: number;
  photoLimits: PhotoLimits;
  /** A batch for the photos; absent, photo parts are skipped unread (writes that take none). */
  photos?: () => Promise<PhotoBatch>;
}

export interface FormBody {
  fields: Fields;
  /** Re-encoded photos of a multipart body, in the order they were sent. */
  photos: ProcessedPhoto[];
}

/**
 * Reads a POST body as form fields: `application/x-www-form-urlencoded` (also assumed when no type is
 * sent) or `multipart/form-data`. Malformed bodies are a 400, and so is invalid UTF-8 in a urlencoded
 * body; in multipart text fields it is replaced with U+FFFD, which is stored as such (still well-formed
 * in XML and JSON). A multipart body streams: a photo part is refused with a 403 as it begins unless a
 * valid `api_key` came before it (query string or an earlier field), and until one has, at most
 * `maxAnonymousBytes` are read.
 */
export async function readFormBody(c: Context, access: FormAccess): Promise<FormBody> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return readMultipartForm(c, access);
  if (type === '' || type.startsWith('application/x-www-form-urlencoded')) {
    const bytes = await readBody(c);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw refuse('body.utf8');
    }
    return { fields: parseForm(text), photos: [] };
  }
  throw refuse('body.type');
}

async function readMultipartForm(c: Context, access: FormAccess): Promise<FormBody> {
  const fields: Fields = new Map();
  let known = (await access.identify(fields)) !== undefined;
  const batch = await access.photos?.();
  /** Until a valid key is known, the body is held to a text body's limit. */
  async function* heldUntilKnown(chunks: AsyncIterable<Uint8Array>) {
    let bytes = 0;
    for await (const chunk of chunks) {
      // Judged on what was read before this chunk, whose fields may carry the key: a caller never
      // known gets at most the limit and one chunk read.
      if (!known && bytes > access.maxAnonymousBytes) {
        throw refuse('body.key_late', undefined, { max: access.maxAnonymousBytes });
      }
      bytes += chunk.byteLength;
      yield chunk;
    }
  }
  try {
    await readMultipart(heldUntilKnown(readChunks(c)), {
      contentType: c.req.header('content-type')!,
      photos: batch !== undefined,
      maxPhotos: access.photoLimits.maxPhotos,
      maxPhotoBytes: access.photoLimits.maxPhotoBytes,
      onField(name, value) {
        addField(fields, normalizeText(name), normalizeText(value));
        // Settled before the next chunk is read (readMultipart waits for it), so `known` is up to date then.
        if (name === 'api_key') return access.identify(fields).then((client) => void (known = client !== undefined));
      },
      async beforePhoto() {
        await access.authenticate(fields);
        await batch!.admit();
      },
      onPhoto: (bytes, index) => batch!.add(bytes, index),
    });
  } catch (e) {
    if (e instanceof MediaError) throw mediaRefusal(e);
    throw e;
  } finally {
    batch?.close();
  }
  return { fields, photos: batch?.photos ?? [] };
}
