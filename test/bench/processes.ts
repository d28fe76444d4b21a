/** Starts the servers under test as child processes on 127.0.0.1 and stops them by PID. */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url);
export { freePort } from '../helpers/free-port.ts';

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Runs `node --import tsx ARGS` from the project root and waits until `readyPath` answers 200. */
export async function startServer(name: string, port: number, args: string[], readyPath: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url + readyPath)).ok) return { name, url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within 30 s`);
}

/**
 * The georeport server on a store of the demo city (its key works: demo mode), rate limits out of the way
 * of the load: on the SQLite `file`, or on PostgreSQL when `databaseUrl` is given (GEOREPORT_DATABASE_URL).
 */
export function startGeoreport(file: string, port: number, databaseUrl?: string): Promise<Server> {
  return startServer(
    'georeport', port,
    ['server/main.ts', 'serve', '--demo', '--db', file, '--port', String(port), '--log-level', 'warn'], '/health',
    // No load balancer to drain from: stopServer's SIGTERM ends a node at once on PostgreSQL too.
    { GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000', GEOREPORT_DRAIN_SECONDS: '0', ...(databaseUrl ? { GEOREPORT_DATABASE_URL: databaseUrl } : {}) },
  );
}

/** SIGTERM by PID, then SIGKILL if it has not exited within 5 s. */
export function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(child.pid!, 'SIGTERM');
  });
}
