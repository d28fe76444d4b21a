/** One Open311 error item: `{code, description}`. */
export interface ErrorItem {
  code: number;
  description: string;
}

/**
 * A request error answered in the Open311 error format. Thrown anywhere below a GeoReport route and
 * rendered in one place (the GeoReport `onError`).
 */
export class Open311Error extends Error {
  readonly status: 400 | 403 | 404 | 413 | 429 | 500 | 503;
  readonly errors: ErrorItem[];

  constructor(
    status: Open311Error['status'],
    descriptions: string[],
    /** Seconds to wait before trying again, sent as `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(descriptions.join('; '));
    this.status = status;
    this.errors = descriptions.map((description) => ({ code: status, description }));
  }
}

export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions);
export const forbidden = (description: string) => new Open311Error(403, [description]);
export const notFound = (description: string) => new Open311Error(404, [description]);
export const tooLarge = (description: string) => new Open311Error(413, [description]);
export const tooManyRequests = (description: string, retryAfter?: number) => new Open311Error(429, [description], retryAfter);
export const serviceUnavailable = (description: string, retryAfter: number) => new Open311Error(503, [description], retryAfter);
