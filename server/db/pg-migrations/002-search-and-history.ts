import { searchFunctions } from './fts5-fold.ts';

/**
 * PostgreSQL form of SQLite's 002-search-and-history. SQLite keeps an R*Tree and an FTS5 table in step
 * with `requests` by six triggers; here both are generated columns of `requests`, which the database
 * keeps true on every write with no trigger at all:
 * - `geom`, a PostGIS point (x = long, y = lat) with a GiST index, mirrors `requests_rtree` and its
 *   triggers `requests_rtree_insert/update/delete` (boxes: `geom && ST_MakeEnvelope(…)` plus the exact
 *   `BETWEEN` the SQLite statements keep for the R*Tree's rounded floats).
 * - `search`, the words of title, description and address folded as FTS5 folds them (fts5-fold.ts)
 *   with a GIN index, mirrors `requests_fts` and its triggers `requests_fts_insert/update/delete`.
 * The extensions need a superuser once per database (README); `IF NOT EXISTS` lets a database where an
 * administrator created them be migrated by georeport's own role.
 */
export const searchAndHistory = /* sql */ `
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;

ALTER TABLE requests ADD COLUMN geom geometry(Point, 4326)
  GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(long, lat), 4326)) STORED;
CREATE INDEX requests_geom ON requests USING gist (geom) WHERE lat IS NOT NULL;

${searchFunctions}
ALTER TABLE requests ADD COLUMN search tsvector
  GENERATED ALWAYS AS (georeport_search_vector(title, description, address)) STORED;
CREATE INDEX requests_search ON requests USING gin (search);

CREATE INDEX requests_public_by_update ON requests (jurisdiction_id, updated_at)
  WHERE visibility = 'published' AND queued = 0;
CREATE UNIQUE INDEX request_events_update_id ON request_events (actor, update_id) WHERE update_id IS NOT NULL;
CREATE INDEX request_events_public_by_date ON request_events (created_at) WHERE public = 1;
`;
