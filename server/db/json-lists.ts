import type { Queryable } from './engine.ts';

/**
 * A list bound as one JSON array placeholder (`["a","b"]`, `[3,7]`), read back as rows for `IN (…)`:
 * SQLite's `json_each`, PostgreSQL's `json_array_elements_text` (whose values are text, so ids are cast
 * back to bigint; the placeholder is typed text, as the PostgreSQL driver would write a value typed json
 * as a JSON string of the text). Each returns a fragment to place inside the parentheses of `x IN (…)`, for the
 * placeholder `param` (`?` or `@name`); the statement stays one fixed text per engine.
 * @example `WHERE id IN (${jsonIds(db, '?')})`
 */
export const jsonTexts = (db: Pick<Queryable, 'kind'>, param: string) =>
  db.kind === 'postgres' ? `SELECT value FROM json_array_elements_text(CAST(CAST(${param} AS text) AS json))` : `SELECT value FROM json_each(${param})`;

/** As jsonTexts, for a list of integer ids. */
export const jsonIds = (db: Pick<Queryable, 'kind'>, param: string) =>
  db.kind === 'postgres'
    ? `SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(CAST(${param} AS text) AS json))`
    : `SELECT value FROM json_each(${param})`;
