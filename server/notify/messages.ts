import type { DetailedStatus } from '../requests/requests.types.ts';
import type { DueNotification } from './notifications.store.ts';

export interface StatusMail {
  subject: string;
  /** Plain text: read the same by every mail client and screen reader; nothing in it is markup. */
  text: string;
  language: 'fr' | 'en';
}

type Words = {
  status: Record<DetailedStatus, string>;
  subject: (id: number, status: string) => string;
  opening: (id: number, kind: DueNotification['kind']) => string;
  category: string;
  address: string;
  newStatus: string;
  when: string;
  note: string;
  why: string;
  stop: string;
};

const WORDS: Record<'fr' | 'en', Words> = {
  fr: {
    status: {
      received: 'reçu', in_progress: 'en cours de traitement', planned: 'intervention programmée', fixed: 'résolu',
      not_fixed: 'clos sans intervention', duplicate: 'doublon d’un autre signalement',
      referred: 'transmis à l’autorité compétente', rejected: 'refusé',
    },
    subject: (id, status) => `Signalement n° ${id} : ${status}`,
    opening: (id, kind) => `Bonjour,\n\nLe signalement n° ${id} ${kind === 'reporter' ? 'que vous avez fait' : 'que vous suivez'} a changé d’état.`,
    category: 'Catégorie', address: 'Adresse', newStatus: 'Nouvel état', when: 'Le', note: 'Message de la ville :',
    why: 'Vous recevez ce message parce que vous avez demandé à être tenu informé de ce signalement.',
    stop: 'Pour ne plus recevoir de message à son sujet :',
  },
  en: {
    status: {
      received: 'received', in_progress: 'in progress', planned: 'work planned', fixed: 'fixed',
      not_fixed: 'closed without action', duplicate: 'a duplicate of another report',
      referred: 'referred to the competent authority', rejected: 'rejected',
    },
    subject: (id, status) => `Report #${id}: ${status}`,
    opening: (id, kind) => `Hello,\n\nReport #${id}, ${kind === 'reporter' ? 'which you made' : 'which you follow'}, has a new status.`,
    category: 'Category', address: 'Address', newStatus: 'New status', when: 'On', note: 'Message from the city:',
    why: 'You receive this message because you asked to be kept informed about this report.',
    stop: 'To stop receiving messages about it:',
  },
};

/** A detailed status in words, in French or (any other language) English. */
export const statusLabel = (status: DetailedStatus, locale: string | null) => WORDS[locale === 'fr' ? 'fr' : 'en'].status[status];

/** The e-mail telling a follower that a request moved, in their language (French or English). */
export function statusMail(n: DueNotification, unsubscribeUrl: string, timeZone: string): StatusMail {
  const language = n.locale === 'fr' ? 'fr' : 'en';
  const w = WORDS[language];
  const status = w.status[n.detailedStatus];
  const when = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone })
    .format(new Date(n.at * 1000));
  // French typography puts a space before the colon.
  const colon = language === 'fr' ? ' : ' : ': ';
  const lines = [
    w.opening(n.requestId, n.kind),
    '',
    `${w.category}${colon}${n.serviceName}`,
    ...(n.address ? [`${w.address}${colon}${n.address}`] : []),
    `${w.newStatus}${colon}${status}`,
    `${w.when} ${when}`,
    ...(n.note ? ['', w.note, n.note] : []),
    '',
    '-- ',
    n.jurisdictionName,
    w.why,
    `${w.stop} ${unsubscribeUrl}`,
  ];
  return { subject: w.subject(n.requestId, status), text: `${lines.join('\n')}\n`, language };
}
