import { DETAILED_STATUSES, type DetailedStatus } from '../requests/requests.types.ts';

/** FixMyStreet's upper-case extended statuses, as it sends them, mapped onto ours. */
const FROM_FMS = new Map<string, DetailedStatus>(Object.entries({
  OPEN: 'received',
  INVESTIGATING: 'in_progress',
  IN_PROGRESS: 'in_progress',
  ACTION_SCHEDULED: 'planned',
  FIXED: 'fixed',
  CLOSED: 'not_fixed',
  UNABLE_TO_FIX: 'not_fixed',
  NO_FURTHER_ACTION: 'not_fixed',
  NOT_COUNCILS_RESPONSIBILITY: 'referred',
  INTERNAL_REFERRAL: 'referred',
  DUPLICATE: 'duplicate',
  REJECTED: 'rejected',
} satisfies Record<string, DetailedStatus>));

/** Ours, as FixMyStreet reads them back (it lower-cases and maps them onto its own states). */
const TO_FMS: Record<DetailedStatus, string> = {
  received: 'OPEN',
  in_progress: 'IN_PROGRESS',
  planned: 'ACTION_SCHEDULED',
  fixed: 'FIXED',
  not_fixed: 'NO_FURTHER_ACTION',
  duplicate: 'DUPLICATE',
  referred: 'NOT_COUNCILS_RESPONSIBILITY',
  rejected: 'CLOSED',
};

/** A status as sent by a client: FixMyStreet's upper-case names, or ours in any case. Undefined if unknown. */
export function parseUpdateStatus(text: string): DetailedStatus | undefined {
  const upper = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return FROM_FMS.get(upper) ?? DETAILED_STATUSES.find((s) => s.toUpperCase() === upper);
}

export const fmsStatus = (status: DetailedStatus) => TO_FMS[status];
