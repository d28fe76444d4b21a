/**
 * The back office: staff, their sessions, and what staff work needs.
 *
 * - `staff_users`: e-mail and an scrypt hash of the password; `staff_roles`: a role per jurisdiction
 *   (`administrator`, `agent`, `readonly`): one person may run two towns with different rights.
 * - `staff_sessions`: the SHA-256 of the session cookie's token (a stolen database opens no session)
 *   and the CSRF token every change must carry back.
 * - `login_failures`: recent failed logins by e-mail and by address, for throttling.
 * - `departments` (with their zone, a GeoJSON polygon, their agency and bus app), `routing_rules`, and
 *   `requests.assigned_department`: who handles a request; `response_templates`: the answers staff pick
 *   from, per service, status and language.
 */
export const staff = /* sql */ `
CREATE TABLE staff_users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  disabled_at   INTEGER
) STRICT;

CREATE TABLE staff_roles (
  staff_id        INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('administrator', 'agent', 'readonly')),
  PRIMARY KEY (staff_id, jurisdiction_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE staff_sessions (
  token_hash   TEXT PRIMARY KEY,
  staff_id     INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE departments (
  id              INTEGER PRIMARY KEY,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  agency          TEXT,
  zone            TEXT CHECK (zone IS NULL OR json_valid(zone)),
  bus_app_id      INTEGER REFERENCES bus_apps(id) ON DELETE SET NULL,
  UNIQUE (jurisdiction_id, name)
) STRICT;
-- The first rule (by position) whose service matches (null: any) and whose department's zone holds the
-- place (no zone: anywhere) routes a new request.
CREATE TABLE routing_rules (
  id              INTEGER PRIMARY KEY,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  service_id      INTEGER REFERENCES services(id) ON DELETE CASCADE,
  department_id   INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL
) STRICT;
ALTER TABLE requests ADD COLUMN assigned_department INTEGER REFERENCES departments(id) ON DELETE SET NULL;

CREATE TABLE response_templates (
  id         INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  detailed_status TEXT NOT NULL,
  locale     TEXT NOT NULL,
  text       TEXT NOT NULL,
  UNIQUE (service_id, detailed_status, locale)
) STRICT;

CREATE INDEX audit_log_by_date ON audit_log (at);
`;
