import type { ChildProcess } from 'node:child_process';
import { spawnHelper, type Exit } from './server-process.ts';

/** A bus message as the reference consumer printed it on receipt. */
export interface Delivery {
  id: string;
  type: string;
  attempt: number;
  /** The request's id, or null for a message about none. */
  request: string | null;
}

/** How long a consumer holds what it pulled before the bus may deliver it again. */
export const LEASE_SECONDS = 10;

export interface CrmConsumers {
  /** Every delivery to any of the consumers, in the order they printed them. */
  messages: Delivery[];
  /** Ids of the messages delivered again after a consumer had them acknowledged (the bus promised never). */
  afterAck: string[];
  /** Times a consumer process ended on its own (an error it does not retry) and was started again. */
  restarts: number;
  /**
   * Resolves once a `created` message of each of these requests has been delivered; rejects when none has
   * come for `idleMs` (longer than a lease: a message leased and lost would have come back by then).
   */
  received(requestIds: string[], idleMs: number): Promise<void>;
  /** Stops every consumer (SIGTERM: after the batch in hand; SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * `count` reference consumers (`georeport bus-consumer --take-charge in_progress`) pulling and acknowledging
 * at `busUrl` with one app's secret, each started again when it ends, as a CRM's service manager would:
 * the reference consumer retries a failed pull but not a failed acknowledgement or update, which a node
 * killed mid-call gives it.
 */
export function startCrmConsumers(busUrl: string, secret: string, count: number): CrmConsumers {
  const messages: Delivery[] = [];
  const acked = new Set<string>();
  const afterAck: string[] = [];
  const live = new Set<{ child: ChildProcess; exited: Promise<Exit> }>();
  let stopping = false;
  const state = { restarts: 0 };

  const run = () => {
    const consumer = spawnHelper('server/main.ts', [
      'bus-consumer', '--url', busUrl, '--secret', secret, '--take-charge', 'in_progress', '--wait', '2', '--lease', String(LEASE_SECONDS), '--max', '20',
    ]);
    live.add(consumer);
    let buffer = '';
    consumer.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as { received?: string; type?: string; attempt?: number; request?: string | null; acked?: string[] };
        buffer = buffer.slice(nl + 1);
        if (line.received) {
          if (acked.has(line.received)) afterAck.push(line.received);
          messages.push({ id: line.received, type: line.type!, attempt: line.attempt!, request: line.request ?? null });
        }
        for (const id of line.acked ?? []) acked.add(id);
      }
    });
    void consumer.exited.then(() => {
      live.delete(consumer);
      if (stopping) return;
      state.restarts++;
      setTimeout(() => stopping || run(), 200);
    });
  };
  for (let i = 0; i < count; i++) run();

  return {
    messages,
    afterAck,
    get restarts() {
      return state.restarts;
    },
    async received(requestIds, idleMs) {
      const missing = () => {
        const delivered = new Set(messages.filter((m) => m.type === 'created').map((m) => m.request));
        return requestIds.filter((id) => !delivered.has(id));
      };
      let [seen, lastNews] = [messages.length, Date.now()];
      while (missing().length > 0) {
        if (messages.length > seen) [seen, lastNews] = [messages.length, Date.now()];
        if (Date.now() - lastNews > idleMs) throw new Error(`${missing().length} requests never reached the CRM`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      stopping = true;
      await Promise.all([...live].map(async ({ child, exited }) => {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
      }));
    },
  };
}
