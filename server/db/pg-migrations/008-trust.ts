/**
 * PostgreSQL form of SQLite's 008-trust. SQLite's `json_type`/`json_extract` become `json_typeof` and
 * `->>`; an id in a target is read only when it is all digits (SQLite's CAST would read `12x` as 12;
 * no such target is ever written).
 */
const id = (from: number) => `CASE WHEN substr(target, ${from}) ~ '^[0-9]{1,18}$' THEN substr(target, ${from})::bigint END`;

export const trust = /* sql */ `
ALTER TABLE api_clients ADD COLUMN scopes text COLLATE "C" NOT NULL DEFAULT '["report"]'
  CHECK (CASE WHEN json_valid(scopes) THEN json_typeof(scopes::json) = 'array' ELSE false END);

ALTER TABLE audit_log ADD COLUMN jurisdiction_id text COLLATE "C";
UPDATE audit_log SET jurisdiction_id = CASE
  WHEN target LIKE 'request:%' THEN (SELECT jurisdiction_id FROM requests WHERE id = ${id(9)})
  WHEN target LIKE 'api_client:%' THEN (SELECT jurisdiction_id FROM api_clients WHERE id = ${id(12)})
  WHEN target LIKE 'bus_app:%' THEN (SELECT jurisdiction_id FROM bus_apps WHERE id = ${id(9)})
  WHEN target LIKE 'jurisdiction:%' THEN substr(target, 14)
  WHEN json_typeof(detail::json -> 'jurisdiction') = 'string' THEN detail::json ->> 'jurisdiction'
  WHEN json_typeof(detail::json -> 'jurisdiction_id') = 'string' THEN detail::json ->> 'jurisdiction_id'
END;
CREATE INDEX audit_log_by_jurisdiction ON audit_log (jurisdiction_id, id);
`;
