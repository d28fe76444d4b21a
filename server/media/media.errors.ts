/**
 * What went wrong with an uploaded photo. Each kind maps to one HTTP status (see
 * `MEDIA_ERROR_STATUS`):
 * - `not_image`: the bytes are not an image we accept, are corrupt or truncated, or cannot be
 *   decoded here → 400
 * - `too_many`: more photo parts than allowed → 400
 * - `too_large`: a part above the byte limit, or an image above the pixel limit (decompression
 *   bomb) → 413
 * - `malformed`: the multipart body itself cannot be parsed → 400
 */
export type MediaErrorKind = 'not_image' | 'too_many' | 'too_large' | 'malformed';

/** The HTTP status each kind is answered with; the GeoReport error handler maps a MediaError with it. */
export const MEDIA_ERROR_STATUS = {
  not_image: 400,
  too_many: 400,
  too_large: 413,
  malformed: 400,
} as const satisfies Record<MediaErrorKind, number>;

/**
 * A problem with an uploaded photo, worded for the client (it names the photo: "photo 2 is …").
 * Thrown by the media module; the route layer turns it into the protocol's error body.
 *
 * @example
 * if (err instanceof MediaError) throw mediaRefusal(err);
 */
export class MediaError extends Error {
  override readonly name = 'MediaError';
  readonly kind: MediaErrorKind;
  /** What the message says in numbers, so that it can be worded in another language: the photo (from 1), how many were sent, the limit. */
  readonly facts: { photo?: number; sent?: number; max?: number };

  constructor(kind: MediaErrorKind, message: string, options?: { cause?: unknown; facts?: MediaError['facts'] }) {
    super(message, options);
    this.kind = kind;
    this.facts = options?.facts ?? {};
  }

  /** 400 or 413, from the kind. */
  get status(): (typeof MEDIA_ERROR_STATUS)[MediaErrorKind] {
    return MEDIA_ERROR_STATUS[this.kind];
  }
}
