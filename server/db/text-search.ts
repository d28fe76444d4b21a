// No Node import: the widget bundles server/requests/requests.query.ts (through server/geocode/nearby.ts).
/**
 * PostgreSQL's form of FTS5's `"word"* "word"*` (every word required, each as a prefix), over the
 * generated `search` column of `requests r`: each word given is cut and folded by georeport_words
 * (pg-migrations/fts5-fold.ts) into a
 * phrase whose last piece is a prefix. `param`: the placeholder of the words, as a JSON array.
 */
export const pgWordsMatch = (param: string) => `r.search @@ (SELECT CAST(string_agg(p.phrase, ' & ') AS tsquery) FROM (
    SELECT (SELECT string_agg('''' || replace(t, '''', '''''') || '''', ' <-> ' ORDER BY n) || ':*'
            FROM unnest(georeport_words(w)) WITH ORDINALITY AS u(t, n)) AS phrase
    FROM json_array_elements_text(CAST(CAST(${param} AS text) AS json)) AS k(w)) p)`;
