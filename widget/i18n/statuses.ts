import type { DetailedStatus } from '../api/types.ts';

/** A request's state as a resident sees it: its detailed status, or waiting for a moderator. */
export type ResidentStatus = DetailedStatus | 'pending';

/**
 * The one vocabulary of statuses for residents, in every language the widget speaks: the widget, the
 * request's public page and the e-mails to followers all word a status with it, so a resident reads
 * "En cours" everywhere. (Staff have their own words in the back office.) Kept free of imports beyond
 * types, since the server imports it too.
 */
export const STATUS_WORDS: Record<'fr' | 'en', Record<ResidentStatus, string>> = {
  fr: {
    received: 'Reçu', in_progress: 'En cours', planned: 'Programmé', fixed: 'Résolu', not_fixed: 'Clos sans intervention',
    duplicate: 'Doublon', referred: 'Transmis à l’autorité compétente', rejected: 'Refusé', pending: 'En attente de validation',
  },
  en: {
    received: 'Received', in_progress: 'In progress', planned: 'Planned', fixed: 'Fixed', not_fixed: 'Closed without action',
    duplicate: 'Duplicate', referred: 'Referred to the competent authority', rejected: 'Rejected', pending: 'Awaiting approval',
  },
};
