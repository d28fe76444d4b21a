import type { ResidentReason } from '../../server/shared/refusals.ts';
import { LIMITS } from '../../server/shared/checks.ts';
import { GeoReportError } from '../api/client.ts';
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

/** What can keep the form from working at all, found when it loads. */
export type SetupProblem = keyof Omit<Messages['setup'], 'unavailable' | 'retry'>;

/** What a web editor reads in the console: what is wrong and how to fix it. */
const FIXES: Record<SetupProblem, string> = {
  'key.missing': 'no api-key attribute: create a key with `georeport keys create` (scope report) and set api-key="…"',
  'key.invalid': 'the server does not know this api-key (mistyped or revoked): create one with `georeport keys create`',
  'key.scope': 'this api-key may not file reports (no report scope): a public page needs a key with the report scope',
  'key.jurisdiction': 'this api-key belongs to another jurisdiction: check the jurisdiction attribute, or use that jurisdiction’s key',
  'jurisdiction.unknown': 'the server serves no jurisdiction by the name in the jurisdiction attribute',
  'jurisdiction.missing': 'the server serves several jurisdictions: set the jurisdiction attribute',
  unreachable: 'the server attribute does not answer (wrong URL, server down, or its GEOREPORT_CORS_ORIGINS leave this site out)',
};

/** The set-up problem a failed `widget-config` call shows (undefined: none the editor can fix; the form goes on). */
export function setupProblemOf(err: unknown): SetupProblem | undefined {
  if (!(err instanceof GeoReportError)) return undefined;
  if (err.kind === 'network') return 'unreachable';
  const [first] = err.errors;
  if (first?.reason === 'field.missing' && first.field === 'jurisdiction_id') return 'jurisdiction.missing';
  const reason = first?.reason;
  return reason === 'key.missing' || reason === 'key.invalid' || reason === 'key.scope' || reason === 'key.jurisdiction' || reason === 'jurisdiction.unknown'
    ? reason : undefined;
}

/** Tells the web editor in the console what to fix, with the server asked. */
export function reportSetupProblem(problem: SetupProblem, server: string): void {
  console.error(`<georeport-form> cannot file reports: ${FIXES[problem]} (server ${server})`);
}
