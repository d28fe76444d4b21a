import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 011-assignment: `requests.assignee_id`, the inbox's indexes (the place's
 * on `lower(address)` where SQLite's uses `COLLATE NOCASE`), the functions standing for the triggers
 * `staff_roles_unassign_removed` and `staff_roles_unassign_readonly`, `assignment_mails`, and
 * `bus_outbox` replaced so that a rejection reaches the CRM, as SQLite's trigger of that name now does.
 */
export const assignment = /* sql */ `
ALTER TABLE requests ADD COLUMN assignee_id bigint REFERENCES staff_users(id) ON DELETE SET NULL;

CREATE INDEX requests_by_assignee ON requests (jurisdiction_id, assignee_id, requested_at DESC, id DESC, status) WHERE queued = 0;
CREATE INDEX requests_open_by_due ON requests (jurisdiction_id, expected_at, requested_at DESC, id DESC) WHERE status = 'open' AND queued = 0;
CREATE INDEX requests_by_date ON requests (jurisdiction_id, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_number ON requests (jurisdiction_id, id) WHERE queued = 0;
CREATE INDEX requests_by_category ON requests (jurisdiction_id, service_id, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_status ON requests (jurisdiction_id, detailed_status, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_channel ON requests (jurisdiction_id, channel, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_place ON requests (jurisdiction_id, lower(address), requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_held ON requests (jurisdiction_id, requested_at DESC, id DESC) WHERE visibility = 'pending' AND queued = 0;

-- Mirrors staff_roles_unassign_removed and staff_roles_unassign_readonly: someone who may no longer act
-- in a town keeps none of its requests.
CREATE FUNCTION staff_roles_unassign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE requests SET assignee_id = NULL WHERE jurisdiction_id = OLD.jurisdiction_id AND assignee_id = OLD.staff_id;
  RETURN NULL;
END $$;
CREATE TRIGGER staff_roles_unassign_removed AFTER DELETE ON staff_roles
  FOR EACH ROW EXECUTE FUNCTION staff_roles_unassign();
CREATE TRIGGER staff_roles_unassign_readonly AFTER UPDATE OF role ON staff_roles
  FOR EACH ROW WHEN (NEW.role = 'readonly') EXECUTE FUNCTION staff_roles_unassign();

CREATE TABLE assignment_mails (
  id              ${ID},
  staff_id        bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  assigned_by     bigint REFERENCES staff_users(id) ON DELETE SET NULL,
  request_ids     ${TEXT} NOT NULL CHECK (json_valid(request_ids) AND json_typeof(CAST(request_ids AS json)) = 'array'),
  created_at      bigint NOT NULL,
  attempts        bigint NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  sent_at         bigint,
  failed_at       bigint,
  last_error      ${TEXT}
);
CREATE INDEX assignment_mails_due ON assignment_mails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The outbox's function is unchanged; the trigger now also fires for a moderation event that rejects.
DROP TRIGGER bus_outbox ON request_events;
CREATE TRIGGER bus_outbox AFTER INSERT ON request_events
  FOR EACH ROW WHEN (NEW.type IN ('created', 'status', 'note', 'media', 'merge') OR (NEW.type = 'moderation' AND NEW.detailed_status = 'rejected'))
  EXECUTE FUNCTION bus_outbox();
`;
