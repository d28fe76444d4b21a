import { Hono, type Context } from 'hono';
import type { FollowersStore } from '../requests/followers.store.ts';
import { LINK_TOKEN, mailPage, unknownLinkPage } from './mail-page.ts';

const TEXT = {
  fr: {
    title: 'Ne plus recevoir de message',
    ask: (id: number) => `Vous ne recevrez plus de message au sujet du signalement n° ${id}.`,
    confirm: 'Confirmer',
    done: (id: number) => `C’est fait : vous ne recevrez plus de message au sujet du signalement n° ${id}.`,
    already: (id: number) => `Vous ne recevez déjà plus de message au sujet du signalement n° ${id}.`,
  },
  en: {
    title: 'Stop receiving messages',
    ask: (id: number) => `You will no longer receive messages about report #${id}.`,
    confirm: 'Confirm',
    done: (id: number) => `Done: you will no longer receive messages about report #${id}.`,
    already: (id: number) => `You already receive no more messages about report #${id}.`,
  },
};

/**
 * The unsubscribe link of every e-mail, no account needed: GET shows what it will do and a button (mail
 * scanners follow links; they do not press buttons), POST does it. POST alone is also the one-click
 * unsubscribe of RFC 8058 (`List-Unsubscribe-Post`).
 */
export function createUnsubscribeRoutes(deps: { followers: FollowersStore; now: () => number }) {
  const app = new Hono();
  const find = async (c: Context) => {
    const token = c.req.param('token') ?? '';
    return { token, follower: LINK_TOKEN.test(token) ? await deps.followers.byToken(token) : undefined };
  };
  app.get('/:token', async (c) => {
    const { follower } = await find(c);
    if (!follower) return unknownLinkPage(c, TEXT.fr.title);
    const lang = follower.locale === 'fr' ? 'fr' : 'en';
    const t = TEXT[lang];
    if (follower.unsubscribed) return mailPage(c, lang, t.title, [t.already(follower.requestId)]);
    return mailPage(c, lang, t.title, [t.ask(follower.requestId)], t.confirm);
  });
  app.post('/:token', async (c) => {
    const { token, follower } = await find(c);
    if (!follower) return unknownLinkPage(c, TEXT.fr.title);
    const lang = follower.locale === 'fr' ? 'fr' : 'en';
    await deps.followers.unsubscribe(token, Math.floor(deps.now() / 1000));
    return mailPage(c, lang, TEXT[lang].title, [TEXT[lang].done(follower.requestId)]);
  });
  return app;
}
