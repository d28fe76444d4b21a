import { isPostgresUrl } from './db/engine.ts';
import { ALLOW_SETTING, allowedHost, literalRefusal } from './http/outbound.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';
import { DEFAULT_MAX_PIXELS } from './media/process-photo.ts';

export interface Config {
  port: number;
  host: string;
  /** SQLite file; `:memory:` for a throw-away store. */
  dbFile: string;
  /** A `postgres://` URL: the store is that PostgreSQL database instead of the SQLite file (empty: SQLite). */
  databaseUrl: string;
  dbSynchronous: 'normal' | 'full';
  /** The address residents and clients reach this server at, ending in `/`. */
  publicUrl: string;
  logLevel: LogLevel;
  /** Take the client address from `X-Forwarded-For` (only behind a reverse proxy you run). */
  trustProxy: boolean;
  corsOrigins: string[];
  rateLimitIpPerMinute: number;
  rateLimitKeyPerMinute: number;
  maxBodyBytes: number;
  batchIntervalSeconds: number;
  contact: string;
  keyService: string;
  endpointType: 'production' | 'test';
  shutdownTimeoutMs: number;
  /**
   * Seconds a stopping server keeps serving while `/health` says `draining`, for a load balancer to take
   * it out before it stops listening. 8 on PostgreSQL, 0 on SQLite (see OPTIONS).
   */
  drainSeconds: number;
  /** Base URL of a Base Adresse Nationale-compatible geocoder; empty: no server-side geocoding. */
  geocoderUrl: string;
  geocoderTimeoutMs: number;
  /**
   * Hosts (names or IP addresses, compared exactly) the server may call although they are private: a
   * city's CRM or geocoder on its own network. Every other private, loopback or link-local target is refused.
   */
  outboundAllow: string[];
  /** Where uploaded photos are stored (created if missing), unless they go to an S3-compatible bucket. */
  mediaDir: string;
  /** An S3-compatible server's http(s) URL: photos go to its bucket instead of `mediaDir` (empty: the folder). */
  mediaS3Endpoint: string;
  mediaS3Bucket: string;
  mediaS3Region: string;
  mediaS3AccessKeyId: string;
  /** Never printed, not even in a configuration error. */
  mediaS3SecretAccessKey: string;
  maxPhotos: number;
  maxPhotoBytes: number;
  /** Longest side, in pixels, photos are scaled down to. */
  photoMaxSide: number;
  /** Hosts whose photo URLs sent as `media_url` are shown to the public (this server's always are). */
  mediaUrlHosts: string[];
  /** Photos with more pixels are refused before they are decoded. */
  photoMaxPixels: number;
  /** Photos re-encoded at once. */
  photoWorkers: number;
  /** Requests whose photos may wait for a worker; beyond, new ones are refused with a 503. */
  photoQueue: number;
  /** Photos one client address (IPv6: its /64) may send in a day. */
  photosPerAddressPerDay: number;
  /** Bytes of stored photos beyond which new photos are refused (0: no cap). */
  mediaMaxBytes: number;
  /** Megabytes of formatted public answers each server keeps in memory (0: none). */
  answerCacheMb: number;
  /** Seconds within which the same reporter filing the same request again gets the first one back (0: off). */
  duplicateWindowSeconds: number;
  /** Where e-mails to followers and staff go out (`smtp://host:port`, `smtps://user:password@host`); empty: none are sent. */
  smtpUrl: string;
  mailFrom: string;
  /** The time zone dates are written in, in e-mails (an IANA name). */
  timeZone: string;
  /** The technical administrator, who hears about every bus alert (empty: each app's owner only). */
  adminEmail: string;
  /** A bus app silent for this many minutes raises an alert. */
  busSilenceMinutes: number;
  /** On PostgreSQL, how often a waiting bus long poll looks again when no notification woke it (expired leases). */
  busFallbackPollMs: number;
  /** Personal data is erased this many months after a request is closed. */
  retentionMonths: number;
  /** On PostgreSQL, how often a server tries to lead the background jobs no server leads (milliseconds). */
  jobLeaderRetryMs: number;
  /** The tiles of the back office's maps (a Leaflet URL template) and their credit; OpenStreetMap's by default. */
  tileUrl: string;
  tileAttribution: string;
  /** A demo server: the well-known demo key works (never on a real deployment). `serve --seed-demo` sets it. */
  demo: boolean;
  /** The bearer token `/metrics` asks for; empty: `/metrics` is off. */
  metricsToken: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Parser<T> = (raw: string) => T | undefined;

const integer = (min: number, max: number): Parser<number> => (raw) => {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
};
const oneOf = <T extends string>(values: readonly T[]): Parser<T> => (raw) => values.find((v) => v === raw.toLowerCase());
const BOOLEANS = new Map([['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false]]);
const boolean: Parser<boolean> = (raw) => BOOLEANS.get(raw.toLowerCase());
const text: Parser<string> = (raw) => raw;
const url: Parser<string> = (raw) => {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href.endsWith('/') ? u.href : `${u.href}/`;
  } catch {
    return undefined;
  }
};
const smtp: Parser<string> = (raw) => {
  try {
    return ['smtp:', 'smtps:'].includes(new URL(raw).protocol) ? raw : undefined;
  } catch {
    return undefined;
  }
};
const timeZone: Parser<string> = (raw) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return raw;
  } catch {
    return undefined;
  }
};
const tileTemplate: Parser<string> = (raw) => {
  if (!['{z}', '{x}', '{y}'].every((p) => raw.includes(p))) return undefined;
  return url(raw.replace(/\{s\}/g, 'a').replace(/\{[a-z]+\}/g, '0')) ? raw : undefined;
};
const s3Key: Parser<string> = (raw) => (/^[\x21-\x7e]{1,256}$/.test(raw) ? raw : undefined);
const list: Parser<string[]> = (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean);
const hosts: Parser<string[]> = (raw) => {
  const entries = list(raw)!.map(allowedHost);
  return entries.every((h) => h !== undefined) ? (entries as string[]) : undefined;
};

interface Option<K extends keyof Config> {
  key: K;
  env: string;
  flag: string;
  /** What a valid value looks like, for the error message. */
  expects: string;
  parse: Parser<Config[K]>;
  fallback: (partial: Partial<Config>) => Config[K];
  /** A secret: a configuration error names the setting but never shows the value. */
  secret?: true;
}

const option = <K extends keyof Config>(o: Option<K>) => o;

/** Every setting: its environment variable, its command-line flag, how it is read, its default. */
export const OPTIONS = [
  option({ key: 'port', env: 'GEOREPORT_PORT', flag: 'port', expects: 'an integer from 0 to 65535', parse: integer(0, 65535), fallback: () => 3311 }),
  option({ key: 'host', env: 'GEOREPORT_HOST', flag: 'host', expects: 'an interface address', parse: text, fallback: () => '127.0.0.1' }),
  option({ key: 'dbFile', env: 'GEOREPORT_DB', flag: 'db', expects: 'a file path', parse: text, fallback: () => 'data/georeport.db' }),
  option({ key: 'databaseUrl', env: 'GEOREPORT_DATABASE_URL', flag: 'database-url', expects: 'a postgres:// or postgresql:// URL', parse: (raw) => (isPostgresUrl(raw) ? raw : undefined), fallback: () => '' }),
  option({ key: 'dbSynchronous', env: 'GEOREPORT_DB_SYNCHRONOUS', flag: 'db-synchronous', expects: 'normal or full', parse: oneOf(['normal', 'full'] as const), fallback: () => 'normal' }),
  option({ key: 'publicUrl', env: 'GEOREPORT_PUBLIC_URL', flag: 'public-url', expects: 'an http(s) URL', parse: url, fallback: (p) => `http://localhost:${p.port ?? 3311}/` }),
  option({ key: 'logLevel', env: 'GEOREPORT_LOG_LEVEL', flag: 'log-level', expects: LOG_LEVELS.join(', '), parse: oneOf(LOG_LEVELS), fallback: () => 'info' }),
  option({ key: 'trustProxy', env: 'GEOREPORT_TRUST_PROXY', flag: 'trust-proxy', expects: 'true or false', parse: boolean, fallback: () => false }),
  option({ key: 'corsOrigins', env: 'GEOREPORT_CORS_ORIGINS', flag: 'cors-origins', expects: '* or a comma-separated list of origins', parse: list, fallback: () => ['*'] }),
  option({ key: 'rateLimitIpPerMinute', env: 'GEOREPORT_RATE_LIMIT_IP', flag: 'rate-limit-ip', expects: 'a positive integer (POSTs per minute per address)', parse: integer(1, 1e9), fallback: () => 30 }),
  option({ key: 'rateLimitKeyPerMinute', env: 'GEOREPORT_RATE_LIMIT_KEY', flag: 'rate-limit-key', expects: 'a positive integer (POSTs per minute per API key)', parse: integer(1, 1e9), fallback: () => 600 }),
  option({ key: 'maxBodyBytes', env: 'GEOREPORT_MAX_BODY_BYTES', flag: 'max-body-bytes', expects: 'an integer from 1024 to 104857600', parse: integer(1024, 100 * 1024 * 1024), fallback: () => 1024 * 1024 }),
  // Clients poll a batch token for a few seconds at most (FixMyStreet: five times, two seconds apart).
  option({ key: 'batchIntervalSeconds', env: 'GEOREPORT_BATCH_INTERVAL', flag: 'batch-interval', expects: 'an integer from 1 to 86400 (seconds)', parse: integer(1, 86_400), fallback: () => 1 }),
  option({ key: 'contact', env: 'GEOREPORT_CONTACT', flag: 'contact', expects: 'text', parse: text, fallback: () => '' }),
  option({ key: 'keyService', env: 'GEOREPORT_KEY_SERVICE', flag: 'key-service', expects: 'text or a URL', parse: text, fallback: (p) => p.contact ?? '' }),
  option({ key: 'endpointType', env: 'GEOREPORT_ENDPOINT_TYPE', flag: 'endpoint-type', expects: 'production or test', parse: oneOf(['production', 'test'] as const), fallback: () => 'production' }),
  option({ key: 'geocoderUrl', env: 'GEOREPORT_GEOCODER_URL', flag: 'geocoder-url', expects: 'an http(s) URL', parse: url, fallback: () => '' }),
  option({ key: 'geocoderTimeoutMs', env: 'GEOREPORT_GEOCODER_TIMEOUT_MS', flag: 'geocoder-timeout-ms', expects: 'an integer from 100 to 60000', parse: integer(100, 60_000), fallback: () => 3000 }),
  option({ key: 'outboundAllow', ...ALLOW_SETTING, expects: 'a comma-separated list of host names or IP addresses', parse: hosts, fallback: () => [] }),
  option({ key: 'mediaDir', env: 'GEOREPORT_MEDIA_DIR', flag: 'media-dir', expects: 'a folder path', parse: text, fallback: () => 'data/media' }),
  option({ key: 'mediaS3Endpoint', env: 'GEOREPORT_MEDIA_S3_ENDPOINT', flag: 'media-s3-endpoint', expects: 'an http(s) URL', parse: url, fallback: () => '' }),
  // AWS's rule for bucket names, which the S3-compatible servers follow; it keeps the name a plain path segment.
  option({ key: 'mediaS3Bucket', env: 'GEOREPORT_MEDIA_S3_BUCKET', flag: 'media-s3-bucket', expects: 'a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)', parse: (raw) => (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(raw) ? raw : undefined), fallback: () => '' }),
  option({ key: 'mediaS3Region', env: 'GEOREPORT_MEDIA_S3_REGION', flag: 'media-s3-region', expects: 'a region name such as eu-west-3, fr-par or garage', parse: (raw) => (/^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw : undefined), fallback: () => 'us-east-1' }),
  option({ key: 'mediaS3AccessKeyId', env: 'GEOREPORT_MEDIA_S3_ACCESS_KEY_ID', flag: 'media-s3-access-key-id', expects: 'an access key id (printable, no spaces)', parse: s3Key, fallback: () => '' }),
  option({ key: 'mediaS3SecretAccessKey', env: 'GEOREPORT_MEDIA_S3_SECRET_ACCESS_KEY', flag: 'media-s3-secret-access-key', expects: 'a secret access key (printable, no spaces)', parse: s3Key, fallback: () => '', secret: true }),
  option({ key: 'maxPhotos', env: 'GEOREPORT_MAX_PHOTOS', flag: 'max-photos', expects: 'an integer from 0 to 20', parse: integer(0, 20), fallback: () => 4 }),
  option({ key: 'maxPhotoBytes', env: 'GEOREPORT_MAX_PHOTO_BYTES', flag: 'max-photo-bytes', expects: 'an integer from 10240 to 104857600', parse: integer(10_240, 100 * 1024 * 1024), fallback: () => 15 * 1024 * 1024 }),
  option({ key: 'photoMaxSide', env: 'GEOREPORT_PHOTO_MAX_SIDE', flag: 'photo-max-side', expects: 'an integer from 256 to 8192', parse: integer(256, 8192), fallback: () => 2048 }),
  option({ key: 'mediaUrlHosts', env: 'GEOREPORT_MEDIA_URL_HOSTS', flag: 'media-url-hosts', expects: 'a comma-separated list of host names (host or host:port)', parse: (raw) => {
    const hosts = list(raw)!.map((h) => h.toLowerCase());
    return hosts.every((h) => /^[a-z0-9.-]+(:\d{1,5})?$/.test(h)) ? hosts : undefined;
  }, fallback: () => [] }),
  option({ key: 'photoMaxPixels', env: 'GEOREPORT_PHOTO_MAX_PIXELS', flag: 'photo-max-pixels', expects: 'an integer from 1000000 to 100000000', parse: integer(1_000_000, 100_000_000), fallback: () => DEFAULT_MAX_PIXELS }),
  option({ key: 'photoWorkers', env: 'GEOREPORT_PHOTO_WORKERS', flag: 'photo-workers', expects: 'an integer from 1 to 16', parse: integer(1, 16), fallback: () => 2 }),
  option({ key: 'photoQueue', env: 'GEOREPORT_PHOTO_QUEUE', flag: 'photo-queue', expects: 'an integer from 0 to 100', parse: integer(0, 100), fallback: () => 2 }),
  option({ key: 'photosPerAddressPerDay', env: 'GEOREPORT_PHOTOS_PER_ADDRESS', flag: 'photos-per-address', expects: 'a positive integer (photos per address per day)', parse: integer(1, 1e9), fallback: () => 50 }),
  option({ key: 'mediaMaxBytes', env: 'GEOREPORT_MEDIA_MAX_BYTES', flag: 'media-max-bytes', expects: 'an integer (bytes; 0: no cap)', parse: integer(0, Number.MAX_SAFE_INTEGER), fallback: () => 10 * 1024 ** 3 }),
  option({ key: 'answerCacheMb', env: 'GEOREPORT_ANSWER_CACHE_MB', flag: 'answer-cache-mb', expects: 'an integer from 0 to 4096 (megabytes; 0: none)', parse: integer(0, 4096), fallback: () => 32 }),
  option({ key: 'duplicateWindowSeconds', env: 'GEOREPORT_DUPLICATE_WINDOW', flag: 'duplicate-window', expects: 'an integer from 0 to 86400 (seconds)', parse: integer(0, 86_400), fallback: () => 600 }),
  option({ key: 'smtpUrl', env: 'GEOREPORT_SMTP_URL', flag: 'smtp-url', expects: 'an smtp:// or smtps:// URL', parse: smtp, fallback: () => '', secret: true }),
  option({ key: 'mailFrom', env: 'GEOREPORT_MAIL_FROM', flag: 'mail-from', expects: 'an e-mail address, optionally with a name', parse: text, fallback: (p) => `georeport@${new URL(p.publicUrl ?? 'http://localhost/').hostname}` }),
  option({ key: 'timeZone', env: 'GEOREPORT_TIMEZONE', flag: 'timezone', expects: 'an IANA time zone such as Europe/Paris', parse: timeZone, fallback: () => 'Europe/Paris' }),
  option({ key: 'adminEmail', env: 'GEOREPORT_ADMIN_EMAIL', flag: 'admin-email', expects: 'an e-mail address', parse: (raw) => (/^[^\s@]+@[^\s@]+$/.test(raw) ? raw : undefined), fallback: () => '' }),
  option({ key: 'busSilenceMinutes', env: 'GEOREPORT_BUS_SILENCE_MINUTES', flag: 'bus-silence-minutes', expects: 'an integer from 1 to 10080 (minutes)', parse: integer(1, 10_080), fallback: () => 15 }),
  option({ key: 'busFallbackPollMs', env: 'GEOREPORT_BUS_FALLBACK_POLL_MS', flag: 'bus-fallback-poll-ms', expects: 'an integer from 200 to 60000 (milliseconds)', parse: integer(200, 60_000), fallback: () => 5000 }),
  option({ key: 'retentionMonths', env: 'GEOREPORT_RETENTION_MONTHS', flag: 'retention-months', expects: 'an integer from 1 to 240 (months)', parse: integer(1, 240), fallback: () => 12 }),
  // A leader that dies is replaced within this time (its session ends with it, and its locks).
  option({ key: 'jobLeaderRetryMs', env: 'GEOREPORT_JOB_LEADER_RETRY_MS', flag: 'job-leader-retry-ms', expects: 'an integer from 100 to 60000 (milliseconds)', parse: integer(100, 60_000), fallback: () => 3000 }),
  option({ key: 'tileUrl', env: 'GEOREPORT_TILE_URL', flag: 'tile-url', expects: 'an http(s) tile URL template with {z}, {x} and {y}', parse: tileTemplate, fallback: () => 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }),
  option({ key: 'tileAttribution', env: 'GEOREPORT_TILE_ATTRIBUTION', flag: 'tile-attribution', expects: 'text', parse: text, fallback: () => '' }),
  option({ key: 'demo', env: 'GEOREPORT_DEMO', flag: 'demo', expects: 'true or false', parse: boolean, fallback: () => false }),
  option({ key: 'metricsToken', env: 'GEOREPORT_METRICS_TOKEN', flag: 'metrics-token', expects: 'at least 16 characters (a random token)', parse: (raw) => (raw.length >= 16 && !/\s/.test(raw) ? raw : undefined), fallback: () => '', secret: true }),
  option({ key: 'shutdownTimeoutMs', env: 'GEOREPORT_SHUTDOWN_TIMEOUT_MS', flag: 'shutdown-timeout-ms', expects: 'an integer from 0 to 600000', parse: integer(0, 600_000), fallback: () => 10_000 }),
  // A load balancer checking every 2 s takes a node out after three failed checks (HAProxy's `fall 3`):
  // within 6 s of the signal, 8 with a margin. A SQLite store has one process and nobody balancing it,
  // so waiting would only delay its stop.
  option({ key: 'drainSeconds', env: 'GEOREPORT_DRAIN_SECONDS', flag: 'drain-seconds', expects: 'an integer from 0 to 300 (seconds)', parse: integer(0, 300), fallback: (p) => (p.databaseUrl ? 8 : 0) }),
] as const;

/**
 * Reads the configuration from command-line flags (`--port 8080`, `--port=8080`), then environment
 * variables, then defaults. Every problem is collected and thrown as one ConfigError.
 */
export function loadConfig(env: Record<string, string | undefined>, flags: Record<string, string>): Config {
  const problems: string[] = [];
  const known = new Set(OPTIONS.map((o) => o.flag));
  for (const flag of Object.keys(flags)) if (!known.has(flag)) problems.push(`unknown option --${flag}`);
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const o of OPTIONS) {
    const raw = flags[o.flag] ?? env[o.env];
    if (raw === undefined || raw === '') {
      config[o.key] = o.fallback(config as Partial<Config>);
      continue;
    }
    const value = (o.parse as Parser<unknown>)(raw);
    const got = 'secret' in o ? 'got another value (not shown: it is a secret)' : `got ${JSON.stringify(raw)}`;
    if (value === undefined) problems.push(`${o.env} (--${o.flag}) must be ${o.expects}; ${got}`);
    config[o.key] = value;
  }
  // A geocoder at a private address is refused at every call: say so now, when the address is written out.
  const geocoder = OPTIONS.find((o) => o.key === 'geocoderUrl')!;
  if (config.geocoderUrl && config.outboundAllow) {
    const refused = literalRefusal(new URL(config.geocoderUrl as string), new Set(config.outboundAllow as string[]));
    if (refused) problems.push(`${geocoder.env} (--${geocoder.flag}): ${refused.message}`);
  }
  problems.push(...s3Problems(config as Partial<Config>));
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** The S3 settings go together: an endpoint needs a bucket and both keys, and those mean nothing without it. */
function s3Problems(config: Partial<Config>): string[] {
  const endpoint = OPTIONS.find((o) => o.key === 'mediaS3Endpoint')!;
  const needed = OPTIONS.filter((o) => ['mediaS3Bucket', 'mediaS3AccessKeyId', 'mediaS3SecretAccessKey'].includes(o.key));
  if (config.mediaS3Endpoint === undefined) return []; // refused above already
  if (config.mediaS3Endpoint) {
    return needed.filter((o) => config[o.key] === '').map((o) => `${o.env} (--${o.flag}) is needed with ${endpoint.env}`);
  }
  return needed.filter((o) => config[o.key]).map((o) => `${o.env} (--${o.flag}) is set but ${endpoint.env} is not: photos would stay in the media folder`);
}
