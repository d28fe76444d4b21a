import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 006-bus: the bus's tables, and the outbox written by `bus_outbox` in the
 * transaction of the event, as SQLite's trigger of that name does.
 */
export const bus = /* sql */ `
CREATE TABLE bus_apps (
  id              ${ID},
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  name            ${TEXT} NOT NULL,
  secret_prefix   ${TEXT} NOT NULL,
  secret_hash     ${TEXT} NOT NULL UNIQUE,
  services        ${TEXT} CHECK (services IS NULL OR json_valid(services)),
  events          ${TEXT} CHECK (events IS NULL OR json_valid(events)),
  delivery        ${TEXT} NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'deferred')),
  max_attempts    bigint NOT NULL DEFAULT 10 CHECK (max_attempts BETWEEN 1 AND 1000),
  webhook_url     ${TEXT},
  webhook_secret  ${TEXT},
  owner_email     ${TEXT},
  alert_webhook   ${TEXT},
  created_at      bigint NOT NULL,
  revoked_at      bigint,
  last_poll_at    bigint
);

ALTER TABLE requests ADD COLUMN bus_app_id bigint REFERENCES bus_apps(id) ON DELETE SET NULL;

CREATE TABLE bus_messages (
  id               ${ID},
  app_id           bigint NOT NULL REFERENCES bus_apps(id) ON DELETE CASCADE,
  request_id       bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  event_id         bigint NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  type             ${TEXT} NOT NULL CHECK (type IN ('created', 'updated', 'media_added', 'merged', 'reopened')),
  created_at       bigint NOT NULL,
  available_at     bigint NOT NULL,
  lease_expires_at bigint,
  attempts         bigint NOT NULL DEFAULT 0,
  acked_at         bigint,
  dead_at          bigint,
  last_error       ${TEXT},
  UNIQUE (app_id, event_id)
);
CREATE INDEX bus_messages_open ON bus_messages (app_id, id) WHERE acked_at IS NULL AND dead_at IS NULL;
CREATE INDEX bus_messages_open_by_request ON bus_messages (app_id, request_id, id) WHERE acked_at IS NULL AND dead_at IS NULL;
CREATE INDEX bus_messages_by_date ON bus_messages (app_id, created_at, id);
CREATE INDEX bus_messages_leased ON bus_messages (app_id, lease_expires_at)
  WHERE acked_at IS NULL AND dead_at IS NULL AND lease_expires_at IS NOT NULL;

-- Mirrors SQLite's bus_outbox: one message per app of the request's jurisdiction that takes it (not
-- revoked, the request's own app when routing chose one, not the app whose update caused the event,
-- its services and events when it lists them). json_each becomes json_array_elements_text; the apps
-- are taken in id order, as SQLite reads them, so both engines number the messages alike.
CREATE FUNCTION bus_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  message_type text;
BEGIN
  message_type := CASE
    WHEN NEW.type = 'created' THEN 'created'
    WHEN NEW.type = 'media' THEN 'media_added'
    WHEN NEW.type = 'merge' THEN 'merged'
    WHEN NEW.type = 'status' AND (SELECT status FROM requests WHERE id = NEW.request_id) = 'closed'
      AND NEW.detailed_status IN ('received', 'in_progress', 'planned') THEN 'reopened'
    ELSE 'updated' END;
  INSERT INTO bus_messages (app_id, request_id, event_id, type, created_at, available_at)
    SELECT a.id, NEW.request_id, NEW.id, message_type, NEW.created_at, NEW.created_at
    FROM bus_apps a
    JOIN requests r ON r.id = NEW.request_id
    WHERE a.jurisdiction_id = r.jurisdiction_id AND a.revoked_at IS NULL AND (r.bus_app_id IS NULL OR r.bus_app_id = a.id)
      AND NEW.actor IS DISTINCT FROM ('bus:' || a.id)
      AND (a.services IS NULL OR (SELECT code FROM services WHERE id = r.service_id) IN (SELECT json_array_elements_text(a.services::json)))
      AND (a.events IS NULL OR message_type IN (SELECT json_array_elements_text(a.events::json)))
    ORDER BY a.id;
  RETURN NULL;
END $$;
CREATE TRIGGER bus_outbox AFTER INSERT ON request_events
  FOR EACH ROW WHEN (NEW.type IN ('created', 'status', 'note', 'media', 'merge')) EXECUTE FUNCTION bus_outbox();

CREATE TABLE bus_audit (
  id          ${ID},
  app_id      bigint REFERENCES bus_apps(id) ON DELETE SET NULL,
  at          bigint NOT NULL,
  direction   ${TEXT} NOT NULL CHECK (direction IN ('in', 'out')),
  method      ${TEXT} NOT NULL,
  endpoint    ${TEXT} NOT NULL,
  status      bigint NOT NULL,
  ids         ${TEXT} NOT NULL DEFAULT '[]' CHECK (json_valid(ids)),
  duration_ms double precision NOT NULL,
  detail      ${TEXT}
);
CREATE INDEX bus_audit_by_app ON bus_audit (app_id, at);

CREATE TABLE bus_alerts (
  id         ${ID},
  app_id     bigint REFERENCES bus_apps(id) ON DELETE CASCADE,
  kind       ${TEXT} NOT NULL CHECK (kind IN ('silent', 'failing', 'dead_letter', 'sla')),
  key        ${TEXT} NOT NULL UNIQUE,
  message    ${TEXT} NOT NULL,
  created_at bigint NOT NULL,
  sent_at    bigint
);
`;
