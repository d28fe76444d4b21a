/**
 * Text a spreadsheet would run as a formula: `=`, `+`, `-` or `@` first, or after blanks (spreadsheets
 * skip leading spaces, tabs, line breaks and no-break spaces before looking), or a tab or line break first.
 */
const FORMULA = /^[\s\u00a0\u2000-\u200b\u3000\ufeff]*[=+\-@]|^[\t\r\n]/u;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. Text that a
 * spreadsheet would run as a formula is prefixed with an apostrophe; numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV document: a header line, then one line per row, CRLF-terminated. */
export function csv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
