import { UsageError } from './keys.ts';

/** The flags `georeport bus-consumer` reads. */
export const CONSUMER_FLAGS = ['url', 'secret', 'max', 'wait', 'lease', 'once', 'take-charge', 'hold-ms', 'quiet'];

interface Message {
  id: string;
  type: string;
  attempt: number;
  request: { service_request_id: string } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The reference consumer: what a city's CRM does on the bus, as a small program to read and to run.
 * It long-polls `GET messages`, "handles" each message (prints it as a JSON line), optionally takes new
 * requests in charge (`--take-charge in_progress`: posts that status with its own CRM id, once per
 * message thanks to `update_id`), then acknowledges the batch. Network failures are retried with a
 * growing pause; `--once` stops when nothing is left; SIGTERM stops after the batch in hand.
 *
 * @example georeport bus-consumer --url https://311.ville.example/bus/v1/ --secret grb_… --take-charge in_progress
 */
export async function busConsumer(flags: Record<string, string | undefined>, out: (line: string) => void): Promise<void> {
  const { url, secret } = flags;
  if (!url || !secret || url === 'true' || secret === 'true') throw new UsageError('bus-consumer needs --url BUS_URL and --secret APP_SECRET');
  const base = url.endsWith('/') ? url : `${url}/`;
  const num = (name: string, fallback: number) => (flags[name] === undefined ? fallback : Number(flags[name]));
  const [max, wait, lease, hold] = [num('max', 50), num('wait', 25), num('lease', 60), num('hold-ms', 0)];
  const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' };
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(new URL(path, base), { ...init, headers });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw Object.assign(new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`), { status: res.status });
    return body as Record<string, unknown>;
  };
  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  let drained = 0;
  let pause = 500;
  const started = performance.now();
  while (!stopping) {
    let messages: Message[];
    try {
      messages = (await call(`messages?max=${max}&wait=${flags.once ? 0 : wait}&lease=${lease}`)).messages as Message[];
      pause = 500;
    } catch (e) {
      if ((e as { status?: number }).status === 401) throw new UsageError('the bus refused the secret (401)');
      out(JSON.stringify({ error: (e as Error).message, retry_in_ms: pause }));
      await sleep(pause);
      pause = Math.min(pause * 2, 30_000);
      continue;
    }
    if (messages.length === 0) {
      if (flags.once) break;
      continue;
    }
    for (const m of messages) {
      if (!flags.quiet) out(JSON.stringify({ received: m.id, type: m.type, attempt: m.attempt, request: m.request?.service_request_id ?? null }));
      const status = flags['take-charge'];
      if (status && m.type === 'created' && m.request) {
        const id = m.request.service_request_id;
        await call(`requests/${id}/updates`, {
          method: 'POST',
          body: JSON.stringify({ update_id: `consumer-${m.id}`, detailed_status: status, external_id: `CRM-${id}`, note: 'Pris en charge', public: true }),
        });
      }
    }
    if (hold > 0) await sleep(hold); // processing time, for the tests that stop a consumer mid-lease
    await call('ack', { method: 'POST', body: JSON.stringify({ ids: messages.map((m) => m.id) }) });
    drained += messages.length;
    if (!flags.quiet) out(JSON.stringify({ acked: messages.map((m) => m.id) }));
  }
  out(JSON.stringify({ drained, seconds: +((performance.now() - started) / 1000).toFixed(3) }));
}
