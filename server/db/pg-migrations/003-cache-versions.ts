/**
 * PostgreSQL form of SQLite's 003-cache-versions. SQLite has one trigger per table and operation
 * (`<table>_insert_version`, `<table>_update_version`, `<table>_delete_version`); here one plpgsql
 * function, `bump_cache_version`, runs for each row like them, with the counter's name as argument.
 */
const TABLES: Record<string, string[]> = {
  catalogue: ['jurisdictions', 'service_groups', 'services', 'service_attributes', 'attribute_values'],
  api_clients: ['api_clients'],
};

const triggers = Object.entries(TABLES)
  .flatMap(([name, tables]) =>
    tables.map(
      (table) => `-- Mirrors SQLite's ${table}_insert_version, ${table}_update_version and ${table}_delete_version.
CREATE TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION bump_cache_version('${name}');`,
    ),
  )
  .join('\n');

export const cacheVersions = /* sql */ `
CREATE TABLE cache_versions (
  name    text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO cache_versions VALUES ('catalogue', 0), ('api_clients', 0);

CREATE FUNCTION bump_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
${triggers}

CREATE INDEX requests_public_by_service ON requests (jurisdiction_id, service_id, requested_at DESC, id DESC)
  WHERE visibility = 'published' AND queued = 0;
`;
