/**
 * The bus: how a city's CRM, behind its firewall, takes requests outbound.
 *
 * - `bus_apps`: the consumers of a jurisdiction, each with a hashed secret, the services and events it
 *   takes (null: all), and its delivery: `immediate`, or `deferred` (a request waiting for moderation is
 *   held until it is published; one hidden is never sent).
 * - `bus_messages`: the outbox, one row per app and event, written by the trigger below in the same
 *   transaction as the event, so no change is ever missing from it. Messages carry the event; the request
 *   (with its reporter's contact) is read when the message is delivered. An app leases messages, then acks
 *   them; an expired lease is delivered again; after `max_attempts` a message is dead.
 * - `bus_audit`: every call of an app (and every webhook to it), with its outcome.
 * - `bus_alerts`: alerts raised once per cause (`key`), and when they were sent.
 */
export const bus = /* sql */ `
CREATE TABLE bus_apps (
  id              INTEGER PRIMARY KEY,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  secret_prefix   TEXT NOT NULL,
  secret_hash     TEXT NOT NULL UNIQUE,
  services        TEXT CHECK (services IS NULL OR json_valid(services)),
  events          TEXT CHECK (events IS NULL OR json_valid(events)),
  delivery        TEXT NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'deferred')),
  max_attempts    INTEGER NOT NULL DEFAULT 10 CHECK (max_attempts BETWEEN 1 AND 1000),
  webhook_url     TEXT,
  webhook_secret  TEXT,
  owner_email     TEXT,
  alert_webhook   TEXT,
  created_at      INTEGER NOT NULL,
  revoked_at      INTEGER,
  last_poll_at    INTEGER
) STRICT;

-- Routing may give a request to one app (its zone's department's): then only that app takes it.
ALTER TABLE requests ADD COLUMN bus_app_id INTEGER REFERENCES bus_apps(id) ON DELETE SET NULL;

CREATE TABLE bus_messages (
  id               INTEGER PRIMARY KEY,
  app_id           INTEGER NOT NULL REFERENCES bus_apps(id) ON DELETE CASCADE,
  request_id       INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  event_id         INTEGER NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  type             TEXT NOT NULL CHECK (type IN ('created', 'updated', 'media_added', 'merged', 'reopened')),
  created_at       INTEGER NOT NULL,
  available_at     INTEGER NOT NULL,
  lease_expires_at INTEGER,
  attempts         INTEGER NOT NULL DEFAULT 0,
  acked_at         INTEGER,
  dead_at          INTEGER,
  last_error       TEXT,
  UNIQUE (app_id, event_id)
) STRICT;
-- What an app may take next, in order; and, per request, whether an earlier message is still open.
CREATE INDEX bus_messages_open ON bus_messages (app_id, id) WHERE acked_at IS NULL AND dead_at IS NULL;
CREATE INDEX bus_messages_open_by_request ON bus_messages (app_id, request_id, id) WHERE acked_at IS NULL AND dead_at IS NULL;
CREATE INDEX bus_messages_by_date ON bus_messages (app_id, created_at, id);
-- Leases to look at when they may have run out, without reading the whole backlog.
CREATE INDEX bus_messages_leased ON bus_messages (app_id, lease_expires_at)
  WHERE acked_at IS NULL AND dead_at IS NULL AND lease_expires_at IS NOT NULL;

CREATE TRIGGER bus_outbox AFTER INSERT ON request_events
  WHEN new.type IN ('created', 'status', 'note', 'media', 'merge') BEGIN
  INSERT INTO bus_messages (app_id, request_id, event_id, type, created_at, available_at)
    SELECT a.id, new.request_id, new.id, x.type, new.created_at, new.created_at
    FROM bus_apps a
    JOIN requests r ON r.id = new.request_id
    JOIN (SELECT CASE
      WHEN new.type = 'created' THEN 'created'
      WHEN new.type = 'media' THEN 'media_added'
      WHEN new.type = 'merge' THEN 'merged'
      WHEN new.type = 'status' AND (SELECT status FROM requests WHERE id = new.request_id) = 'closed'
        AND new.detailed_status IN ('received', 'in_progress', 'planned') THEN 'reopened'
      ELSE 'updated' END AS type) x
    WHERE a.jurisdiction_id = r.jurisdiction_id AND a.revoked_at IS NULL AND (r.bus_app_id IS NULL OR r.bus_app_id = a.id)
      AND new.actor IS NOT ('bus:' || a.id)
      AND (a.services IS NULL OR (SELECT code FROM services WHERE id = r.service_id) IN (SELECT value FROM json_each(a.services)))
      AND (a.events IS NULL OR x.type IN (SELECT value FROM json_each(a.events)));
END;

CREATE TABLE bus_audit (
  id          INTEGER PRIMARY KEY,
  app_id      INTEGER REFERENCES bus_apps(id) ON DELETE SET NULL,
  at          INTEGER NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  method      TEXT NOT NULL,
  endpoint    TEXT NOT NULL,
  status      INTEGER NOT NULL,
  ids         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ids)),
  duration_ms REAL NOT NULL,
  detail      TEXT
) STRICT;
CREATE INDEX bus_audit_by_app ON bus_audit (app_id, at);

CREATE TABLE bus_alerts (
  id         INTEGER PRIMARY KEY,
  app_id     INTEGER REFERENCES bus_apps(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('silent', 'failing', 'dead_letter', 'sla')),
  key        TEXT NOT NULL UNIQUE,
  message    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at    INTEGER
) STRICT;
`;
