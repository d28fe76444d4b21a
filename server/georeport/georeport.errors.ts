import { REASONS, type Reason } from '../shared/refusals.ts';
import type { ErrorItem } from '../shared/refusals.ts';
import { describeRefusal, type RefusalLanguage } from './refusal-texts.ts';

export type { ErrorItem };

/** Values a refusal's description is written with (a limit, the value refused, a name). */
export type RefusalValues = Record<string, string | number>;

/** One thing refused: its reason, the parameter at fault when there is one, and what to word it with. */
export interface Refusal {
  reason: Reason;
  field?: string;
  values?: RefusalValues;
}

export type Open311Status = (typeof REASONS)[Reason];

/**
 * A request error answered in the Open311 error format. Thrown anywhere below a GeoReport route and
 * rendered in one place (the GeoReport `onError`), in the caller's language. Several refusals may go
 * together (every problem of a form at once); they share the status of the first.
 */
export class Open311Error extends Error {
  readonly status: Open311Status;
  readonly refusals: Refusal[];

  constructor(
    refusals: Refusal[],
    /** Seconds to wait before trying again, sent as `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(refusals.map((r) => describeRefusal(r, 'en')).join('; '));
    this.refusals = refusals;
    this.status = REASONS[refusals[0]!.reason];
  }

  /** The Open311 error list in `lang`: core `code` and `description`, then `reason` and `field`. */
  items(lang: RefusalLanguage): ErrorItem[] {
    return this.refusals.map((r) => ({
      code: this.status, description: describeRefusal(r, lang), reason: r.reason, ...(r.field === undefined ? {} : { field: r.field }),
    }));
  }
}

/**
 * Refuses a call for one reason.
 * @example throw refuse('field.too_long', 'title', { max: 200 });
 */
export const refuse = (reason: Reason, field?: string, values?: RefusalValues, retryAfter?: number) =>
  new Open311Error([{ reason, ...(field === undefined ? {} : { field }), ...(values === undefined ? {} : { values }) }], retryAfter);
