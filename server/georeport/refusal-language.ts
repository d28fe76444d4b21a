import type { Context } from 'hono';
import { one, type Fields } from './fields.ts';
import { acceptedLanguages, primary } from './locale.ts';
import { REFUSAL_LANGUAGES, type RefusalLanguage } from './refusal-texts.ts';

/** Where a call's refusal language is kept once its body has named one. */
const KEY = 'georeportRefusalLanguage';
type Env = { Variables: { [KEY]?: RefusalLanguage } };

const known = (tag: string | undefined) => REFUSAL_LANGUAGES.find((l) => l === (tag === undefined ? undefined : primary(tag)));

/**
 * Notes the `locale` a POST body asks for, so that its refusals are described in that language. Read
 * once the body is (a refusal while reading it goes by the query string and `Accept-Language`).
 */
export function noteBodyLanguage(c: Context, body: Fields): void {
  let tag: string | undefined;
  try {
    tag = one(body, 'locale', 35);
  } catch {
    return; // a repeated or oversized locale is refused by the validation, in the default language
  }
  const lang = known(tag);
  if (lang) (c as Context<Env>).set(KEY, lang);
}

/**
 * The language refusals are described in: the body's `locale` (see noteBodyLanguage), else the query
 * string's, else the first of `Accept-Language` described here, else English. English stays the default
 * for a client that asks for nothing: it is what API clients have always read (and log, and match), so a
 * French city's FixMyStreet gets the same text as before; a browser always says its language.
 */
export function refusalLanguage(c: Context): RefusalLanguage {
  const noted = (c as Context<Env>).get(KEY);
  if (noted) return noted;
  const query = new URL(c.req.url).searchParams.getAll('locale');
  return known(query.length === 1 ? query[0] : undefined) ?? acceptedLanguages(c.req.header('accept-language') ?? '').map(known).find(Boolean) ?? 'en';
}
