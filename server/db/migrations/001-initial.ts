/**
 * The first schema. Times are Unix seconds (UTC). Translations live in `i18n` JSON columns keyed by
 * locale (`{"en": {"name": "…"}}`); the plain columns hold the jurisdiction's default language.
 * Personal data lives only in `reporters`, never joined into public output.
 */
export const initial = /* sql */ `
CREATE TABLE jurisdictions (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  default_locale TEXT NOT NULL DEFAULT 'fr',
  contact        TEXT NOT NULL DEFAULT '',
  service_area   TEXT CHECK (service_area IS NULL OR json_valid(service_area)),
  settings       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE service_groups (
  id              INTEGER PRIMARY KEY,
  jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  code            TEXT NOT NULL,
  name            TEXT NOT NULL,
  i18n            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  position        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (jurisdiction_id, code)
) STRICT;

CREATE TABLE services (
  id                 INTEGER PRIMARY KEY,
  jurisdiction_id    TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  code               TEXT NOT NULL,
  name               TEXT NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  keywords           TEXT NOT NULL DEFAULT '',
  group_id           INTEGER REFERENCES service_groups(id) ON DELETE SET NULL,
  type               TEXT NOT NULL DEFAULT 'realtime' CHECK (type IN ('realtime', 'batch', 'blackbox')),
  i18n               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  sla_hours          INTEGER,
  moderation         TEXT NOT NULL DEFAULT 'auto' CHECK (moderation IN ('auto', 'hold')),
  agency_responsible TEXT,
  service_notice     TEXT,
  position           INTEGER NOT NULL DEFAULT 0,
  active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at         INTEGER NOT NULL,
  UNIQUE (jurisdiction_id, code)
) STRICT;

CREATE TABLE service_attributes (
  id                   INTEGER PRIMARY KEY,
  service_id           INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  code                 TEXT NOT NULL,
  datatype             TEXT NOT NULL CHECK (datatype IN
                         ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
  variable             INTEGER NOT NULL DEFAULT 1 CHECK (variable IN (0, 1)),
  required             INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  datatype_description TEXT NOT NULL DEFAULT '',
  description          TEXT NOT NULL DEFAULT '',
  position             INTEGER NOT NULL CHECK (position > 0),
  public               INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
  i18n                 TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  UNIQUE (service_id, code),
  UNIQUE (service_id, position)
) STRICT;

CREATE TABLE attribute_values (
  attribute_id INTEGER NOT NULL REFERENCES service_attributes(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  name         TEXT NOT NULL,
  i18n         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  position     INTEGER NOT NULL,
  PRIMARY KEY (attribute_id, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE api_clients (
  id                    INTEGER PRIMARY KEY,
  jurisdiction_id       TEXT REFERENCES jurisdictions(id) ON DELETE CASCADE, -- NULL: every jurisdiction
  name                  TEXT NOT NULL,
  key_prefix            TEXT NOT NULL,
  key_hash              TEXT NOT NULL UNIQUE,
  rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
  created_at            INTEGER NOT NULL,
  revoked_at            INTEGER
) STRICT;

-- Public fields only. A request is public when visibility = 'published' and it is not queued
-- (a batch request stays queued, known by its token, until it is given its id).
CREATE TABLE requests (
  id                  INTEGER PRIMARY KEY,
  jurisdiction_id     TEXT NOT NULL REFERENCES jurisdictions(id),
  service_id          INTEGER NOT NULL REFERENCES services(id),
  status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  detailed_status     TEXT NOT NULL DEFAULT 'received' CHECK (detailed_status IN
                        ('received', 'in_progress', 'planned', 'fixed', 'not_fixed', 'duplicate',
                         'referred', 'rejected')),
  status_notes        TEXT,
  title               TEXT,
  description         TEXT,
  lat                 REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  long                REAL CHECK (long IS NULL OR long BETWEEN -180 AND 180),
  address             TEXT,
  address_id          TEXT,
  zipcode             TEXT,
  agency_responsible  TEXT,
  service_notice      TEXT,
  requested_at        INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  expected_at         INTEGER,
  visibility          TEXT NOT NULL DEFAULT 'published' CHECK (visibility IN ('pending', 'published', 'hidden')),
  queued              INTEGER NOT NULL DEFAULT 0 CHECK (queued IN (0, 1)),
  token               TEXT UNIQUE,
  channel             TEXT NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'web', 'phone', 'counter', 'email', 'mobile')),
  api_client_id       INTEGER REFERENCES api_clients(id) ON DELETE SET NULL,
  service_object_id   TEXT,
  service_object_type TEXT,
  duplicate_of        INTEGER REFERENCES requests(id),
  external_id         TEXT,
  CHECK ((lat IS NULL) = (long IS NULL))
) STRICT;

CREATE INDEX requests_public_by_date ON requests (jurisdiction_id, requested_at DESC, id DESC)
  WHERE visibility = 'published' AND queued = 0;
CREATE INDEX requests_queued ON requests (id) WHERE queued = 1;

-- Personal data, one row per request, erased by the retention policy.
CREATE TABLE reporters (
  request_id   INTEGER PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL DEFAULT 'anonymous' CHECK (kind IN ('anonymous', 'person', 'organisation')),
  email        TEXT,
  first_name   TEXT,
  last_name    TEXT,
  phone        TEXT,
  organisation TEXT,
  device_id    TEXT,
  account_id   TEXT,
  locale       TEXT,
  erased_at    INTEGER
) STRICT;

CREATE TABLE request_attributes (
  request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  position   INTEGER NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (request_id, code, position)
) STRICT, WITHOUT ROWID;

-- Photos: either a URL a client gave (url) or a file we stored (path, with what we measured of it).
CREATE TABLE media (
  id            INTEGER PRIMARY KEY,
  request_id    INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  url           TEXT,
  path          TEXT,
  mime          TEXT,
  bytes         INTEGER,
  width         INTEGER,
  height        INTEGER,
  sha256        TEXT,
  gps_from_exif INTEGER NOT NULL DEFAULT 0 CHECK (gps_from_exif IN (0, 1)),
  hidden        INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  created_at    INTEGER NOT NULL,
  CHECK (url IS NOT NULL OR path IS NOT NULL),
  UNIQUE (request_id, position)
) STRICT;

-- The history of a request: status changes, notes, moderation, merges. Public ones form its timeline.
CREATE TABLE request_events (
  id              INTEGER PRIMARY KEY,
  request_id      INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  type            TEXT NOT NULL CHECK (type IN ('created', 'accepted', 'status', 'note', 'moderation', 'merge', 'media')),
  detailed_status TEXT,
  note            TEXT,
  public          INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
  actor           TEXT NOT NULL,
  update_id       TEXT,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX request_events_by_request ON request_events (request_id, id);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT,
  detail    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
`;
