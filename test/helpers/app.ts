import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.ts';
import { importCatalogue, parseCatalogue } from '../../server/catalogue/catalogue.import.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Db } from '../../server/db/database.ts';
import type { Engine, Queryable } from '../../server/db/engine.ts';
import { openTestStore } from './test-engine.ts';
import { createApiClientsStore, type Scope } from '../../server/keys/api-clients.store.ts';
import { createLogger } from '../../server/logger.ts';
import type { Geocoder } from '../../server/geocode/index.ts';
import { seedDemo } from '../../server/cli/seed.ts';
import { DEMO_API_KEY } from '../../server/keys/demo-key.ts';
import { coreStatus, type DetailedStatus } from '../../server/requests/requests.types.ts';

export const BASE = 'http://localhost/open311/v2/';
export const DEMO = 'ville.example';
const demoRequests = (JSON.parse(readFileSync(new URL('../../demo/city/requests.json', import.meta.url), 'utf8')) as { requests: { updates?: { status?: DetailedStatus }[] }[] }).requests;
/** How many published requests the demo city is seeded with. */
export const DEMO_REQUESTS = demoRequests.length;
/** How many of them are still open (their last status, if the city gave one, is an open one). */
export const DEMO_OPEN_REQUESTS = demoRequests.filter((r) => coreStatus(r.updates?.findLast((u) => u.status)?.status ?? 'received') === 'open').length;

export interface TestApp {
  app: ReturnType<typeof createApp>;
  /** The store, on the engine under test (GEOREPORT_TEST_ENGINE): every test reads and writes through it. */
  engine: Engine;
  /** On SQLite, the same store's better-sqlite3 handle, for the tests of SQLite-only facts; throws on PostgreSQL. */
  db: Db;
  /** The demo city's API key (scope `report`: what a public widget holds). */
  key: string;
  /** An integration's key, for every jurisdiction, that may also post status updates (scope `updates`). */
  updatesKey: string;
  /** The app's clock in milliseconds; move it to travel in time. */
  clock: { ms: number };
  /** GET a path below the GeoReport base (`services.json`, `requests.xml?status=open`). */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** POST form fields (urlencoded; a string is sent as is) to a path below the GeoReport base. */
  post(path: string, body: Record<string, string | string[]> | string, headers?: Record<string, string>): Promise<Response>;
}

/** Form-encodes fields; array values repeat the name (`a=1&a=2`). */
export function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) params.append(k, item);
  return params.toString();
}

/** The configuration every test starts from: defaults, an in-memory store, no logs, a demo server (its key works). */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const mediaDir = join(tmpdir(), `georeport-test-media-${process.pid}`);
  // img.example stands for a photo host the city vouches for (GEOREPORT_MEDIA_URL_HOSTS): its media_url are public.
  return { ...loadConfig({}, {}), dbFile: ':memory:', logLevel: 'silent', publicUrl: 'http://localhost/', mediaDir, demo: true, mediaUrlHosts: ['img.example'], ...overrides };
}

/**
 * The real app on a fresh in-memory store holding the demo city (and `extraJurisdictions`, each with the
 * demo catalogue under another id), called through `app.request()`.
 */
export async function createTestApp(options: { config?: Partial<Config>; extraJurisdictions?: string[]; startMs?: number; geocoder?: Geocoder } = {}): Promise<TestApp> {
  const { engine, db } = await openTestStore();
  const clock = { ms: options.startMs ?? Date.UTC(2026, 5, 1, 12) };
  await seedDemo(engine, clock.ms);
  for (const id of options.extraJurisdictions ?? []) {
    const doc = parseCatalogue({ ...demoCatalogue(), jurisdiction: { id, name: `Test ${id}`, default_locale: 'fr' } });
    await importCatalogue(engine, doc, Math.floor(clock.ms / 1000));
  }
  const config = testConfig(options.config);
  const app = createApp({ config, engine, logger: createLogger('silent'), now: () => clock.ms, geocoder: options.geocoder });
  return {
    app,
    db,
    engine,
    key: DEMO_API_KEY,
    updatesKey: await createKey(engine, null, null, ['report', 'updates']),
    clock,
    get: async (path, headers = {}) => app.request(BASE + path, { headers }),
    post: async (path, body, headers = {}) =>
      app.request(BASE + path, {
        method: 'POST',
        body: typeof body === 'string' ? body : form(body),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
  };
}

function demoCatalogue(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../demo/city/catalogue.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Creates another API client (by default one that may report, in any jurisdiction) and returns its key. */
export async function createKey(engine: Queryable, jurisdictionId: string | null = null, rateLimitPerMinute: number | null = null, scopes: Scope[] = ['report']): Promise<string> {
  return (await createApiClientsStore(engine).create({ name: 'test client', jurisdictionId, rateLimitPerMinute, scopes, now: 0, actor: 'test' })).key;
}

/** Adds services (catalogue JSON, as `demo/city/catalogue.json` writes them) to the demo city. */
export async function addServices(t: TestApp, services: unknown[]): Promise<void> {
  const doc = parseCatalogue({ ...demoCatalogue(), groups: [], services });
  await importCatalogue(t.engine, doc, Math.floor(t.clock.ms / 1000));
}
