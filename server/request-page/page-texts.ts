import { STATUS_WORDS } from '../../widget/i18n/statuses.ts';

/** The languages a request's page is written in. */
export const PAGE_LANGUAGES = ['fr', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];
export const isPageLanguage = (lang: string | undefined): lang is PageLanguage => (PAGE_LANGUAGES as readonly string[]).includes(lang ?? '');

const fr = {
  /** Its name in its own language, for the link to it from the other one. */
  name: 'Français',
  locale: 'fr-FR',
  ogLocale: 'fr_FR',
  statuses: STATUS_WORDS.fr,
  number: (id: number) => `Signalement n° ${id}`,
  title: (id: number, service: string, town: string) => `Signalement n° ${id} : ${service} – ${town}`,
  ogTitle: (service: string, status: string, id: number) => `${service} : ${status} (signalement n° ${id})`,
  status: 'État : ',
  facts: 'En bref',
  service: 'Catégorie',
  reported: 'Signalé le',
  updated: 'Dernier changement',
  expected: 'Prévu pour',
  agency: 'Service responsable',
  followers: (n: number) => (n === 0 ? 'Personne d’autre ne le suit encore.' : n === 1 ? 'Un habitant le suit.' : `${n} habitants le suivent.`),
  duplicateOf: 'Ce signalement fait doublon : il a rejoint le',
  other: (id: number) => `signalement n° ${id}`,
  place: 'Lieu',
  noAddress: 'Adresse non précisée',
  coordinates: (lat: string, long: string) => `Coordonnées : ${lat}, ${long}`,
  map: 'Voir le lieu sur OpenStreetMap',
  photos: 'Photos',
  photo: (n: number) => `Photo ${n} du signalement`,
  history: 'Historique',
  filed: 'Signalement déposé',
  note: 'Message de la ville',
  follow: {
    title: 'Suivre ce signalement',
    intro: 'Recevez un e-mail à chaque changement d’état. Nous vous demanderons d’abord de confirmer votre adresse ; chaque e-mail permet de ne plus en recevoir.',
    email: 'Votre adresse e-mail',
    button: 'Me prévenir par e-mail',
    invalid: 'Saisissez une adresse comme nom@exemple.fr.',
    doneTitle: 'Consultez votre messagerie',
    done: 'Pour recevoir les e-mails sur ce signalement, ouvrez le lien que nous envoyons à votre adresse et appuyez sur « Confirmer » (regardez aussi dans les indésirables). Rien ne vous est envoyé d’ici là.',
    back: 'Retour au signalement',
  },
  openData: 'Ce signalement en données ouvertes (Open311, JSON)',
  notFound: {
    title: 'Signalement introuvable',
    text: 'Ce signalement n’existe pas ou n’est pas public. Un signalement que la ville vérifie avant de le publier apparaît ici une fois validé.',
  },
  refused: {
    title: 'Demande refusée',
    busy: 'Trop de demandes depuis ici à l’instant. Réessayez dans quelques minutes.',
    malformed: 'Ce formulaire n’a pas pu être lu. Revenez au signalement et réessayez.',
  },
};

const en: typeof fr = {
  name: 'English',
  locale: 'en-GB',
  ogLocale: 'en_GB',
  statuses: STATUS_WORDS.en,
  number: (id) => `Report #${id}`,
  title: (id, service, town) => `Report #${id}: ${service} – ${town}`,
  ogTitle: (service, status, id) => `${service}: ${status} (report #${id})`,
  status: 'Status: ',
  facts: 'In short',
  service: 'Category',
  reported: 'Reported on',
  updated: 'Last change',
  expected: 'Expected by',
  agency: 'Department in charge',
  followers: (n) => (n === 0 ? 'No one else follows it yet.' : n === 1 ? 'One resident follows it.' : `${n} residents follow it.`),
  duplicateOf: 'This report is a duplicate: it joined',
  other: (id) => `report #${id}`,
  place: 'Place',
  noAddress: 'No address given',
  coordinates: (lat, long) => `Coordinates: ${lat}, ${long}`,
  map: 'See the place on OpenStreetMap',
  photos: 'Photos',
  photo: (n) => `Photo ${n} of the report`,
  history: 'History',
  filed: 'Report filed',
  note: 'Message from the city',
  follow: {
    title: 'Follow this report',
    intro: 'Get an e-mail whenever its status changes. We will first ask you to confirm your address; every e-mail lets you stop them.',
    email: 'Your e-mail address',
    button: 'Keep me informed by e-mail',
    invalid: 'Enter an address such as name@example.org.',
    doneTitle: 'Check your inbox',
    done: 'To receive e-mails about this report, open the link we are sending to your address and press “Confirm” (look in your spam folder too). Nothing is sent to you until then.',
    back: 'Back to the report',
  },
  openData: 'This report as open data (Open311, JSON)',
  notFound: {
    title: 'Report not found',
    text: 'This report does not exist or is not public. A report the city checks before publishing it appears here once approved.',
  },
  refused: {
    title: 'Request refused',
    busy: 'Too many requests from here just now. Try again in a few minutes.',
    malformed: 'This form could not be read. Go back to the report and try again.',
  },
};

/** The words of a request's page, in French and English. */
export const PAGE_TEXTS: Record<PageLanguage, typeof fr> = { fr, en };
export type PageTexts = typeof fr;
