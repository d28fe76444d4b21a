/**
 * Map queries at millions of requests. An R*Tree finds the requests in a box but not in date order, so
 * the newest 50 of a dense neighbourhood meant sorting tens of thousands of matches. Here each public
 * request also sits in two grid cells (fine: 1/1024°, about 110 m × 75 m in France; coarse: 1/64°, about
 * 1.7 km × 1.2 km), and an index per grid orders each cell's requests newest first: a box becomes a few
 * dozen cells whose index ranges SQLite merges in date order, stopping after a page (see
 * server/requests/grid.ts, which mirrors these expressions; the R*Tree stays for boxes smaller than a
 * fine cell). The indexes carry what map filters test (position, service, status) so no table row is
 * read until the page is known.
 *
 * `request_days` counts the public requests of each jurisdiction by day, kept by triggers: the
 * arrival profile used to estimate how many requests match a large query (server/requests/count.ts).
 */
export const spatialGrid = /* sql */ `
ALTER TABLE requests ADD COLUMN cell_fine INTEGER
  GENERATED ALWAYS AS ((CAST((lat + 90) * 1024 AS INTEGER) << 20) | CAST((long + 180) * 1024 AS INTEGER)) VIRTUAL;
ALTER TABLE requests ADD COLUMN cell_coarse INTEGER
  GENERATED ALWAYS AS ((CAST((lat + 90) * 64 AS INTEGER) << 20) | CAST((long + 180) * 64 AS INTEGER)) VIRTUAL;
CREATE INDEX requests_public_by_cell_fine
  ON requests (jurisdiction_id, cell_fine, requested_at DESC, id DESC, lat, long, service_id, status)
  WHERE visibility = 'published' AND queued = 0 AND lat IS NOT NULL;
CREATE INDEX requests_public_by_cell_coarse
  ON requests (jurisdiction_id, cell_coarse, requested_at DESC, id DESC, lat, long, service_id, status)
  WHERE visibility = 'published' AND queued = 0 AND lat IS NOT NULL;

CREATE TABLE request_days (
  jurisdiction_id TEXT NOT NULL,
  day             INTEGER NOT NULL,
  n               INTEGER NOT NULL,
  PRIMARY KEY (jurisdiction_id, day)
) STRICT, WITHOUT ROWID;
INSERT INTO request_days
  SELECT jurisdiction_id, requested_at / 86400, count(*) FROM requests
  WHERE visibility = 'published' AND queued = 0 GROUP BY 1, 2;
CREATE TRIGGER request_days_insert AFTER INSERT ON requests
  WHEN new.visibility = 'published' AND new.queued = 0 BEGIN
  INSERT INTO request_days VALUES (new.jurisdiction_id, new.requested_at / 86400, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER request_days_delete AFTER DELETE ON requests
  WHEN old.visibility = 'published' AND old.queued = 0 BEGIN
  UPDATE request_days SET n = n - 1 WHERE jurisdiction_id = old.jurisdiction_id AND day = old.requested_at / 86400;
END;
CREATE TRIGGER request_days_update AFTER UPDATE OF visibility, queued, requested_at, jurisdiction_id ON requests BEGIN
  UPDATE request_days SET n = n - 1
    WHERE old.visibility = 'published' AND old.queued = 0
      AND jurisdiction_id = old.jurisdiction_id AND day = old.requested_at / 86400;
  INSERT INTO request_days SELECT new.jurisdiction_id, new.requested_at / 86400, 1
    WHERE new.visibility = 'published' AND new.queued = 0
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
`;
