/**
 * Cache versions per jurisdiction (issue 17): `cache_versions` gets a row per counter and town, so that
 * one town's filing empties that town's cached map answers and catalogue only, and a map's ETag is the
 * town's own version. `jurisdiction_id` is `''` for what covers every town: the list of towns (bumped by
 * any write to `jurisdictions`, beside the town's own row) and the API keys (a key is looked up before its
 * town is known, and may be valid in every town; keys change rarely, so one row is no hot spot).
 *
 * The triggers stay per row, as in 003 and 005: one process writes a SQLite file, so the row lock they
 * take is no contention, and a filing still costs one keyed write. The rows are written by an upsert, so
 * a town created later gets its counters on its first write. No foreign key: a counter outlives a deleted
 * town, so that a town created again under its id never reuses a version (an ETag) it had.
 *
 * Rows are seeded at the global counters' values, so no town's version (and no map ETag) goes back below
 * one given before the migration.
 */
const OPS = ['insert', 'update', 'delete'] as const;
const rowOf = (op: (typeof OPS)[number]) => (op === 'delete' ? 'old' : 'new');

/**
 * Where a table's rows find their town (`row`: new or old): named by the row (one keyed upsert a row, as
 * the UPDATE before), or selected through its parents, which may find none (a service deleted with its
 * attributes: the service's own trigger bumps its town).
 */
type Towns = { name: string; values: (row: string) => string[] } | { name: string; select: (row: string) => string };

const TOWNS: Record<string, Towns> = {
  jurisdictions: { name: 'catalogue', values: (row) => [`${row}.id`, `''`] },
  service_groups: { name: 'catalogue', values: (row) => [`${row}.jurisdiction_id`] },
  services: { name: 'catalogue', values: (row) => [`${row}.jurisdiction_id`] },
  service_attributes: { name: 'catalogue', select: (row) => `SELECT jurisdiction_id FROM services WHERE id = ${row}.service_id` },
  attribute_values: {
    name: 'catalogue',
    select: (row) => `SELECT s.jurisdiction_id FROM service_attributes a JOIN services s ON s.id = a.service_id WHERE a.id = ${row}.attribute_id`,
  },
  api_clients: { name: 'api_clients', values: () => [`''`] },
  requests: { name: 'requests', values: (row) => [`${row}.jurisdiction_id`] },
};

const UPSERT = 'INSERT INTO cache_versions (name, jurisdiction_id, version)';
const BUMPED = 'ON CONFLICT (name, jurisdiction_id) DO UPDATE SET version = version + 1;';

/** The statement a trigger runs to bump its town(s). */
function bump(towns: Towns, row: string): string {
  if ('values' in towns) return `${UPSERT} VALUES ${towns.values(row).map((t) => `('${towns.name}', ${t}, 1)`).join(', ')}\n    ${BUMPED}`;
  // WHERE keeps SQLite from reading ON CONFLICT as a join's ON.
  return `${UPSERT} SELECT '${towns.name}', t.jurisdiction_id, 1 FROM (${towns.select(row)}) t WHERE true\n    ${BUMPED}`;
}

const OLD_TRIGGERS = Object.keys(TOWNS).flatMap((table) => OPS.map((op) => `DROP TRIGGER ${table}_${op}_version;`));

const triggers = Object.entries(TOWNS).flatMap(([table, towns]) =>
  OPS.map((op) => `CREATE TRIGGER ${table}_${op}_version AFTER ${op.toUpperCase()} ON ${table} BEGIN
  ${bump(towns, rowOf(op))}
END;`),
);

export const caches = /* sql */ `
${OLD_TRIGGERS.join('\n')}

CREATE TABLE cache_versions_by_town (
  name            TEXT NOT NULL,
  jurisdiction_id TEXT NOT NULL,
  version         INTEGER NOT NULL,
  PRIMARY KEY (name, jurisdiction_id)
) STRICT, WITHOUT ROWID;
INSERT INTO cache_versions_by_town
  SELECT v.name, j.id, v.version FROM cache_versions v, jurisdictions j WHERE v.name IN ('catalogue', 'requests')
  UNION ALL SELECT name, '', version FROM cache_versions WHERE name IN ('catalogue', 'api_clients');
DROP TABLE cache_versions;
ALTER TABLE cache_versions_by_town RENAME TO cache_versions;

${triggers.join('\n')}
-- A request moved to another town (none is today) changes the map of the town it left too.
CREATE TRIGGER requests_move_version AFTER UPDATE OF jurisdiction_id ON requests WHEN old.jurisdiction_id IS NOT new.jurisdiction_id BEGIN
  ${bump({ name: 'requests', values: () => ['old.jurisdiction_id'] }, 'old')}
END;
`;
