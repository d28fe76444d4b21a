/**
 * What an agent's edit changed (issue 15): moderation takes personal data out of a resident's texts, and
 * staff reading the history need to see what was taken out and what was put instead, as before and after.
 *
 * - `request_edits`: one row per field an edit changed (`title`, `description`, `address`), its text
 *   before and after, beside the edit's event. The event stays internal (never on the public timeline);
 *   these texts are read by staff only. What was edited out is personal data: the retention policy
 *   erases both texts with the reporter's own data (`erased_at`).
 *
 * Touches nothing else (independent of the migrations beside it).
 */
export const requestEdits = /* sql */ `
CREATE TABLE request_edits (
  event_id  INTEGER NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  field     TEXT NOT NULL CHECK (field IN ('title', 'description', 'address')),
  before    TEXT,
  after     TEXT,
  erased_at INTEGER,
  PRIMARY KEY (event_id, field)
) STRICT, WITHOUT ROWID;
`;
