/**
 * A real HAProxy (Debian's 2.6) in front of georeport nodes on loopback, run in the foreground with a
 * configuration of its own and stopped by PID. A module apart from cluster.ts so that the bench takes it
 * without server-process.ts, whose store helpers load `node:test` (see free-port.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** The response header naming the node that answered (`<NOSRV>` when none did): for tests to attribute failures. */
export const SERVED_BY = 'x-served-by';

export interface BalancedNode {
  /** Its name in HAProxy's configuration, statistics and `X-Served-By`. */
  name: string;
  port: number;
}

/** One node as HAProxy's statistics show it. */
export interface NodeStats {
  /** `UP`, `DOWN`, or a transition such as `UP 1/2` (going down) or `DOWN 1/2` (coming up). */
  status: string;
  /** Requests sent to this node so far (one connection each). */
  sessions: number;
  /** Requests HAProxy retried on this node after a failure, and sent elsewhere instead (redispatched). */
  retries: number;
  redispatches: number;
  /** Connections to this node that failed, and answers it cut short. */
  connectionErrors: number;
  responseErrors: number;
}

export interface Haproxy {
  /** `http://127.0.0.1:PORT/`, the address clients use. */
  url: string;
  pid: number;
  /** The node statistics, by name. */
  stats(): Promise<Map<string, NodeStats>>;
  /** Resolves once HAProxy holds `name` exactly `UP` or `DOWN` (its checks every 500 ms decide); rejects after `timeoutMs`. */
  waitFor(name: string, status: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Everything HAProxy wrote (its warnings: nodes going down and up). */
  output(): string;
  /** SIGTERM by PID (SIGKILL after 5 s), then removes its folder. */
  stop(): Promise<void>;
}

/**
 * The configuration, each choice for a reason:
 * - Round robin over the nodes; `GET /health` every 500 ms, a node out after 2 failed checks and back after
 *   2 good ones (a node killed is out within about a second, a restarted one in after about a second).
 * - A connection that fails is retried on another node (`option redispatch 1`: every retry moves), for any
 *   method: the request never reached a node. Beyond that (a node that took the request and died without
 *   answering, timed out, or answered 503) only GETs are retried, `http-request disable-l7-retry` for the
 *   rest: a POST that reached a node may have been stored there, and sending it again would file it twice.
 *   The client gets a 502 and decides, which is what an acknowledgement means. (A bus pull is a GET that
 *   leases: pulled again, what the lost answer held comes back when its lease ends, at least once as promised.)
 * - `option http-server-close`: one connection to a node per request. A stopping node closes its idle
 *   keep-alive connections, and a POST HAProxy sends down one at that instant could not be retried safely;
 *   with a connection each, a stopping node refuses new connections, a failure retried safely elsewhere.
 *   On loopback the connection costs little; a deployment may keep connections once nodes drain (issue 17).
 * - Timeouts: the bus long-polls for 30 s at most, so a node may take 40 s to answer; a client 40 s to send.
 */
export function haproxyConfig(port: number, statsPort: number, nodes: BalancedNode[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 40s
  timeout server 40s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout queue 10s
  timeout check 1s

frontend georeport
  bind 127.0.0.1:${port}
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
  default-server check inter 500ms fall 2 rise 2
  option http-server-close
  option forwardfor
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 503
  http-request disable-l7-retry unless METH_GET
  # For the tests only (a deployment does not name its nodes to clients).
  http-after-response set-header X-Served-By %[srv_name]
${nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.port}`).join('\n')}

listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /
`;
}

/** Fails with what to do when HAProxy is not installed. */
function checkInstalled(): void {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('HAProxy is missing: apt-get install haproxy (scripts/test.sh installs it)');
  }
}

/**
 * Starts HAProxy in front of `nodes` (on `port`, else a free one) and resolves once it answers and sees
 * every node up, or rejects with its output.
 * @example
 * const lb = await startHaproxy([{ name: 'n1', port: 4001 }, { name: 'n2', port: 4002 }]);
 * await fetch(`${lb.url}health`);
 * await lb.stop();
 */
export async function startHaproxy(nodes: BalancedNode[], options: { port?: number; timeoutMs?: number } = {}): Promise<Haproxy> {
  checkInstalled();
  const [port, statsPort] = [options.port ?? (await freePort()), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'georeport-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(port, statsPort, nodes));
  const child = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow); // a test that crashes leaves no HAProxy behind
  const stop = async () => {
    process.removeListener('exit', killNow);
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(killNow, 5000);
      process.kill(child.pid!, 'SIGTERM');
      await exited;
      clearTimeout(force);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const statsUrl = `http://127.0.0.1:${statsPort}/;csv`;
  const stats = async () => statsOf(await (await fetch(statsUrl)).text());
  const waitFor = async (name: string, status: 'UP' | 'DOWN', timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    let seen: string | undefined;
    while ((seen = (await stats()).get(name)?.status) !== status) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`HAProxy holds ${name} ${seen ?? 'unknown'}, not ${status}, after ${timeoutMs} ms\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  try {
    await waitUntilServing(`http://127.0.0.1:${port}/health`, options.timeoutMs ?? 20_000, () => child.exitCode !== null);
    for (const n of nodes) await waitFor(n.name, 'UP', options.timeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`HAProxy did not start: ${(error as Error).message}\n${out}`);
  }
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid!, stats, waitFor, output: () => out, stop };
}

/** Polls `url` until it answers 200; fails when `gone()` or after `timeoutMs`. */
async function waitUntilServing(url: string, timeoutMs: number, gone: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) throw new Error('HAProxy exited');
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The server rows of HAProxy's CSV statistics (`# pxname,svname,…` then one line a proxy or server). */
function statsOf(csv: string): Map<string, NodeStats> {
  const [head, ...rows] = csv.trim().split('\n');
  const columns = head!.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const nodes = new Map<string, NodeStats>();
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[at('pxname')] !== 'nodes' || ['FRONTEND', 'BACKEND'].includes(cells[at('svname')]!)) continue;
    const n = (name: string) => Number(cells[at(name)] || 0);
    nodes.set(cells[at('svname')]!, {
      status: cells[at('status')]!,
      sessions: n('stot'),
      retries: n('wretr'),
      redispatches: n('wredis'),
      connectionErrors: n('econ'),
      responseErrors: n('eresp'),
    });
  }
  return nodes;
}
