/**
 * The inbox's sort by place (server/admin/inbox.store.ts) walks `requests_by_place` in the order SQLite
 * gives NULLs, first ascending and last descending: `lower(address) ASC NULLS FIRST` (its reverse is
 * `DESC NULLS LAST`). 011 built the index with PostgreSQL's default, NULLS LAST ascending, which serves
 * neither direction, so every page of that sort read and sorted all the town's requests. Rebuilt with
 * NULLS FIRST, the walk stops at the page's end, as it does on SQLite.
 */
export const readPath = /* sql */ `
DROP INDEX requests_by_place;
CREATE INDEX requests_by_place ON requests (jurisdiction_id, lower(address) NULLS FIRST, requested_at DESC, id DESC) WHERE queued = 0;
`;
