/**
 * Several real `georeport serve` processes on one PostgreSQL database behind a real HAProxy, as a city
 * runs them for availability (issue 17): for end-to-end tests that kill and restart nodes under load.
 */
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import { startPostgres } from './postgres.ts';
import { runCli, startServer, tempDir, type CliResult, type Exit, type ServerProcess } from './server-process.ts';
import { startSmtpSink, type SmtpSink } from './smtp.ts';

/** How long a process may take to start: several start at once, on 2 cores shared with other tests. */
const STARTUP_MS = 60_000;

export interface ClusterNode {
  /** `n1`, `n2`…: its name in HAProxy (and in `X-Served-By`). */
  name: string;
  /** `http://127.0.0.1:PORT/`, the node itself, bypassing HAProxy; the same port across restarts. */
  url: string;
  /** The running process's id (a new one after `restart`). */
  readonly pid: number;
  /** The running process, for its logs. */
  readonly process: ServerProcess;
  /** Sends `signal` (SIGTERM: a graceful stop; SIGKILL: a crash) and resolves with how it exited. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<Exit>;
  /** Stops it (SIGTERM) if it runs, then starts it again on the same port and store; resolves once it listens. */
  restart(): Promise<void>;
}

export interface Cluster {
  /** HAProxy's address: what clients use. */
  url: string;
  /** The PostgreSQL database every node serves, for a test to read what they stored. */
  databaseUrl: string;
  nodes: ClusterNode[];
  balancer: Haproxy;
  /** The real SMTP server every node sends e-mail to. */
  smtp: SmtpSink;
  /** Runs one `georeport` command on the cluster's store (`keys create`, `bus apps create`…). */
  cli(args: string[]): Promise<CliResult>;
  /** Stops everything started (nodes, HAProxy, SMTP, PostgreSQL) by PID; safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  /** More settings for every node (rate limits are already out of the way of a load). */
  env?: Record<string, string>;
}

/**
 * Starts a private PostgreSQL with one database migrated by `georeport migrate` and the demo city seeded
 * by `georeport seed` (once, as an operator does, not by each node), then `nodes` servers on it, each on
 * its own port with the same database, media folder (photos shared) and SMTP sink, in demo mode (the
 * demo key works), and HAProxy in front (haproxy.ts). Anything started is stopped if a later step fails.
 * @example
 * const cluster = await startCluster({ nodes: 3 });
 * t.after(() => cluster.stop());
 * await fetch(`${cluster.url}open311/v2/services.json`);
 * await cluster.nodes[0]!.kill('SIGKILL');
 */
export async function startCluster({ nodes: count, env: extra = {} }: ClusterOptions): Promise<Cluster> {
  const stops: (() => Promise<unknown> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const postgres = await startPostgres();
    stops.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase();
    const media = tempDir('georeport-cluster-');
    stops.push(media.cleanup);
    const smtp = await startSmtpSink();
    stops.push(() => smtp.stop());
    const free = new Set<number>(); // HAProxy's port, then each node's: fixed, so a node restarts where HAProxy looks
    while (free.size < count + 1) free.add(await freePort());
    const [port, ...ports] = free;
    const env = {
      GEOREPORT_DATABASE_URL: databaseUrl, GEOREPORT_MEDIA_DIR: join(media.dir, 'media'), GEOREPORT_SMTP_URL: smtp.url,
      GEOREPORT_PUBLIC_URL: `http://127.0.0.1:${port}/`, GEOREPORT_DEMO: 'true', GEOREPORT_TRUST_PROXY: 'true',
      GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000',
      // A node told to stop drains as in production: /health answers 503 while it still serves, until
      // HAProxy (checks every 500 ms, out after 2 failures) has taken it out. Without it, a connection
      // HAProxy opened just before the stop is closed unanswered, and a POST on it is not retried.
      GEOREPORT_DRAIN_SECONDS: '2',
      ...extra,
    };
    const cli = async (args: string[]) => runCli(args, env, STARTUP_MS);
    for (const command of [['migrate'], ['seed']]) {
      const done = await cli(command);
      if (done.code !== 0) throw new Error(`georeport ${command.join(' ')} failed\n${done.stdout}${done.stderr}`);
    }
    const nodes = await Promise.all(ports.map(async (p, i) => {
      const node = await startNode(`n${i + 1}`, p, env);
      stops.push(() => node.process.kill());
      return node;
    }));
    const balancer = await startHaproxy(nodes.map((n) => ({ name: n.name, port: Number(new URL(n.url).port) })), { port });
    stops.push(() => balancer.stop());
    return { url: balancer.url, databaseUrl, nodes, balancer, smtp, cli, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A node on a fixed port, so that HAProxy finds it again after a restart. */
async function startNode(name: string, port: number, env: Record<string, string>): Promise<ClusterNode> {
  const start = () => startServer({ args: ['--port', String(port)], env, timeoutMs: STARTUP_MS });
  let current = await start();
  return {
    name,
    url: current.url,
    get pid() {
      return current.child.pid!;
    },
    get process() {
      return current;
    },
    async kill(signal) {
      if (signal === 'SIGKILL') return current.kill();
      return current.stop();
    },
    async restart() {
      await current.stop();
      current = await start();
    },
  };
}
