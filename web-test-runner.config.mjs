// Browser tests of the widget in Debian's Chromium, against a real georeport server (a temporary store
// with the demo city) started for the run. `npm test` runs it; see shared tooling notes for the flags.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { defaultReporter } from '@web/test-runner';

const port = 3900 + Math.floor(Math.random() * 90);
const dir = mkdtempSync(join(tmpdir(), 'georeport-wtr-'));
let server;

/** Starts the real server before the tests and stops it after. */
const georeportServer = {
  name: 'georeport-server',
  async serverStart() {
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

export default {
  files: 'test/widget/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), georeportServer],
  testRunnerHtml: (testFramework) => `<!doctype html><html lang="en"><body>
    <script>window.GEOREPORT_SERVER = 'http://127.0.0.1:${port}/';</script>
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
