import { refuse } from './georeport.errors.ts';
import { stripXmlForbidden } from './xml.ts';

/** Form or query fields, every value of a repeated name kept in order. */
export type Fields = Map<string, string[]>;

/** CRLF and lone CR become LF; characters XML cannot carry are dropped. */
export const normalizeText = (text: string) => stripXmlForbidden(text.replace(/\r\n?/g, '\n'));

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw refuse('url.encoding');
  }
}

/**
 * Parses `application/x-www-form-urlencoded` text (a body or a query string) strictly: a malformed
 * %-escape or invalid UTF-8 is a 400, not a silently mangled value.
 */
export function parseForm(text: string): Fields {
  const fields: Fields = new Map();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = normalizeText(decode(eq < 0 ? pair : pair.slice(0, eq)));
    const value = eq < 0 ? '' : normalizeText(decode(pair.slice(eq + 1)));
    addField(fields, name, value);
  }
  return fields;
}

export function addField(fields: Fields, name: string, value: string): void {
  const values = fields.get(name);
  if (values) values.push(value);
  else fields.set(name, [value]);
}

/**
 * A single-valued field: undefined when absent or empty (an empty optional parameter is no parameter);
 * a 400 when given more than once, or longer than `max` characters.
 */
export function one(fields: Fields, name: string, max = 1000): string | undefined {
  const values = fields.get(name)?.filter((v) => v !== '');
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw refuse('field.repeated', name);
  const value = values[0]!;
  // Characters as people count them (code points), not UTF-16 units: an emoji is one.
  if (value.length > max && [...value].length > max) throw refuse('field.too_long', name, { max });
  return value;
}

/** A comma-separated list field (`a,b,c`), trimmed, empty items dropped; undefined when absent. */
export function commaList(fields: Fields, name: string, maxItems = 1000): string[] | undefined {
  const raw = one(fields, name, 100_000);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length > maxItems) throw refuse('field.too_many', name, { max: maxItems });
  return items.length > 0 ? items : undefined;
}
