/**
 * A refused call of a JSON API (the bus, the back office): its status, what is wrong, and each problem
 * (with its field or path) when there are several.
 */
export class JsonError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }

  /** The JSON body every refused call answers: `{"error": {"code", "message", "problems"?}}`. */
  body() {
    return { error: { code: this.status, message: this.message, ...(this.problems.length ? { problems: this.problems } : {}) } };
  }
}
