import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 005-follow-and-notify. `COLLATE NOCASE` (ASCII letters only) becomes an
 * index on `lower(email)`: on a `COLLATE "C"` column `lower` folds ASCII letters only, as NOCASE does, so
 * statements compare `lower(email) = lower(?)` on this engine.
 */
export const followAndNotify = /* sql */ `
ALTER TABLE services ADD COLUMN duplicate_radius bigint CHECK (duplicate_radius IS NULL OR duplicate_radius BETWEEN 1 AND 5000);
ALTER TABLE services ADD COLUMN duplicate_days bigint CHECK (duplicate_days IS NULL OR duplicate_days BETWEEN 1 AND 3650);
ALTER TABLE requests ADD COLUMN followers bigint NOT NULL DEFAULT 0;

CREATE INDEX reporters_by_device ON reporters (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX reporters_by_email ON reporters (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE followers (
  id              ${ID},
  request_id      bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  kind            ${TEXT} NOT NULL CHECK (kind IN ('reporter', 'supporter')),
  email           ${TEXT},
  locale          ${TEXT} NOT NULL,
  device_hash     ${TEXT},
  notify          bigint NOT NULL DEFAULT 0 CHECK (notify IN (0, 1)),
  token           ${TEXT} NOT NULL UNIQUE,
  created_at      bigint NOT NULL,
  unsubscribed_at bigint,
  CHECK (notify = 0 OR email IS NOT NULL)
);
CREATE INDEX followers_by_request ON followers (request_id);
CREATE UNIQUE INDEX followers_one_per_device ON followers (request_id, device_hash) WHERE device_hash IS NOT NULL;
CREATE UNIQUE INDEX followers_one_per_email ON followers (request_id, lower(email)) WHERE email IS NOT NULL;

-- Mirrors SQLite's followers_count_insert and followers_count_delete: supporters counted on the request.
CREATE FUNCTION followers_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE requests SET followers = followers + 1 WHERE id = NEW.request_id;
  ELSE
    UPDATE requests SET followers = followers - 1 WHERE id = OLD.request_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER followers_count_insert AFTER INSERT ON followers
  FOR EACH ROW WHEN (NEW.kind = 'supporter') EXECUTE FUNCTION followers_count();
CREATE TRIGGER followers_count_delete AFTER DELETE ON followers
  FOR EACH ROW WHEN (OLD.kind = 'supporter') EXECUTE FUNCTION followers_count();

CREATE TABLE notifications (
  id              ${ID},
  follower_id     bigint NOT NULL REFERENCES followers(id) ON DELETE CASCADE,
  event_id        bigint NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  attempts        bigint NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  sent_at         bigint,
  failed_at       bigint,
  last_error      ${TEXT},
  UNIQUE (follower_id, event_id)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Mirrors SQLite's notifications_on_status: an e-mail owed to each follower asking for news when a
-- public status change is recorded. In follower order, as SQLite reads them, so both give the same ids.
CREATE FUNCTION notifications_on_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notifications (follower_id, event_id, next_attempt_at)
    SELECT id, NEW.id, NEW.created_at FROM followers
    WHERE request_id = NEW.request_id AND notify = 1 AND unsubscribed_at IS NULL
    ORDER BY followers.id;
  RETURN NULL;
END $$;
CREATE TRIGGER notifications_on_status AFTER INSERT ON request_events
  FOR EACH ROW WHEN (NEW.public = 1 AND NEW.type = 'status') EXECUTE FUNCTION notifications_on_status();

-- Mirrors SQLite's requests_insert_version, requests_update_version and requests_delete_version.
INSERT INTO cache_versions VALUES ('requests', 0);
CREATE TRIGGER requests_version AFTER INSERT OR UPDATE OR DELETE ON requests
  FOR EACH ROW EXECUTE FUNCTION bump_cache_version('requests');
`;
