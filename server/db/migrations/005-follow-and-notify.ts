/**
 * Residents following requests ("me too", or the reporter asking for news), the e-mails owed to them, and
 * what finding duplicates needs.
 *
 * - `followers`: who follows a request. `device_hash` (a hash of the widget's random device id) makes a
 *   second "me too" from the same device count once; `email` is personal data, used only to write to
 *   them; `token` is the secret of their unsubscribe link. `requests.followers` is the public count of
 *   supporters, kept by triggers.
 * - `notifications`: one row per e-mail owed, written by a trigger in the same transaction as the public
 *   status change that causes it (whoever makes the change: staff, the CRM, FixMyStreet), so none is lost;
 *   the notifier sends them and records the attempts.
 * - Services say how far and how far back to look for duplicates (null: the server's defaults).
 * - `cache_versions.requests`, bumped on every change to requests, dates the map's cached answers.
 */
export const followAndNotify = /* sql */ `
ALTER TABLE services ADD COLUMN duplicate_radius INTEGER CHECK (duplicate_radius IS NULL OR duplicate_radius BETWEEN 1 AND 5000);
ALTER TABLE services ADD COLUMN duplicate_days INTEGER CHECK (duplicate_days IS NULL OR duplicate_days BETWEEN 1 AND 3650);
ALTER TABLE requests ADD COLUMN followers INTEGER NOT NULL DEFAULT 0;

CREATE INDEX reporters_by_device ON reporters (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX reporters_by_email ON reporters (email COLLATE NOCASE) WHERE email IS NOT NULL;

CREATE TABLE followers (
  id              INTEGER PRIMARY KEY,
  request_id      INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('reporter', 'supporter')),
  email           TEXT,
  locale          TEXT NOT NULL,
  device_hash     TEXT,
  notify          INTEGER NOT NULL DEFAULT 0 CHECK (notify IN (0, 1)),
  token           TEXT NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  unsubscribed_at INTEGER,
  CHECK (notify = 0 OR email IS NOT NULL)
) STRICT;
CREATE INDEX followers_by_request ON followers (request_id);
CREATE UNIQUE INDEX followers_one_per_device ON followers (request_id, device_hash) WHERE device_hash IS NOT NULL;
CREATE UNIQUE INDEX followers_one_per_email ON followers (request_id, email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE TRIGGER followers_count_insert AFTER INSERT ON followers WHEN new.kind = 'supporter' BEGIN
  UPDATE requests SET followers = followers + 1 WHERE id = new.request_id;
END;
CREATE TRIGGER followers_count_delete AFTER DELETE ON followers WHEN old.kind = 'supporter' BEGIN
  UPDATE requests SET followers = followers - 1 WHERE id = old.request_id;
END;

CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  follower_id     INTEGER NOT NULL REFERENCES followers(id) ON DELETE CASCADE,
  event_id        INTEGER NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  failed_at       INTEGER,
  last_error      TEXT,
  UNIQUE (follower_id, event_id)
) STRICT;
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE TRIGGER notifications_on_status AFTER INSERT ON request_events
  WHEN new.public = 1 AND new.type = 'status' BEGIN
  INSERT INTO notifications (follower_id, event_id, next_attempt_at)
    SELECT id, new.id, new.created_at FROM followers
    WHERE request_id = new.request_id AND notify = 1 AND unsubscribed_at IS NULL;
END;

INSERT INTO cache_versions VALUES ('requests', 0);
CREATE TRIGGER requests_insert_version AFTER INSERT ON requests BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'requests';
END;
CREATE TRIGGER requests_update_version AFTER UPDATE ON requests BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'requests';
END;
CREATE TRIGGER requests_delete_version AFTER DELETE ON requests BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'requests';
END;
`;
