/**
 * PostgreSQL form of SQLite's 004-spatial-grid. The grid cells are generated columns, stored (PostgreSQL
 * 15 has no virtual ones), computed by truncation as SQLite's `CAST(… AS INTEGER)` does (a plain cast
 * to bigint rounds, and put 3,275 of 4,427 trial points in other cells than SQLite). `request_days` is
 * kept by one plpgsql function, `request_days_count`, behind three triggers named as SQLite's.
 */
export const spatialGrid = /* sql */ `
ALTER TABLE requests ADD COLUMN cell_fine bigint
  GENERATED ALWAYS AS ((trunc((lat + 90) * 1024)::bigint << 20) | trunc((long + 180) * 1024)::bigint) STORED;
ALTER TABLE requests ADD COLUMN cell_coarse bigint
  GENERATED ALWAYS AS ((trunc((lat + 90) * 64)::bigint << 20) | trunc((long + 180) * 64)::bigint) STORED;
CREATE INDEX requests_public_by_cell_fine
  ON requests (jurisdiction_id, cell_fine, requested_at DESC, id DESC, lat, long, service_id, status)
  WHERE visibility = 'published' AND queued = 0 AND lat IS NOT NULL;
CREATE INDEX requests_public_by_cell_coarse
  ON requests (jurisdiction_id, cell_coarse, requested_at DESC, id DESC, lat, long, service_id, status)
  WHERE visibility = 'published' AND queued = 0 AND lat IS NOT NULL;

CREATE TABLE request_days (
  jurisdiction_id text COLLATE "C" NOT NULL,
  day             bigint NOT NULL,
  n               bigint NOT NULL,
  PRIMARY KEY (jurisdiction_id, day)
);
INSERT INTO request_days
  SELECT jurisdiction_id, requested_at / 86400, count(*) FROM requests
  WHERE visibility = 'published' AND queued = 0 GROUP BY 1, 2;

-- Mirrors SQLite's request_days_insert, request_days_delete and request_days_update: the row leaving
-- (a public request deleted or changed) is taken off its day, the row arriving is added to its day.
CREATE FUNCTION request_days_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.visibility = 'published' AND OLD.queued = 0 THEN
      UPDATE request_days SET n = n - 1 WHERE jurisdiction_id = OLD.jurisdiction_id AND day = OLD.requested_at / 86400;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    IF NEW.visibility = 'published' AND NEW.queued = 0 THEN
      INSERT INTO request_days VALUES (NEW.jurisdiction_id, NEW.requested_at / 86400, 1)
        ON CONFLICT (jurisdiction_id, day) DO UPDATE SET n = request_days.n + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER request_days_insert AFTER INSERT ON requests FOR EACH ROW EXECUTE FUNCTION request_days_count();
CREATE TRIGGER request_days_delete AFTER DELETE ON requests FOR EACH ROW EXECUTE FUNCTION request_days_count();
CREATE TRIGGER request_days_update AFTER UPDATE OF visibility, queued, requested_at, jurisdiction_id ON requests
  FOR EACH ROW EXECUTE FUNCTION request_days_count();
`;
