import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 007-staff. `email … UNIQUE COLLATE NOCASE` becomes a unique index on
 * `lower(email)` (ASCII folding on a `COLLATE "C"` column, as NOCASE), which a login statement uses
 * as `lower(email) = lower(?)`.
 */
export const staff = /* sql */ `
CREATE TABLE staff_users (
  id            ${ID},
  email         ${TEXT} NOT NULL,
  name          ${TEXT} NOT NULL,
  password_hash ${TEXT} NOT NULL,
  created_at    bigint NOT NULL,
  disabled_at   bigint
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

CREATE TABLE staff_roles (
  staff_id        bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  role            ${TEXT} NOT NULL CHECK (role IN ('administrator', 'agent', 'readonly')),
  PRIMARY KEY (staff_id, jurisdiction_id)
);

CREATE TABLE staff_sessions (
  token_hash   ${TEXT} PRIMARY KEY,
  staff_id     bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf_token   ${TEXT} NOT NULL,
  created_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at   bigint NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

CREATE TABLE login_failures (
  key ${TEXT} NOT NULL,
  at  bigint NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE departments (
  id              ${ID},
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  name            ${TEXT} NOT NULL,
  agency          ${TEXT},
  zone            ${TEXT} CHECK (zone IS NULL OR json_valid(zone)),
  bus_app_id      bigint REFERENCES bus_apps(id) ON DELETE SET NULL,
  UNIQUE (jurisdiction_id, name)
);
CREATE TABLE routing_rules (
  id              ${ID},
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  service_id      bigint REFERENCES services(id) ON DELETE CASCADE,
  department_id   bigint NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  position        bigint NOT NULL
);
ALTER TABLE requests ADD COLUMN assigned_department bigint REFERENCES departments(id) ON DELETE SET NULL;

CREATE TABLE response_templates (
  id         ${ID},
  service_id bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  detailed_status ${TEXT} NOT NULL,
  locale     ${TEXT} NOT NULL,
  text       ${TEXT} NOT NULL,
  UNIQUE (service_id, detailed_status, locale)
);

CREATE INDEX audit_log_by_date ON audit_log (at);
`;
