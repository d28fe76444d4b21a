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
const dir = mkdtempSync(join(tmpdir(), 'georeport-wtr-'));
let server;
/** An API key allowed one report a minute, for the rate-limit path (window.GEOREPORT_LIMITED_KEY). */
let limitedKey = '';
/** An integration's key that may post status updates, as FixMyStreet or a CRM (window.GEOREPORT_UPDATES_KEY). */
let updatesKey = '';

/** Runs a `georeport` CLI command on the test store; resolves with its stdout. */
const cli = async (...args) =>
  (await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args, '--db', join(dir, 'test.db')])).stdout;

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
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve', '--seed-demo', '--port', String(port),
      '--db', join(dir, 'test.db'), '--media-dir', join(dir, 'media'), '--log-level', 'warn'], {
      env: { ...process.env, GEOREPORT_RATE_LIMIT_IP: '100000', GEOREPORT_RATE_LIMIT_KEY: '100000' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('the georeport server did not start');
  },
  serverStop() {
    server?.kill('SIGTERM');
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
      const attributes = {};
      for (const a of db.prepare('SELECT code, value FROM request_attributes WHERE request_id = ? ORDER BY code, position').all(id)) {
        (attributes[a.code] ??= []).push(a.value);
      }
      return { reporter, attributes };
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
    <script>window.GEOREPORT_SERVER = 'http://127.0.0.1:${port}/'; window.GEOREPORT_LIMITED_KEY = '${limitedKey}'; window.GEOREPORT_UPDATES_KEY = '${updatesKey}'; window.BAN_URL = '${ban?.url ?? ''}';</script>
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
