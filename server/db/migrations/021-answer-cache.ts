/**
 * A photo hidden by a moderator changes public answers (`media_url`, `extended_attributes.media_urls`)
 * without touching its request's row, so it moved no cache version: the cached answers (and their ETag)
 * kept showing it. Every change to `media` now bumps its request's town's `requests` counter.
 *
 * The rest of what a public answer shows was checked against what bumps that counter (018's triggers on
 * `requests`): status, notes and `updated_at` (updates), follower counts (`followers`' triggers write
 * `requests.followers`), moderation (visibility), edits, merges, batch acceptance and deletions all write
 * the request's row in the same transaction; public history events are only ever inserted with such a
 * write; the catalogue's names have their own counter, part of every key. Attributes and reporters are
 * never shown; the retention purge erases only reporters, followers' addresses and edit histories.
 */
const bump = (row: 'new' | 'old') => `INSERT INTO cache_versions (name, jurisdiction_id, version)
    SELECT 'requests', t.jurisdiction_id, 1 FROM (SELECT jurisdiction_id FROM requests WHERE id = ${row}.request_id) t WHERE true
    ON CONFLICT (name, jurisdiction_id) DO UPDATE SET version = version + 1;`;

export const answerCache = /* sql */ `
CREATE TRIGGER media_insert_version AFTER INSERT ON media BEGIN
  ${bump('new')}
END;
CREATE TRIGGER media_update_version AFTER UPDATE ON media BEGIN
  ${bump('new')}
END;
CREATE TRIGGER media_delete_version AFTER DELETE ON media BEGIN
  ${bump('old')}
END;
`;
