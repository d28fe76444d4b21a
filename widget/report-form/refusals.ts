import type { ResidentReason } from '../../server/shared/refusals.ts';
import { LIMITS } from '../../server/shared/checks.ts';
import type { ErrorItem } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';

const FORM_IDS: Record<string, string> = {
  lat: 'address', long: 'address', address_string: 'address', address_id: 'address', location: 'address',
  service_code: 'service', first_name: 'firstName', last_name: 'lastName', media: 'photos',
  description: 'description', email: 'email', phone: 'phone', organisation: 'organisation',
};

/** The form's id for the parameter a refusal names (`attribute[SIZE]` → `attr-SIZE`); undefined for none of its fields. */
export function formFieldOf(e: ErrorItem): string | undefined {
  const attribute = /^attribute\[(.+)\]$/.exec(e.field ?? '')?.[1];
  return attribute !== undefined ? `attr-${attribute}` : e.field && Object.hasOwn(FORM_IDS, e.field) ? FORM_IDS[e.field] : undefined;
}

/**
 * A refusal in the widget's words: from its dictionary by reason (with the field's `label`, its limit from
 * the shared checks, the seconds to wait), else the server's description, which is in the widget's language.
 */
export function wordRefusal(t: Messages, e: ErrorItem, facts: { label?: string; seconds?: number } = {}): string {
  const words = e.reason && Object.hasOwn(t.refusals, e.reason) ? t.refusals[e.reason as ResidentReason] : undefined;
  if (words === undefined) return e.description;
  const max = LIMITS[e.field as keyof typeof LIMITS] ?? LIMITS.attribute;
  return typeof words === 'string' ? words : words({ label: facts.label ?? '', max, seconds: facts.seconds ?? 60 });
}
