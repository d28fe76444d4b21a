import { Hono, type Context } from 'hono';
import type { FollowersStore } from '../requests/followers.store.ts';

const TEXT = {
  fr: {
    title: 'Ne plus recevoir de message',
    ask: (id: number) => `Vous ne recevrez plus de message au sujet du signalement n° ${id}.`,
    confirm: 'Confirmer',
    done: (id: number) => `C’est fait : vous ne recevrez plus de message au sujet du signalement n° ${id}.`,
    already: (id: number) => `Vous ne recevez déjà plus de message au sujet du signalement n° ${id}.`,
    unknown: 'Ce lien n’est pas ou plus valable.',
  },
  en: {
    title: 'Stop receiving messages',
    ask: (id: number) => `You will no longer receive messages about report #${id}.`,
    confirm: 'Confirm',
    done: (id: number) => `Done: you will no longer receive messages about report #${id}.`,
    already: (id: number) => `You already receive no more messages about report #${id}.`,
    unknown: 'This link is not valid, or no longer is.',
  },
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** A small page of its own: no script, no style, nothing from elsewhere. */
function page(c: Context, lang: 'fr' | 'en', body: string, status: 200 | 404 = 200) {
  c.header('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(`<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(TEXT[lang].title)}</title></head><body><main><h1>${escape(TEXT[lang].title)}</h1>${body}</main></body></html>`, status);
}

/**
 * The unsubscribe link of every e-mail, no account needed: GET shows what it will do and a button (mail
 * scanners follow links; they do not press buttons), POST does it. POST alone is also the one-click
 * unsubscribe of RFC 8058 (`List-Unsubscribe-Post`).
 */
export function createUnsubscribeRoutes(deps: { followers: FollowersStore; now: () => number }) {
  const app = new Hono();
  const find = (c: Context) => {
    const token = c.req.param('token') ?? '';
    return { token, follower: /^[A-Za-z0-9_-]{20,64}$/.test(token) ? deps.followers.byToken(token) : undefined };
  };
  app.get('/:token', (c) => {
    const { follower } = find(c);
    if (!follower) return page(c, 'fr', `<p>${escape(TEXT.fr.unknown)}</p><p lang="en">${escape(TEXT.en.unknown)}</p>`, 404);
    const lang = follower.locale === 'fr' ? 'fr' : 'en';
    const t = TEXT[lang];
    if (follower.unsubscribed) return page(c, lang, `<p>${escape(t.already(follower.requestId))}</p>`);
    return page(c, lang, `<p>${escape(t.ask(follower.requestId))}</p><form method="post"><button type="submit">${escape(t.confirm)}</button></form>`);
  });
  app.post('/:token', (c) => {
    const { token, follower } = find(c);
    if (!follower) return page(c, 'fr', `<p>${escape(TEXT.fr.unknown)}</p><p lang="en">${escape(TEXT.en.unknown)}</p>`, 404);
    const lang = follower.locale === 'fr' ? 'fr' : 'en';
    deps.followers.unsubscribe(token, Math.floor(deps.now() / 1000));
    return page(c, lang, `<p>${escape(TEXT[lang].done(follower.requestId))}</p>`);
  });
  return app;
}
