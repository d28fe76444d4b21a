/** PostgreSQL form of SQLite's 010-tracking. */
export const tracking = /* sql */ `
CREATE TABLE request_trackers (
  token_hash text COLLATE "C" PRIMARY KEY,
  request_id bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE
);
CREATE INDEX request_trackers_by_request ON request_trackers (request_id);
`;
