/** Debian's Chromium for end-to-end tests and benchmarks, driven by playwright-core. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
/** Headless in a container as root, with nothing reaching out to the network on its own. */
export const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Launches Chromium as a server and connects to it; `close` ends the browser, and its process by PID if
 * it does not end within 5 s.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const server = await chromium.launchServer({ executablePath: CHROME, headless: true, args: CHROME_ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    async close() {
      const pid = server.process().pid;
      await browser.close().catch(() => undefined);
      await Promise.race([server.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      try {
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      } catch {
        // closed already
      }
    },
  };
}

/**
 * The errors a page shows as it runs (uncaught exceptions and console errors), collected for a test to
 * assert there are none; `expected` leaves out console errors a test knows of (a 401 before logging in).
 */
export function pageErrors(page: Page, expected?: RegExp): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && !expected?.test(m.text()) && errors.push(m.text())));
  return errors;
}
