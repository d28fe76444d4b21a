import type { Engine } from '../db/engine.ts';
import { judgeSchema, readSchema } from '../db/schema-check.ts';
import { createStoreMetrics } from '../requests/metrics.store.ts';

/** Why a node should take no traffic now: the short reason `GET /health` gives (nothing internal). */
export type NotReady = 'draining' | 'store unreachable' | 'schema too old' | 'schema too new';

/**
 * A store that has not answered within this time is taken for unreachable: a load balancer's check gives
 * up about then (HAProxy's `timeout check` is often 2 s), and a connection to a dead host would otherwise
 * wait for the driver's 30 s connect timeout.
 */
const CHECK_TIMEOUT_MS = 2000;

export interface Readiness {
  /** Why this node should take no traffic now; undefined when it is ready. */
  check(): Promise<NotReady | undefined>;
  /** From now on the node says it is draining, so that the load balancer takes it out before it stops. */
  drain(): void;
}

/**
 * Whether this node is ready for traffic, for `GET /health`: not draining, the store answering and, on
 * PostgreSQL, its schema one this georeport may run on (another deploy may migrate it while the node
 * runs; see db/schema-check.ts). SQLite's schema is this process's own, migrated at its start.
 *
 * One look at the store at a time: checks asked while one runs share its answer, so a flood of
 * `/health` (it needs no credentials) never holds more than one connection of the pool.
 */
export function createReadiness(engine: Engine): Readiness {
  const store = createStoreMetrics(engine);
  let draining = false;
  let looking: Promise<NotReady | undefined> | undefined;

  const look = async (): Promise<NotReady | undefined> => {
    if (engine.kind === 'sqlite') {
      await store.answers();
      return undefined;
    }
    return judgeSchema(await readSchema(engine))?.reason;
  };

  return {
    async check() {
      if (draining) return 'draining';
      looking ??= look().finally(() => (looking = undefined));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<NotReady>((resolve) => (timer = setTimeout(resolve, CHECK_TIMEOUT_MS, 'store unreachable')));
      try {
        return await Promise.race([looking, late]);
      } catch {
        return 'store unreachable';
      } finally {
        clearTimeout(timer);
      }
    },
    drain() {
      draining = true;
    },
  };
}
