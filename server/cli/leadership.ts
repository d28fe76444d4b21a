import { jobLockKey, openJobLocks } from '../db/job-locks.ts';
import type { Logger } from '../logger.ts';

export type Leadership = ReturnType<typeof startLeadership>;

/**
 * Which background jobs this node runs when several servers share one PostgreSQL: each job has one
 * leader, the node holding its advisory lock (server/db/job-locks.ts). Every `retryMs` the node tries
 * for the locks it lacks, so when a leader dies (its session ends and PostgreSQL releases its locks)
 * another node takes its jobs over within `retryMs`. When the locks' connection breaks the node stops
 * leading at once (runs in progress end as they are: the e-mail claims and the bus leases keep two runs
 * of a job on two nodes from sending anything twice) and tries again at the next turn. Each change is
 * logged as `job leader`, with the job's name.
 */
export function startLeadership(databaseUrl: string, retryMs: number, logger: Logger) {
  const wanted = new Map<number, string>();
  const led = new Set<string>();
  let failing = false;

  const lose = (reason: string) => {
    for (const job of led) logger.info('job leader', { job, leading: false, reason });
    led.clear();
  };
  const locks = openJobLocks(databaseUrl, () => lose('connection to the database lost'));

  async function tryForLocks(): Promise<void> {
    const missing = [...wanted.keys()].filter((key) => !led.has(wanted.get(key)!));
    if (missing.length === 0) return;
    try {
      for (const key of await locks.take(missing)) {
        const job = wanted.get(key)!;
        led.add(job);
        logger.info('job leader', { job, leading: true });
      }
      failing = false;
    } catch (error) {
      lose('connection to the database lost');
      // Once per outage: the node tries again at every turn.
      if (!failing) logger.warn('job leadership unavailable', { error: error instanceof Error ? error.message : String(error) });
      failing = true;
    }
  }

  let turn: Promise<void> | undefined;
  const next = () => {
    turn ??= tryForLocks().finally(() => (turn = undefined));
  };
  const first = setTimeout(next, 0);
  const timer = setInterval(next, retryMs);

  return {
    /** Competes for the job's lock from now on (its name must be unique among the jobs). */
    join(job: string): void {
      const key = jobLockKey(job);
      if (wanted.has(key)) throw new Error(`two jobs share the lock of "${job}"`);
      wanted.set(key, job);
    },
    /** Whether this node runs the job now. */
    leads: (job: string): boolean => led.has(job),
    /** Stops competing, then releases every lock (call once the job runs in progress have ended). */
    async stop(): Promise<void> {
      clearTimeout(first);
      clearInterval(timer);
      await turn;
      lose('stopping');
      await locks.close().catch(() => undefined);
    },
  };
}
