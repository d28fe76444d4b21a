import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a receiver was sent. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** How a receiver answers a call: a status (and headers), or `hang`: never (a receiver that is down or stuck). */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/** A running receiver. */
export interface Receiver {
  /** `http://127.0.0.1:PORT/hook` (or `http://[::1]:PORT/hook`). */
  url: string;
  port: number;
  /** Every call, in the order it arrived (a hung call is recorded when its body has arrived). */
  received: Received[];
  /** Resolves once `n` calls have arrived. */
  calls(n: number): Promise<void>;
  /** Stops listening and drops open connections, hung calls included. */
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on a loopback address, as a CRM's webhook endpoint would be: records each call
 * and answers what `answer` says (200 by default).
 */
export async function startReceiver(
  options: { host?: '127.0.0.1' | '::1'; answer?: (call: Received) => Answer } = {},
): Promise<Receiver> {
  const { host = '127.0.0.1', answer = () => ({ status: 200 }) } = options;
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => (body += c))
      .on('end', () => {
        const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
        received.push(call);
        for (const w of waiters.splice(0)) w();
        const a: Answer = answer(call);
        if (a !== 'hang') res.writeHead(a.status, a.headers).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const calls = async (n: number) => {
    while (received.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`,
    port,
    received,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves once `condition()` holds, checking every 20 ms; rejects naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
