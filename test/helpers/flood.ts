/**
 * An attacker's large bodies, streamed to a real server over loopback without holding them in memory,
 * and the server's resident memory, read from `/proc/<pid>/status` while they flow.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

export interface FloodAnswer {
  /** The status the server answered, or undefined when it closed without answering. */
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Body bytes the client managed to hand to the socket before the server answered or closed. */
  sent: number;
}

export interface Flood {
  method?: string;
  headers?: Record<string, string>;
  /** Sent first (a multipart head, say). */
  head?: Buffer;
  /** Filler bytes after `head`, streamed 1 MiB at a time. */
  size: number;
  /** Sent last (a multipart tail). */
  tail?: Buffer;
  /** Declare the total as Content-Length (else the body goes chunked). */
  declared?: boolean;
}

const FILLER = Buffer.alloc(1024 * 1024, 0x61);

/**
 * Streams `head`, `size` filler bytes and `tail` to `url`, and resolves with the server's answer as
 * soon as it comes: the client stops sending then, as a real client would once refused. A server that
 * resets the connection after answering is fine; one that closes without answering gives no status.
 */
export function flood(url: string, f: Flood): Promise<FloodAnswer> {
  const head = f.head ?? Buffer.alloc(0);
  const tail = f.tail ?? Buffer.alloc(0);
  const total = head.length + f.size + tail.length;
  return new Promise((resolve) => {
    const answer: FloodAnswer = { status: undefined, headers: {}, text: '', sent: 0 };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      req.destroy();
      resolve(answer);
    };
    const req = request(url, {
      method: f.method ?? 'POST',
      headers: { ...f.headers, ...(f.declared ? { 'content-length': String(total) } : {}) },
    });
    req.on('response', (res) => {
      answer.status = res.statusCode;
      answer.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer.text += chunk));
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', () => setTimeout(finish, 100)); // an answer may still be in flight behind the reset
    req.on('close', () => setTimeout(finish, 100));
    void (async () => {
      const write = (chunk: Buffer) =>
        new Promise<void>((next) => {
          if (done || req.destroyed) return next();
          answer.sent += chunk.length;
          if (req.write(chunk)) return next();
          const go = () => {
            req.off('drain', go);
            req.off('close', go);
            next();
          };
          req.on('drain', go);
          req.on('close', go);
        });
      await write(head);
      for (let left = f.size; left > 0 && !done && !req.destroyed; left -= FILLER.length) {
        await write(left >= FILLER.length ? FILLER : FILLER.subarray(0, left));
      }
      await write(tail);
      if (!done && !req.destroyed) req.end();
    })();
  });
}

/** The resident memory of a process, in bytes. */
export function rss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

/**
 * Samples a process's resident memory every 20 ms while `work` runs, and returns the work's result
 * with the highest sample above the level before it started.
 */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = rss(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid));
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, rss(pid));
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

export const MB = 1024 * 1024;
