/**
 * The agent's inbox (issue 15): requests given to a person, their SLA at a glance, and the CRM told of
 * rejections.
 *
 * - `requests.assignee_id`: the staff member handling a request, besides the department it belongs to.
 *   Only someone who may act in the request's town (agent or administrator) is assigned; a trigger takes
 *   their requests back when they lose that role there (removed, or made read-only), so no request waits
 *   on someone who can no longer open it.
 * - Indexes for the inbox at 100,000 requests and more, whatever their visibility (those of 001–004 hold
 *   published requests only): one per sort column, in which each value's requests are newest first, so
 *   a page of any sort is read by walking an index and stops at the page's end (server/admin/inbox.store.ts);
 *   by assignee with the status ("my requests", "unassigned": counted from the index alone); open
 *   requests by due time ("overdue", "due today", the SLA sort); those waiting for moderation.
 * - `assignment_mails`: one e-mail owed per assignment (a bulk assignment of twenty requests is one
 *   e-mail listing them), queued in the transaction that assigns and sent by the notifier with the
 *   delivery record the followers' e-mails use (`request_ids`: a JSON list).
 * - The bus: a moderation event that rejects a request now reaches the CRM as an update (before, a CRM
 *   that had received the request never learnt it was rejected and closed).
 */
export const assignment = /* sql */ `
ALTER TABLE requests ADD COLUMN assignee_id INTEGER REFERENCES staff_users(id) ON DELETE SET NULL;

CREATE INDEX requests_by_assignee ON requests (jurisdiction_id, assignee_id, requested_at DESC, id DESC, status) WHERE queued = 0;
CREATE INDEX requests_open_by_due ON requests (jurisdiction_id, expected_at, requested_at DESC, id DESC) WHERE status = 'open' AND queued = 0;
CREATE INDEX requests_by_date ON requests (jurisdiction_id, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_number ON requests (jurisdiction_id, id) WHERE queued = 0;
CREATE INDEX requests_by_category ON requests (jurisdiction_id, service_id, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_status ON requests (jurisdiction_id, detailed_status, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_channel ON requests (jurisdiction_id, channel, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_by_place ON requests (jurisdiction_id, address COLLATE NOCASE, requested_at DESC, id DESC) WHERE queued = 0;
CREATE INDEX requests_held ON requests (jurisdiction_id, requested_at DESC, id DESC) WHERE visibility = 'pending' AND queued = 0;

CREATE TRIGGER staff_roles_unassign_removed AFTER DELETE ON staff_roles BEGIN
  UPDATE requests SET assignee_id = NULL WHERE jurisdiction_id = old.jurisdiction_id AND assignee_id = old.staff_id;
END;
CREATE TRIGGER staff_roles_unassign_readonly AFTER UPDATE OF role ON staff_roles WHEN new.role = 'readonly' BEGIN
  UPDATE requests SET assignee_id = NULL WHERE jurisdiction_id = new.jurisdiction_id AND assignee_id = new.staff_id;
END;

CREATE TABLE assignment_mails (
  id              INTEGER PRIMARY KEY,
  staff_id        INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  assigned_by     INTEGER REFERENCES staff_users(id) ON DELETE SET NULL,
  request_ids     TEXT NOT NULL CHECK (json_valid(request_ids) AND json_type(request_ids) = 'array'),
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  failed_at       INTEGER,
  last_error      TEXT
) STRICT;
CREATE INDEX assignment_mails_due ON assignment_mails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

DROP TRIGGER bus_outbox;
CREATE TRIGGER bus_outbox AFTER INSERT ON request_events
  WHEN new.type IN ('created', 'status', 'note', 'media', 'merge')
    OR (new.type = 'moderation' AND new.detailed_status = 'rejected') BEGIN
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
`;
