/**
 * The filer's secret for following their own request (issue 14): a request held for moderation (or
 * rejected) is answered as unknown to everyone, as issue 13 made it, so the device that filed it could
 * not tell it from a deleted one. A POST asking for `extensions=true` now receives a random tracking
 * token, and `requests/{id}/tracking.{fmt}` answers the request's state to whoever shows it.
 *
 * - `request_trackers`: the SHA-256 of each token handed out, with its request. Only the hash is kept,
 *   so the store cannot leak a working token; a repeated filing answered with an earlier request (a
 *   double tap) gets a token of its own, so each answer the device received works.
 *
 * Touches nothing else (independent of the migrations beside it).
 */
export const tracking = /* sql */ `
CREATE TABLE request_trackers (
  token_hash TEXT PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX request_trackers_by_request ON request_trackers (request_id);
`;
