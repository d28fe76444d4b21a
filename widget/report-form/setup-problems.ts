import { GeoReportError } from '../api/client.ts';
import type { Messages } from '../i18n/index.ts';

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
