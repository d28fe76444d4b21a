/**
 * Routing in the town's catalogue cache version (issue 18): a write to a town's departments or routing
 * rules bumps its `catalogue` counter (migration 018), as a write to its services does, so that a filing
 * reads its town's area and rules from the router's cache (requests/routing.store.ts) instead of two
 * statements each time. A department or rule keeps its town (nothing moves one), so NEW names it on an
 * insert or update and OLD on a delete.
 */
const triggers = ['departments', 'routing_rules'].flatMap((table) =>
  ['insert', 'update', 'delete'].map((op) => `CREATE TRIGGER ${table}_${op}_version AFTER ${op.toUpperCase()} ON ${table} BEGIN
  INSERT INTO cache_versions (name, jurisdiction_id, version) VALUES ('catalogue', ${op === 'delete' ? 'old' : 'new'}.jurisdiction_id, 1)
    ON CONFLICT (name, jurisdiction_id) DO UPDATE SET version = version + 1;
END;`),
);

export const postPath = /* sql */ `
${triggers.join('\n')}
`;
