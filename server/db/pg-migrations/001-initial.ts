import { ID, TEXT } from './types.ts';

/**
 * PostgreSQL form of SQLite's 001-initial: the same tables, columns, checks and indexes. Types: SQLite's
 * INTEGER is `bigint` (64 bits, as in SQLite; read back as numbers), REAL `double precision`, TEXT
 * `text COLLATE "C"` (byte order, as SQLite's BINARY, whatever the database's locale), and `0`/`1` flags
 * stay integers so that every statement compares them alike on both engines. JSON columns stay text
 * (a value reads back exactly as written) checked by `json_valid`, which this migration defines with
 * `unixepoch()`, so that both names mean on PostgreSQL what they mean on SQLite.
 */
export const initial = /* sql */ `
CREATE FUNCTION json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  PERFORM value::json;
  RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN false;
END $$;

-- SQLite's unixepoch(): the current time in whole seconds, taken when the statement started.
CREATE FUNCTION unixepoch() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
  RETURN floor(extract(epoch FROM statement_timestamp()))::bigint;

CREATE TABLE jurisdictions (
  id             ${TEXT} PRIMARY KEY,
  name           ${TEXT} NOT NULL,
  default_locale ${TEXT} NOT NULL DEFAULT 'fr',
  contact        ${TEXT} NOT NULL DEFAULT '',
  service_area   ${TEXT} CHECK (service_area IS NULL OR json_valid(service_area)),
  settings       ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_at     bigint NOT NULL
);

CREATE TABLE service_groups (
  id              ${ID},
  jurisdiction_id ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  code            ${TEXT} NOT NULL,
  name            ${TEXT} NOT NULL,
  i18n            ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  position        bigint NOT NULL DEFAULT 0,
  UNIQUE (jurisdiction_id, code)
);

CREATE TABLE services (
  id                 ${ID},
  jurisdiction_id    ${TEXT} NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
  code               ${TEXT} NOT NULL,
  name               ${TEXT} NOT NULL,
  description        ${TEXT} NOT NULL DEFAULT '',
  keywords           ${TEXT} NOT NULL DEFAULT '',
  group_id           bigint REFERENCES service_groups(id) ON DELETE SET NULL,
  type               ${TEXT} NOT NULL DEFAULT 'realtime' CHECK (type IN ('realtime', 'batch', 'blackbox')),
  i18n               ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  sla_hours          bigint,
  moderation         ${TEXT} NOT NULL DEFAULT 'auto' CHECK (moderation IN ('auto', 'hold')),
  agency_responsible ${TEXT},
  service_notice     ${TEXT},
  position           bigint NOT NULL DEFAULT 0,
  active             bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at         bigint NOT NULL,
  UNIQUE (jurisdiction_id, code)
);

CREATE TABLE service_attributes (
  id                   ${ID},
  service_id           bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  code                 ${TEXT} NOT NULL,
  datatype             ${TEXT} NOT NULL CHECK (datatype IN
                         ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
  variable             bigint NOT NULL DEFAULT 1 CHECK (variable IN (0, 1)),
  required             bigint NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  datatype_description ${TEXT} NOT NULL DEFAULT '',
  description          ${TEXT} NOT NULL DEFAULT '',
  position             bigint NOT NULL CHECK (position > 0),
  public               bigint NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
  i18n                 ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  UNIQUE (service_id, code),
  UNIQUE (service_id, position)
);

CREATE TABLE attribute_values (
  attribute_id bigint NOT NULL REFERENCES service_attributes(id) ON DELETE CASCADE,
  key          ${TEXT} NOT NULL,
  name         ${TEXT} NOT NULL,
  i18n         ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(i18n)),
  position     bigint NOT NULL,
  PRIMARY KEY (attribute_id, key)
);

CREATE TABLE api_clients (
  id                    ${ID},
  jurisdiction_id       ${TEXT} REFERENCES jurisdictions(id) ON DELETE CASCADE, -- NULL: every jurisdiction
  name                  ${TEXT} NOT NULL,
  key_prefix            ${TEXT} NOT NULL,
  key_hash              ${TEXT} NOT NULL UNIQUE,
  rate_limit_per_minute bigint CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
  created_at            bigint NOT NULL,
  revoked_at            bigint
);

CREATE TABLE requests (
  id                  ${ID},
  jurisdiction_id     ${TEXT} NOT NULL REFERENCES jurisdictions(id),
  service_id          bigint NOT NULL REFERENCES services(id),
  status              ${TEXT} NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  detailed_status     ${TEXT} NOT NULL DEFAULT 'received' CHECK (detailed_status IN
                        ('received', 'in_progress', 'planned', 'fixed', 'not_fixed', 'duplicate',
                         'referred', 'rejected')),
  status_notes        ${TEXT},
  title               ${TEXT},
  description         ${TEXT},
  lat                 double precision CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  long                double precision CHECK (long IS NULL OR long BETWEEN -180 AND 180),
  address             ${TEXT},
  address_id          ${TEXT},
  zipcode             ${TEXT},
  agency_responsible  ${TEXT},
  service_notice      ${TEXT},
  requested_at        bigint NOT NULL,
  updated_at          bigint NOT NULL,
  expected_at         bigint,
  visibility          ${TEXT} NOT NULL DEFAULT 'published' CHECK (visibility IN ('pending', 'published', 'hidden')),
  queued              bigint NOT NULL DEFAULT 0 CHECK (queued IN (0, 1)),
  token               ${TEXT} UNIQUE,
  channel             ${TEXT} NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'web', 'phone', 'counter', 'email', 'mobile')),
  api_client_id       bigint REFERENCES api_clients(id) ON DELETE SET NULL,
  service_object_id   ${TEXT},
  service_object_type ${TEXT},
  duplicate_of        bigint REFERENCES requests(id),
  external_id         ${TEXT},
  CHECK ((lat IS NULL) = (long IS NULL))
);

CREATE INDEX requests_public_by_date ON requests (jurisdiction_id, requested_at DESC, id DESC)
  WHERE visibility = 'published' AND queued = 0;
CREATE INDEX requests_queued ON requests (id) WHERE queued = 1;

CREATE TABLE reporters (
  request_id   bigint PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
  kind         ${TEXT} NOT NULL DEFAULT 'anonymous' CHECK (kind IN ('anonymous', 'person', 'organisation')),
  email        ${TEXT},
  first_name   ${TEXT},
  last_name    ${TEXT},
  phone        ${TEXT},
  organisation ${TEXT},
  device_id    ${TEXT},
  account_id   ${TEXT},
  locale       ${TEXT},
  erased_at    bigint
);

CREATE TABLE request_attributes (
  request_id bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  code       ${TEXT} NOT NULL,
  position   bigint NOT NULL,
  value      ${TEXT} NOT NULL,
  PRIMARY KEY (request_id, code, position)
);

CREATE TABLE media (
  id            ${ID},
  request_id    bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  position      bigint NOT NULL,
  url           ${TEXT},
  path          ${TEXT},
  mime          ${TEXT},
  bytes         bigint,
  width         bigint,
  height        bigint,
  sha256        ${TEXT},
  gps_from_exif bigint NOT NULL DEFAULT 0 CHECK (gps_from_exif IN (0, 1)),
  hidden        bigint NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  created_at    bigint NOT NULL,
  CHECK (url IS NOT NULL OR path IS NOT NULL),
  UNIQUE (request_id, position)
);

CREATE TABLE request_events (
  id              ${ID},
  request_id      bigint NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  type            ${TEXT} NOT NULL CHECK (type IN ('created', 'accepted', 'status', 'note', 'moderation', 'merge', 'media')),
  detailed_status ${TEXT},
  note            ${TEXT},
  public          bigint NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
  actor           ${TEXT} NOT NULL,
  update_id       ${TEXT},
  created_at      bigint NOT NULL
);
CREATE INDEX request_events_by_request ON request_events (request_id, id);

CREATE TABLE audit_log (
  id        ${ID},
  at        bigint NOT NULL,
  actor     ${TEXT} NOT NULL,
  action    ${TEXT} NOT NULL,
  target    ${TEXT},
  detail    ${TEXT} NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
`;
