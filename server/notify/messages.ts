import { CONFIRMATION_VALID_SECONDS } from '../requests/followers.store.ts';
import type { DetailedStatus } from '../requests/requests.types.ts';
import { STATUS_WORDS } from '../../widget/i18n/statuses.ts';
import type { DueConfirmation } from './confirmations.store.ts';
import type { DueNotification } from './notifications.store.ts';

/** An e-mail's words, in the language of its reader. */
export interface MailText {
  subject: string;
  /** Plain text: read the same by every mail client and screen reader; nothing in it is markup. */
  text: string;
  language: 'fr' | 'en';
}

type Words = {
  subject: (id: number, status: string) => string;
  opening: (id: number, kind: DueNotification['kind']) => string;
  category: string;
  address: string;
  newStatus: string;
  when: string;
  note: string;
  why: string;
  stop: string;
  /** The line leading to the request's page, public or (held) not yet. */
  page: (published: boolean) => string;
  confirm: {
    subject: (id: number) => string;
    asked: (id: number) => string;
    how: (days: number) => string;
    ignore: string;
  };
};

const WORDS: Record<'fr' | 'en', Words> = {
  fr: {
    subject: (id, status) => `Signalement n° ${id} : ${status}`,
    opening: (id, kind) => `Bonjour,\n\nLe signalement n° ${id} ${kind === 'reporter' ? 'que vous avez fait' : 'que vous suivez'} a changé d’état.`,
    category: 'Catégorie', address: 'Adresse', newStatus: 'Nouvel état', when: 'Le', note: 'Message de la ville :',
    why: 'Vous recevez ce message parce que vous avez demandé à être tenu informé de ce signalement.',
    stop: 'Pour ne plus recevoir de message à son sujet :',
    page: (published) => (published ? 'Voir le signalement :' : 'Sa page, visible une fois le signalement validé par la ville :'),
    confirm: {
      subject: (id) => `Confirmez votre adresse pour suivre le signalement n° ${id}`,
      asked: (id) => `Bonjour,\n\nQuelqu’un, sans doute vous, a demandé que cette adresse reçoive un e-mail à chaque changement d’état du signalement n° ${id}.`,
      how: (days) => `Pour les recevoir, ouvrez ce lien et appuyez sur « Confirmer » (il est valable ${days} jours) :`,
      ignore: 'Si vous n’avez rien demandé, ignorez ce message : sans confirmation, vous ne recevrez aucun e-mail au sujet de ce signalement.',
    },
  },
  en: {
    subject: (id, status) => `Report #${id}: ${status}`,
    opening: (id, kind) => `Hello,\n\nReport #${id}, ${kind === 'reporter' ? 'which you made' : 'which you follow'}, has a new status.`,
    category: 'Category', address: 'Address', newStatus: 'New status', when: 'On', note: 'Message from the city:',
    why: 'You receive this message because you asked to be kept informed about this report.',
    stop: 'To stop receiving messages about it:',
    page: (published) => (published ? 'See the report:' : 'Its page, shown once the city has approved the report:'),
    confirm: {
      subject: (id) => `Confirm your address to follow report #${id}`,
      asked: (id) => `Hello,\n\nSomeone, probably you, asked that this address receive an e-mail whenever report #${id} changes status.`,
      how: (days) => `To receive them, open this link and press “Confirm” (it works for ${days} days):`,
      ignore: 'If you asked for nothing, ignore this message: without confirmation, you will receive no e-mail about this report.',
    },
  },
};

/** A detailed status in residents' words (the widget's), in French or (any other language) English. */
export const statusLabel = (status: DetailedStatus, locale: string | null) => STATUS_WORDS[locale === 'fr' ? 'fr' : 'en'][status];

/** The words of a locale (French, else English), and its colon (French typography puts a space before it). */
function wordsOf(locale: string) {
  const language = locale === 'fr' ? 'fr' : 'en';
  return { language, w: WORDS[language], colon: language === 'fr' ? ' : ' : ': ' } as const;
}

/** The lines naming a request: its category and, when it has one, its address. */
const aboutLines = (w: Words, colon: string, n: { serviceName: string; address: string | null }) => [
  `${w.category}${colon}${n.serviceName}`,
  ...(n.address ? [`${w.address}${colon}${n.address}`] : []),
];

/** The links an e-mail about a request carries: its page, and the link of the e-mail's own action. */
export interface MailLinks {
  page: string;
  /** Unsubscribing (status e-mails) or confirming the address (confirmation e-mails). */
  action: string;
}

/** The e-mail telling a follower that a request moved, in their language (French or English), with a link to its page. */
export function statusMail(n: DueNotification, links: MailLinks, timeZone: string): MailText {
  const { language, w, colon } = wordsOf(n.locale);
  const status = STATUS_WORDS[language][n.detailedStatus];
  const when = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone })
    .format(new Date(n.at * 1000));
  const lines = [
    w.opening(n.requestId, n.kind),
    '',
    ...aboutLines(w, colon, n),
    `${w.newStatus}${colon}${status}`,
    `${w.when} ${when}`,
    ...(n.note ? ['', w.note, n.note] : []),
    '',
    w.page(n.published),
    links.page,
    '',
    '-- ',
    n.jurisdictionName,
    w.why,
    `${w.stop} ${links.action}`,
  ];
  return { subject: w.subject(n.requestId, status), text: `${lines.join('\n')}\n`, language };
}

/**
 * The e-mail asking whoever reads an address given to follow a request whether they want its news, in
 * the follower's language: a link to a page whose button confirms, that ignoring it is enough, and the
 * request's own page.
 */
export function confirmationMail(c: DueConfirmation, links: MailLinks): MailText {
  const { language, w, colon } = wordsOf(c.locale);
  const lines = [
    w.confirm.asked(c.requestId),
    '',
    ...aboutLines(w, colon, c),
    '',
    w.confirm.how(CONFIRMATION_VALID_SECONDS / 86_400),
    links.action,
    '',
    w.page(c.published),
    links.page,
    '',
    w.confirm.ignore,
    '',
    '-- ',
    c.jurisdictionName,
  ];
  return { subject: w.confirm.subject(c.requestId), text: `${lines.join('\n')}\n`, language };
}
