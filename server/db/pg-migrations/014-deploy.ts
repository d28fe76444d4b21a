/**
 * Rolling deploys (issue 17): beside each version, the oldest code that may run on the schema it ends
 * at (`min_code_version`: the count of migrations that code must know). A node that knows fewer
 * migrations than the store holds reads it to decide whether it may still run, without knowing the
 * newer migrations (server/db/schema-check.ts). `georeport migrate` writes it on the row of the version
 * it ends at, from `pgMigrationCompatibility` (pg-migrations/index.ts); older rows stay NULL, read as
 * "that version's own code and later".
 */
export const deploy = /* sql */ `
ALTER TABLE schema_migrations ADD COLUMN min_code_version integer;
`;
