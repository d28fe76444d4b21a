/** The longest e-mail address (RFC 5321's path limit, less its angle brackets). */
export const MAX_EMAIL = 254;

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
  return text.length <= MAX_EMAIL && text.indexOf('@') <= 64 && ONE_ADDRESS.test(text);
}
