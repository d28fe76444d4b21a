/**
 * PostgreSQL form of SQLite's 019-post (issue 18), and the daily counts taken at commit.
 *
 * - **Routing in the catalogue's version.** A town's departments and routing rules bump its `catalogue`
 *   counter as its services do (018: once per transaction, at its commit, announced), so that a filing
 *   reads the town's area and rules from the router's cache.
 * - **`request_days` at commit.** Every filing of a town on one day adds to one row, `(town, day)`: as a
 *   plain trigger, the first filing of a transaction locked that row until the transaction ended, so a
 *   second server's batch of filings for the town waited at its first insert for the whole of the
 *   first's. The three triggers of 004 become `DEFERRABLE INITIALLY DEFERRED` constraint triggers on the
 *   same function: each row's count is added when its transaction commits (a rolled-back savepoint's rows
 *   are never counted), so two writers of a town meet only while committing, as for the cache versions.
 *   Nothing reads a day's count inside the transaction that files into it.
 */
const version = (table: string) => `CREATE CONSTRAINT TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION routing_cache_version();`;

export const postPath = /* sql */ `
CREATE FUNCTION routing_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN PERFORM bump_cache_version_once('catalogue', NEW.jurisdiction_id); END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM bump_cache_version_once('catalogue', OLD.jurisdiction_id); END IF;
  RETURN NULL;
END $$;
${version('departments')}
${version('routing_rules')}

DROP TRIGGER request_days_insert ON requests;
DROP TRIGGER request_days_delete ON requests;
DROP TRIGGER request_days_update ON requests;
CREATE CONSTRAINT TRIGGER request_days_insert AFTER INSERT ON requests
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION request_days_count();
CREATE CONSTRAINT TRIGGER request_days_delete AFTER DELETE ON requests
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION request_days_count();
CREATE CONSTRAINT TRIGGER request_days_update AFTER UPDATE OF visibility, queued, requested_at, jurisdiction_id ON requests
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION request_days_count();
`;
