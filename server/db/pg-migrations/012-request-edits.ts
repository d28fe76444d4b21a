import { TEXT } from './types.ts';

/** PostgreSQL form of SQLite's 012-request-edits: what an agent's edit changed, before and after. */
export const requestEdits = /* sql */ `
CREATE TABLE request_edits (
  event_id  bigint NOT NULL REFERENCES request_events(id) ON DELETE CASCADE,
  field     ${TEXT} NOT NULL CHECK (field IN ('title', 'description', 'address')),
  before    ${TEXT},
  after     ${TEXT},
  erased_at bigint,
  PRIMARY KEY (event_id, field)
);
`;
