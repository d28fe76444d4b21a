import { createServer } from 'node:net';

/**
 * A free loopback port: bind port 0, note what the system gave, release it. A module of its own so that
 * the bench takes it without server-process.ts, whose store helpers load `node:test` (which would print
 * an empty TAP report into the bench's output).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
