import type { Logger } from '../logger.ts';
import type { Leadership } from './leadership.ts';

/**
 * The server's background work (the batch step, e-mails, webhooks, alerts): each job runs every so
 * often, never twice at once unless it says it may (`overlap`: it keeps its own work apart, as the
 * webhooks do with one lane per app), its failures logged; `stop` waits for the runs in progress, so
 * the store can be closed after. With `leadership` (several servers on one PostgreSQL), a job runs only
 * while this node leads it.
 */
export function createJobs(logger: Logger, leadership?: Pick<Leadership, 'join' | 'leads'>) {
  const timers: ReturnType<typeof setInterval>[] = [];
  const running = new Set<Promise<unknown>>();
  return {
    every(name: string, ms: number, run: () => unknown | Promise<unknown>, options: { overlap?: boolean } = {}): void {
      let busy = false;
      leadership?.join(name);
      timers.push(setInterval(() => {
        if (busy || (leadership && !leadership.leads(name))) return;
        busy = !options.overlap;
        const done = Promise.resolve()
          .then(run)
          .catch((err: unknown) => logger.error(`${name} failed`, { error: err instanceof Error ? err.stack : String(err) }))
          .finally(() => {
            busy = false;
            running.delete(done);
          });
        running.add(done);
      }, ms));
    },
    async stop(): Promise<void> {
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    },
  };
}
