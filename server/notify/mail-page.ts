import type { Context } from 'hono';

/** The shape of the tokens in e-mailed links (24 random bytes in base64url, with room to change). */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** A paragraph in the page's language, or in another one. */
type Paragraph = string | { lang: 'fr' | 'en'; text: string };

/**
 * A small page of its own, opened from an e-mail: no script, no style, nothing from elsewhere; its
 * paragraphs are text (escaped) and, with `button`, a form posting back to the same address (mail
 * scanners follow links; they do not press buttons).
 */
export function mailPage(c: Context, lang: 'fr' | 'en', title: string, paragraphs: Paragraph[], button?: string, status: 200 | 404 = 200) {
  c.header('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  const form = button === undefined ? '' : `<form method="post"><button type="submit">${escape(button)}</button></form>`;
  return c.html(`<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>` +
    `${paragraphs.map((p) => (typeof p === 'string' ? `<p>${escape(p)}</p>` : `<p lang="${p.lang}">${escape(p.text)}</p>`)).join('')}${form}</main></body></html>`, status);
}

const UNKNOWN = { fr: 'Ce lien n’est pas ou plus valable.', en: 'This link is not valid, or no longer is.' };

/** The answer to a link whose token is malformed, unknown or spent: a 404 page in both languages. */
export function unknownLinkPage(c: Context, title: string) {
  return mailPage(c, 'fr', title, [UNKNOWN.fr, { lang: 'en', text: UNKNOWN.en }], undefined, 404);
}
