/**
 * PostgreSQL form of SQLite's 018-caches: a cache version per counter and town (`''`: every town), for
 * several servers on one database (issue 17). Where SQLite bumps per row, here a transaction bumps each
 * (counter, town) it touched **once, at its commit**:
 *
 * - The triggers are `DEFERRABLE INITIALLY DEFERRED` constraint triggers: they run when the transaction
 *   commits, so the counter's row is locked from its commit's start to its end, not from the first
 *   write to the commit. Two towns' writers never meet; two writers of one town meet only while
 *   committing. (The other choice, each store bumping as its transaction's last statement, would miss
 *   every write made outside a store's transaction: an autocommit statement, psql.)
 * - A constraint trigger runs once per row; `bump_cache_version_once` remembers the pairs it bumped in a
 *   transaction-local setting (`set_config(…, true)`: gone at commit, undone with a rolled-back
 *   savepoint; a temporary table would stay behind in a session PgBouncer hands to others), so a batch of
 *   1,000 rows of a town takes the row lock once.
 * - Each bump is announced: `pg_notify('georeport_cache', '<counter> <town> <version>')`, delivered to
 *   the listening servers when the transaction commits (db/pg-cache-versions.ts keeps the versions in
 *   memory from these), and raised as a NOTICE to the writing session itself, which reads it before its
 *   COMMIT answers: the server that wrote sees its own write at once, however late the notification.
 */
type Town = (row: string) => string;

/** How a table's rows find their town, `row` being NEW or OLD: null when none is found any more. */
const TOWNS: Record<string, { name: string; towns: Town[] }> = {
  jurisdictions: { name: 'catalogue', towns: [(row) => `${row}.id`, () => `''`] },
  service_groups: { name: 'catalogue', towns: [(row) => `${row}.jurisdiction_id`] },
  services: { name: 'catalogue', towns: [(row) => `${row}.jurisdiction_id`] },
  service_attributes: { name: 'catalogue', towns: [(row) => `(SELECT jurisdiction_id FROM services WHERE id = ${row}.service_id)`] },
  attribute_values: {
    name: 'catalogue',
    towns: [(row) => `(SELECT s.jurisdiction_id FROM service_attributes a JOIN services s ON s.id = a.service_id WHERE a.id = ${row}.attribute_id)`],
  },
  api_clients: { name: 'api_clients', towns: [() => `''`] },
  requests: { name: 'requests', towns: [(row) => `${row}.jurisdiction_id`] },
};

const perTable = Object.entries(TOWNS)
  .map(([table, { name, towns }]) => {
    const bumps = (row: string) => towns.map((town) => `PERFORM bump_cache_version_once('${name}', ${town(row)});`).join(' ');
    return `DROP TRIGGER ${table}_version ON ${table};
CREATE FUNCTION ${table}_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN ${bumps('NEW')} END IF;
  IF TG_OP <> 'INSERT' THEN ${bumps('OLD')} END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${table}_cache_version();`;
  })
  .join('\n');

export const caches = /* sql */ `
ALTER TABLE cache_versions RENAME TO cache_versions_global;
CREATE TABLE cache_versions (
  name            text COLLATE "C" NOT NULL,
  jurisdiction_id text COLLATE "C" NOT NULL,
  version         bigint NOT NULL,
  PRIMARY KEY (name, jurisdiction_id)
);
INSERT INTO cache_versions
  SELECT v.name, j.id, v.version FROM cache_versions_global v, jurisdictions j WHERE v.name IN ('catalogue', 'requests')
  UNION ALL SELECT name, '', version FROM cache_versions_global WHERE name IN ('catalogue', 'api_clients');
DROP TABLE cache_versions_global;

CREATE FUNCTION bump_cache_version_once(counter text, town text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  key text := counter || ' ' || town;
  bumped text := coalesce(current_setting('georeport.cache_bumped', true), '');
  bumped_to bigint;
BEGIN
  IF town IS NULL OR strpos(bumped, E'\\n' || key || E'\\n') > 0 THEN RETURN; END IF;
  INSERT INTO cache_versions AS c VALUES (counter, town, 1)
    ON CONFLICT (name, jurisdiction_id) DO UPDATE SET version = c.version + 1 RETURNING c.version INTO bumped_to;
  PERFORM set_config('georeport.cache_bumped', CASE bumped WHEN '' THEN E'\\n' ELSE bumped END || key || E'\\n', true);
  PERFORM pg_notify('georeport_cache', key || ' ' || bumped_to);
  RAISE NOTICE USING MESSAGE = 'georeport_cache ' || key || ' ' || bumped_to;
END $$;
${perTable}
DROP FUNCTION bump_cache_version();
`;
