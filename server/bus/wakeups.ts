import type { Engine } from '../db/engine.ts';
import type { Logger } from '../logger.ts';

/** The channel `bus_outbox()` notifies with an app's id when it writes messages for it (pg-migrations/016). */
export const BUS_CHANNEL = 'georeport_bus';

export interface BusWakeupsOptions {
  /** How often a waiting long poll looks again when nothing wakes it (SQLite). */
  pollEveryMs: number;
  /** How often it looks again where notifications wake it (PostgreSQL): for expired leases, and a notification lost. */
  fallbackPollMs: number;
  /** Long polls of one app waiting at once on this server; one more is refused. */
  maxWaitingPerApp: number;
}

/** One long poll of an app, from its first look for messages to its answer. */
export interface WaitingPoll {
  /** Call before each look for messages: a wake-up from then on ends the next `sleep` at once. */
  arm(): void;
  /** Until a wake-up since `arm`, the poll period, `ms`, or `signal`'s abort, whichever comes first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** The poll has answered: it waits no more. */
  leave(): void;
}

/**
 * Wakes an app's waiting long polls (`GET /bus/v1/messages?wait=…`) when it has new messages.
 *
 * On PostgreSQL, every server listens on `georeport_bus` (one connection each, outside the pool); a
 * message written by any server wakes the app's polls on all of them at commit, and a poll otherwise
 * looks again only every `fallbackPollMs` (a lease that ran out sends no notification; a notification
 * is lost while the listening connection is down, after which every poll looks again). A LISTEN
 * refused (logged) leaves the fallback poll alone: lower it then, or fix the connection (PgBouncer in
 * transaction mode cannot carry LISTEN: docs/postgresql.md).
 *
 * On SQLite the polls look every `pollEveryMs` (200 ms), as before: events are written by a dozen
 * statements across the stores and the outbox by a trigger, and better-sqlite3 has no commit hook, so
 * an in-process wake-up would be one more thing every writer must remember, a missed one costing a CRM
 * the poll's whole wait. The look is one indexed query on a local file.
 *
 * Bounded: polls are kept per app (apps are made by administrators, and a poll is admitted only once
 * its app's secret is checked), at most `maxWaitingPerApp` each; a notification naming an app with no
 * poll waiting here costs a map look-up.
 */
export function createBusWakeups(engine: Engine, logger: Logger, options: BusWakeupsOptions) {
  const waiting = new Map<number, Set<{ wake(): void }>>();

  const wakeAll = () => waiting.forEach((polls) => polls.forEach((p) => p.wake()));
  if (engine.listen) {
    engine
      .listen(
        BUS_CHANNEL,
        (payload) => {
          if (/^\d{1,15}$/.test(payload)) waiting.get(Number(payload))?.forEach((p) => p.wake());
        },
        // Listening (again, after a lost connection): what was sent meanwhile is unknown.
        wakeAll,
      )
      .catch((error: unknown) =>
        logger.warn('bus long polls cannot listen for new messages: they look again every fallback period only', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  return {
    /** How long a waiting poll sleeps before it looks again, unless woken. */
    periodMs: engine.listen ? options.fallbackPollMs : options.pollEveryMs,
    /** Registers a long poll of `appId`; undefined when `maxWaitingPerApp` of its polls already wait here. */
    join(appId: number): WaitingPoll | undefined {
      const polls = waiting.get(appId) ?? new Set();
      if (polls.size >= options.maxWaitingPerApp) return undefined;
      waiting.set(appId, polls);
      let woken = false;
      let end: (() => void) | undefined;
      const poll = {
        wake() {
          woken = true;
          end?.();
        },
      };
      polls.add(poll);
      return {
        arm: () => void (woken = false),
        sleep: (ms, signal) =>
          woken || signal.aborted
            ? Promise.resolve()
            : new Promise<void>((resolve) => {
                const timer = setTimeout(() => end!(), ms);
                end = () => {
                  clearTimeout(timer);
                  signal.removeEventListener('abort', end!);
                  end = undefined;
                  resolve();
                };
                signal.addEventListener('abort', end, { once: true });
              }),
        leave() {
          polls.delete(poll);
          if (polls.size === 0 && waiting.get(appId) === polls) waiting.delete(appId);
        },
      };
    },
  };
}

export type BusWakeups = ReturnType<typeof createBusWakeups>;
