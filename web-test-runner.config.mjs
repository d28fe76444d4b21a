// Browser tests of the widget in Debian's Chromium, against a real georeport server (a temporary store
// with the demo city) started for the run. `npm test` runs it; see shared tooling notes for the flags.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { defaultReporter } from '@web/test-runner';
import { tsImport } from 'tsx/esm/api';

const port = 3900 + Math.floor(Math.random() * 90);
/** A second server, as a city without e-mail would run it: see `plainServer`. */
const plainPort = port + 100;
const dir = mkdtempSync(join(tmpdir(), 'georeport-wtr-'));
let server;
let plain;
/** The SMTP sink the main server sends through: it sends e-mail, so the widget offers updates by e-mail. */
let smtp;
/** An API key allowed one report a minute, for the rate-limit path (window.GEOREPORT_LIMITED_KEY). */
let limitedKey = '';
/** An integration's key that may post status updates, as FixMyStreet or a CRM (window.GEOREPORT_UPDATES_KEY). */
let updatesKey = '';
/** A key that may post status updates only, pasted into a page by mistake (window.GEOREPORT_UPDATES_ONLY_KEY). */
let updatesOnlyKey = '';

/** Runs a `georeport` CLI command on a test store (the main one unless `db` is named); resolves with its stdout. */
const cliOn = async (db, args, env = {}) =>
  (await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args, '--db', join(dir, db)], { env: { ...process.env, ...env } })).stdout;
const cli = (...args) => cliOn('test.db', args);

/** Starts `georeport serve --seed-demo` on `db` at `at` with `flags` and waits until it answers; returns the process. */
async function serve(db, at, flags, env = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve', '--seed-demo', '--port', String(at),
    '--db', join(dir, db), '--media-dir', join(dir, `${db}-media`), '--log-level', 'warn', ...flags], {
    env: { ...process.env, GEOREPORT_RATE_LIMIT_IP: '100000', GEOREPORT_RATE_LIMIT_KEY: '100000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${at}/health`)).ok) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the georeport server on ${db} did not start`);
}

/**
 * The plain server (window.GEOREPORT_PLAIN_SERVER): no SMTP (so no e-mail is offered), photos of at most
 * 10 kB (so a real photo is refused as too large), and an area around the demo town with the
 * administrator's message in French and English, set through the back-office API as staff would.
 */
async function plainServer() {
  const password = 'correct horse battery staple';
  await cliOn('plain.db', ['seed']);
  await cliOn('plain.db', ['staff', 'create', '--email', 'admin@ville.example', '--name', 'Admin', '--jurisdiction', 'ville.example'], { GEOREPORT_STAFF_PASSWORD: password });
  const child = await serve('plain.db', plainPort, ['--max-photo-bytes', '10240']);
  const base = `http://127.0.0.1:${plainPort}/admin/api/`;
  const headers = { 'content-type': 'application/json', origin: `http://127.0.0.1:${plainPort}` };
  const login = await fetch(`${base}session`, { method: 'POST', headers, body: JSON.stringify({ email: 'admin@ville.example', password }) });
  const { csrf_token: csrf } = await login.json();
  const area = { type: 'Polygon', coordinates: [[[0.6, 47.35], [0.8, 47.35], [0.8, 47.45], [0.6, 47.45], [0.6, 47.35]]] };
  const put = await fetch(`${base}j/ville.example/area`, {
    method: 'PUT', headers: { ...headers, cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': csrf },
    body: JSON.stringify({ area, outside: 'refuse', outside_message: PLAIN_OUTSIDE_MESSAGE }),
  });
  if (!put.ok) throw new Error(`the plain server's area was refused: ${await put.text()}`);
  return child;
}
/** The administrator's words for a place outside the plain server's town (window.GEOREPORT_OUTSIDE_MESSAGE). */
const PLAIN_OUTSIDE_MESSAGE = {
  fr: 'Ce lieu dépend de Saint-Avertin : signalez-le sur saint-avertin.example.',
  en: 'This place belongs to Saint-Avertin: report it on saint-avertin.example.',
};

/** Starts the real server before the tests and stops it after. */
const georeportServer = {
  name: 'georeport-server',
  async serverStart() {
    // A second jurisdiction whose catalogue carries markup (the XSS tests), and a key limited to 1/min.
    await cli('catalogue', 'import', 'test/fixtures/catalogues/xss.json');
    // A town whose fly-posting reports wait for a moderator (after sending, "my reports").
    await cli('catalogue', 'import', 'test/fixtures/catalogues/held.json');
    limitedKey = /^api_key: (\S+)$/m.exec(await cli('keys', 'create', '--name', 'rate-limited widget', '--rate-limit', '1'))[1];
    updatesKey = /^api_key: (\S+)$/m.exec(await cli('keys', 'create', '--name', 'city CRM', '--scopes', 'report,updates'))[1];
    updatesOnlyKey = /^api_key: (\S+)$/m.exec(await cli('keys', 'create', '--name', 'status feed', '--scopes', 'updates'))[1];
    const { startSmtpSink } = await tsImport('./test/helpers/smtp.ts', import.meta.url);
    smtp = await startSmtpSink();
    server = await serve('test.db', port, ['--smtp-url', smtp.url]);
    plain = await plainServer();
  },
  async serverStop() {
    server?.kill('SIGTERM');
    plain?.kill('SIGTERM');
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  },
};

/**
 * `executeServerCommand('georeport-stored-request', { id })`: what the server stored for a request that
 * its public API never shows (reporter, attribute values as sent), read from the test store.
 */
const storedRequests = {
  name: 'georeport-stored-request',
  executeCommand({ command, payload }) {
    if (command !== 'georeport-stored-request') return undefined;
    const db = new Database(join(dir, 'test.db'), { readonly: true, fileMustExist: true });
    try {
      const id = Number(payload.id);
      const reporter = db.prepare('SELECT kind, email, first_name, last_name, phone, organisation FROM reporters WHERE request_id = ?').get(id) ?? null;
      const { channel } = db.prepare('SELECT channel FROM requests WHERE id = ?').get(id);
      const attributes = {};
      for (const a of db.prepare('SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position').all(id)) {
        (attributes[a.code] ??= []).push(a.value);
      }
      return { channel, reporter, attributes };
    } finally {
      db.close();
    }
  },
};

/** The Base Adresse Nationale stand-in the address suggestions ask, for the run (window.BAN_URL). */
let ban;
const banStandIn = {
  name: 'ban-stand-in',
  async serverStart() {
    const { startBanStandIn } = await tsImport('./test/helpers/ban-stand-in.ts', import.meta.url);
    ban = await startBanStandIn();
  },
  async serverStop() {
    await ban?.close();
  },
};

export default {
  files: ['test/widget/**/*.test.ts', 'test/security/**/*.browser.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), georeportServer, banStandIn, storedRequests],
  testRunnerHtml: (testFramework) => `<!doctype html><html lang="en"><body>
    <script>window.GEOREPORT_SERVER = 'http://127.0.0.1:${port}/'; window.GEOREPORT_LIMITED_KEY = '${limitedKey}'; window.GEOREPORT_UPDATES_KEY = '${updatesKey}'; window.GEOREPORT_UPDATES_ONLY_KEY = '${updatesOnlyKey}'; window.BAN_URL = '${ban?.url ?? ''}';
      window.GEOREPORT_PLAIN_SERVER = 'http://127.0.0.1:${plainPort}/'; window.GEOREPORT_OUTSIDE_MESSAGE = ${JSON.stringify(PLAIN_OUTSIDE_MESSAGE)};</script>
    <script type="module" src="${testFramework}"></script></body></html>`,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), summaryReporter()],
};
