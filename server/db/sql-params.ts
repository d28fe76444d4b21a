import type { Params, SqlValue } from './engine.ts';

/**
 * One value as both engines bind it (see engine.ts): booleans as 0/1, objects and arrays as JSON text,
 * undefined as NULL (as better-sqlite3 binds it). A Date is refused: times are epoch seconds here, and a
 * Date would be written in a different form by each engine.
 */
export function bindValue(value: SqlValue): string | number | bigint | null | Uint8Array {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return null;
    default:
      if (value === null || value instanceof Uint8Array) return value;
      if (value instanceof Date) throw new TypeError('bind epoch seconds, not a Date');
      return JSON.stringify(value);
  }
}

/** Converts every value of `params` with bindValue, keeping its shape (array or named object). */
export function bindParams(params: Params): unknown[] | Record<string, unknown> {
  if (Array.isArray(params)) return params.map(bindValue);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) named[name] = bindValue(value as SqlValue);
  return named;
}

/** A statement rewritten for PostgreSQL: its text with `$n`, and the names in `$n` order if it had `@name`s. */
export interface Numbered {
  text: string;
  names: string[] | null;
  count: number;
}

/**
 * Rewrites `?` and `@name` placeholders as PostgreSQL's `$1…$n`, leaving string literals, quoted
 * identifiers, comments and dollar-quoted bodies alone. A name used twice gets one number. `@` after
 * `@` or `<`, or before a non-letter, is an operator (`@@`, `<@`, `@>`), not a name.
 */
export function numberPlaceholders(sql: string): Numbered {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const end = skipQuoted(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      out += `$${++positional}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '') && !/[@<\w]/.test(sql[i - 1] ?? '')) {
      const name = /^@(\w+)/.exec(sql.slice(i))![1]!;
      let n = names.indexOf(name);
      if (n < 0) n = names.push(name) - 1;
      out += `$${n + 1}`;
      i += name.length + 1;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new TypeError('a statement uses either ? or @name placeholders, not both');
  return { text: out, names: names.length > 0 ? names : null, count: positional || names.length };
}

/** The index just past a quoted run (literal, identifier, comment, dollar quote) starting at `i`; `i` if none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  const close = (token: string, from: number) => {
    const at = sql.indexOf(token, from);
    return at < 0 ? sql.length : at + token.length;
  };
  if (c === "'" || c === '"') {
    // A doubled quote inside is an escaped quote: the run goes on past it.
    let j = i + 1;
    for (;;) {
      j = close(c, j);
      if (sql[j] !== c) return j;
      j++;
    }
  }
  if (c === '-' && sql[i + 1] === '-') return close('\n', i);
  if (c === '/' && sql[i + 1] === '*') return close('*/', i + 2);
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
    if (tag) return close(tag, i + tag.length);
  }
  return i;
}

/** The values of a statement rewritten by numberPlaceholders, in `$n` order. */
export function orderedValues(numbered: Numbered, params: Params | undefined): unknown[] {
  const bound = params === undefined ? [] : bindParams(params);
  let values: unknown[];
  if (numbered.names === null) {
    if (!Array.isArray(bound)) throw new TypeError('this statement takes ? placeholders: give an array');
    if (bound.length !== numbered.count) throw new RangeError(`expected ${numbered.count} values, got ${bound.length}`);
    values = bound;
  } else {
    if (Array.isArray(bound)) throw new TypeError('this statement takes @name placeholders: give an object');
    values = numbered.names.map((name) => {
      if (!(name in bound)) throw new RangeError(`missing named parameter @${name}`);
      return bound[name];
    });
  }
  // PostgreSQL's text cannot hold NUL, which SQLite stores: it becomes U+FFFD. Form fields never carry one
  // (they drop what XML cannot carry); a look-up with one (a code in a path) finds nothing, as on SQLite.
  return values.map((v) => (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v));
}
