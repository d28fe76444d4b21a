/**
 * Spatial and full-text indexes over requests, kept in step by triggers (so every writer, present or
 * future, updates them), and idempotency for updates pushed by clients (`update_id`).
 */
export const searchAndHistory = /* sql */ `
CREATE VIRTUAL TABLE requests_rtree USING rtree(id, min_lat, max_lat, min_long, max_long);
INSERT INTO requests_rtree SELECT id, lat, lat, long, long FROM requests WHERE lat IS NOT NULL;
CREATE TRIGGER requests_rtree_insert AFTER INSERT ON requests WHEN new.lat IS NOT NULL BEGIN
  INSERT INTO requests_rtree VALUES (new.id, new.lat, new.lat, new.long, new.long);
END;
CREATE TRIGGER requests_rtree_update AFTER UPDATE OF lat, long ON requests BEGIN
  DELETE FROM requests_rtree WHERE id = old.id;
  INSERT INTO requests_rtree SELECT new.id, new.lat, new.lat, new.long, new.long WHERE new.lat IS NOT NULL;
END;
CREATE TRIGGER requests_rtree_delete AFTER DELETE ON requests BEGIN
  DELETE FROM requests_rtree WHERE id = old.id;
END;

CREATE VIRTUAL TABLE requests_fts USING fts5(
  title, description, address, content = 'requests', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO requests_fts (requests_fts) VALUES ('rebuild');
CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
  INSERT INTO requests_fts (rowid, title, description, address) VALUES (new.id, new.title, new.description, new.address);
END;
CREATE TRIGGER requests_fts_update AFTER UPDATE OF title, description, address ON requests BEGIN
  INSERT INTO requests_fts (requests_fts, rowid, title, description, address) VALUES ('delete', old.id, old.title, old.description, old.address);
  INSERT INTO requests_fts (rowid, title, description, address) VALUES (new.id, new.title, new.description, new.address);
END;
CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN
  INSERT INTO requests_fts (requests_fts, rowid, title, description, address) VALUES ('delete', old.id, old.title, old.description, old.address);
END;

CREATE INDEX requests_public_by_update ON requests (jurisdiction_id, updated_at)
  WHERE visibility = 'published' AND queued = 0;
CREATE UNIQUE INDEX request_events_update_id ON request_events (actor, update_id) WHERE update_id IS NOT NULL;
CREATE INDEX request_events_public_by_date ON request_events (created_at) WHERE public = 1;
`;
