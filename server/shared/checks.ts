/**
 * The checks the widget makes as the resident types and the server makes again on every filing, defined
 * once so that the two never disagree (a number the form lets through and the server refuses, a limit the
 * form counts differently). Shared by the server and the widget: TypeScript only, no Node API.
 */

/** The longest value of each text parameter of a new request, in characters (code points). */
export const LIMITS = {
  description: 4000,
  title: 200,
  address_string: 1000,
  first_name: 100,
  last_name: 100,
  organisation: 200,
  /** RFC 5321's path limit, less its angle brackets. */
  email: 254,
  phone: 40,
  /** An attribute's value; a `text` attribute may be as long as a description. */
  attribute: 1000,
} as const;

/** Characters as people count them (code points, not UTF-16 units: an emoji is one). */
export const characters = (text: string) => [...text].length;

/**
 * `local@domain.tld`: an RFC 5322 dot-atom local part (letters of any script, RFC 6531), no quotes,
 * spaces, commas or brackets; a domain of two labels or more.
 */
const ONE_ADDRESS =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;

/**
 * Whether `text` is one e-mail address and nothing else, which is what every address the server writes
 * to must be: a mail library reads `a@x.fr, b@y.fr`, `Name <a@x.fr>` or a group as several recipients,
 * and a line break as a header, so a single field could send an alert or a notification to a list of
 * outsiders. Refused: lists, display names, angle brackets, quoted or commented local parts, spaces and
 * control characters, a domain without a dot.
 */
export function isEmailAddress(text: string): boolean {
  return text.length <= LIMITS.email && text.indexOf('@') <= 64 && ONE_ADDRESS.test(text);
}

/**
 * Whether `text` is a phone number staff can dial: digits with the usual separators (spaces, dots,
 * hyphens, slashes, brackets), a leading `+` for an international number, and 6 to 15 digits (E.164 has
 * at most 15; no resident's own line is shorter than 6). Letters, extensions and a `+` inside are refused
 * rather than passed on as something no agent can call.
 * @example isPhoneNumber('02 47 00 00 00') // true
 */
export function isPhoneNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return /^\+?[\d\s./()-]+$/.test(text) && digits >= 6 && digits <= 15;
}
