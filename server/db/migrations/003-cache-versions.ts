/**
 * Version counters that triggers bump whenever the catalogue or the API clients change, whoever changes
 * them (this process, another one, the sqlite3 shell). In-memory caches compare one integer to know
 * whether they are still true, so a catalogue edit is visible on the next request.
 */
const TABLES: Record<string, string[]> = {
  catalogue: ['jurisdictions', 'service_groups', 'services', 'service_attributes', 'attribute_values'],
  api_clients: ['api_clients'],
};

const triggers = Object.entries(TABLES)
  .flatMap(([name, tables]) =>
    tables.flatMap((table) =>
      ['INSERT', 'UPDATE', 'DELETE'].map(
        (op) => `CREATE TRIGGER ${table}_${op.toLowerCase()}_version AFTER ${op} ON ${table} BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = '${name}';
END;`,
      ),
    ),
  )
  .join('\n');

export const cacheVersions = /* sql */ `
CREATE TABLE cache_versions (
  name    TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO cache_versions VALUES ('catalogue', 0), ('api_clients', 0);
${triggers}

-- A page of one service's requests reads this index in order instead of the whole date window.
CREATE INDEX requests_public_by_service ON requests (jurisdiction_id, service_id, requested_at DESC, id DESC)
  WHERE visibility = 'published' AND queued = 0;
`;
