/**
 * PostgreSQL form of SQLite's 021-answer-cache: every change to `media` (a photo hidden by a moderator
 * changes public answers without touching its request's row) bumps its request's town's `requests`
 * counter, once per transaction at its commit, as 018's triggers do. A photo deleted with its request
 * finds no town any more (null, no bump): the request's own trigger bumps it.
 */
const town = (row: string) => `(SELECT jurisdiction_id FROM requests WHERE id = ${row}.request_id)`;

export const answerCache = /* sql */ `
CREATE FUNCTION media_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN PERFORM bump_cache_version_once('requests', ${town('NEW')}); END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM bump_cache_version_once('requests', ${town('OLD')}); END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER media_version AFTER INSERT OR UPDATE OR DELETE ON media
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION media_cache_version();
`;
