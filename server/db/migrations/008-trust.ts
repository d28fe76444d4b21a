/**
 * Who may do what, recorded where it is decided.
 *
 * - `api_clients.scopes`: what a key may do, a JSON list of `report` (file requests, follow them, send
 *   photos: what a public widget needs, safe to publish in a page) and `updates` (post status updates the
 *   FixMyStreet way: an integration's). Keys made before scopes existed could do both; they keep `report`
 *   only, and an administrator grants `updates` to the integrations that need it (the public key of a city
 *   page must never close requests).
 * - `audit_log.jurisdiction_id`: the town an entry belongs to, so each town's administrators read their
 *   own entries only. Earlier entries are attributed from their target where it names a request, key or
 *   bus app, or from the jurisdiction their detail names; the others (failed logins, purges, catalogue
 *   steps whose service code alone cannot tell the town) stay unattributed: shown to no town.
 */
export const trust = /* sql */ `
ALTER TABLE api_clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '["report"]'
  CHECK (json_valid(scopes) AND json_type(scopes) = 'array');

ALTER TABLE audit_log ADD COLUMN jurisdiction_id TEXT;
UPDATE audit_log SET jurisdiction_id = CASE
  WHEN target LIKE 'request:%' THEN (SELECT jurisdiction_id FROM requests WHERE id = CAST(substr(target, 9) AS INTEGER))
  WHEN target LIKE 'api_client:%' THEN (SELECT jurisdiction_id FROM api_clients WHERE id = CAST(substr(target, 12) AS INTEGER))
  WHEN target LIKE 'bus_app:%' THEN (SELECT jurisdiction_id FROM bus_apps WHERE id = CAST(substr(target, 9) AS INTEGER))
  WHEN target LIKE 'jurisdiction:%' THEN substr(target, 14)
  WHEN json_type(detail, '$.jurisdiction') = 'text' THEN json_extract(detail, '$.jurisdiction')
  WHEN json_type(detail, '$.jurisdiction_id') = 'text' THEN json_extract(detail, '$.jurisdiction_id')
END;
CREATE INDEX audit_log_by_jurisdiction ON audit_log (jurisdiction_id, id);
`;
