import type { Context } from 'hono';
import type { Jurisdiction } from '../catalogue/catalogue.types.ts';
import { one, type Fields } from './fields.ts';

const TAG = /^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$/i;
/** The primary language subtag of a tag (`fr-CA` → `fr`), lower-cased; undefined when it is not a tag. */
export const primary = (tag: string) => TAG.exec(tag.trim())?.[1]?.toLowerCase();

/** The languages (primary subtags) of an `Accept-Language` header, most wanted first (q=0 dropped). */
export function acceptedLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { lang: primary(tag), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x): x is { lang: string; q: number; i: number } => x.lang !== undefined && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.lang);
}

/**
 * The language to answer in: `locale` when it names one the catalogue has, else the best of
 * `Accept-Language` the catalogue has, else the jurisdiction's default. Sets `Content-Language` and
 * `Vary: Accept-Language` on the answer. Returns null for the default language (no translation needed).
 */
export function resolveLocale(c: Context, fields: Fields, jurisdiction: Jurisdiction, available: string[]): string | null {
  const wanted = [one(fields, 'locale', 35), ...acceptedLanguages(c.req.header('accept-language') ?? '')]
    .map((tag) => (tag === undefined ? undefined : primary(tag)))
    .find((lang) => lang !== undefined && (lang === jurisdiction.defaultLocale || available.includes(lang)));
  const locale = wanted ?? jurisdiction.defaultLocale;
  c.header('Content-Language', locale);
  c.header('Vary', 'Accept-Language', { append: true }); // after CORS's `Vary: Origin`, which must stay
  return locale === jurisdiction.defaultLocale ? null : locale;
}
