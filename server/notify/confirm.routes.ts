import { Hono, type Context } from 'hono';
import type { ConfirmationByToken, FollowersStore } from '../requests/followers.store.ts';
import { LINK_TOKEN, mailPage, unknownLinkPage } from './mail-page.ts';

const TEXT = {
  fr: {
    title: 'Confirmer votre adresse',
    ask: (id: number) => `Vous recevrez un e-mail à chaque changement d’état du signalement n° ${id}. Chaque e-mail contiendra un lien pour ne plus en recevoir.`,
    confirm: 'Confirmer',
    done: (id: number) => `C’est fait : vous recevrez un e-mail à chaque changement d’état du signalement n° ${id}.`,
    used: 'Ce lien a déjà servi : l’adresse a été confirmée. Si vous vous êtes désabonné depuis, suivez de nouveau le signalement et utilisez le lien du nouveau message.',
  },
  en: {
    title: 'Confirm your address',
    ask: (id: number) => `You will receive an e-mail whenever report #${id} changes status. Each e-mail will carry a link to stop them.`,
    confirm: 'Confirm',
    done: (id: number) => `Done: you will receive an e-mail whenever report #${id} changes status.`,
    used: 'This link was already used: the address was confirmed. If you unsubscribed since, follow the report again and use the link in the new message.',
  },
};

const languageOf = (found: ConfirmationByToken) => (found.locale === 'fr' ? 'fr' : 'en');

/**
 * The link of a confirmation e-mail (double opt-in): GET shows what confirming does and a button (mail
 * scanners follow links; they do not press buttons), POST confirms, once. Until then the address gets
 * no status e-mail; confirming also ends an earlier unsubscription, as only the address's owner can.
 */
export function createConfirmRoutes(deps: { followers: FollowersStore; now: () => number }) {
  const app = new Hono();
  const seconds = () => Math.floor(deps.now() / 1000);
  const token = (c: Context) => {
    const text = c.req.param('token') ?? '';
    return LINK_TOKEN.test(text) ? text : undefined;
  };
  app.get('/:token', async (c) => {
    const t = token(c);
    const found = t === undefined ? undefined : await deps.followers.confirmation(t, seconds());
    if (!found) return unknownLinkPage(c, TEXT.fr.title);
    const words = TEXT[languageOf(found)];
    if (found.used) return mailPage(c, languageOf(found), words.title, [words.used]);
    return mailPage(c, languageOf(found), words.title, [words.ask(found.requestId)], words.confirm);
  });
  app.post('/:token', async (c) => {
    const t = token(c);
    const found = t === undefined ? undefined : await deps.followers.confirm(t, seconds());
    if (!found) return unknownLinkPage(c, TEXT.fr.title);
    const words = TEXT[languageOf(found)];
    return mailPage(c, languageOf(found), words.title, [found.used ? words.used : words.done(found.requestId)]);
  });
  return app;
}
