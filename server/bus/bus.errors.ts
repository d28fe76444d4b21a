/** A refused bus call: its status, what is wrong, and each problem (with its field or path) when there are several. */
export class BusError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }

  /** The JSON body every refused bus call answers. */
  body() {
    return { error: { code: this.status, message: this.message, ...(this.problems.length ? { problems: this.problems } : {}) } };
  }
}
