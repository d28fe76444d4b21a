/**
 * Phase 1b (PostgreSQL only; BENCH_NODES=0 skips it): one node against three behind HAProxy, on the
 * PostgreSQL copy of phase 1's store, with phase 1's wrk settings. Each case (GET one and GET a page, both
 * cold: each call a different answer, what a cache in front lets through; POST) is measured against the
 * bare Hono route, node 1 directly, HAProxy over node 1 alone and HAProxy over the three nodes. The CPU
 * time each process took during each measured run (from /proc/<pid>/stat) gives requests per CPU-second
 * of georeport and of PostgreSQL, from which capacity.ts estimates a deployment.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startHaproxy, type Haproxy } from '../helpers/haproxy.ts';
import { freePort, startGeoreport, startServer, stopServer, type Server } from './processes.ts';
import { runWrk, type Load, type WrkResult, type WrkSettings } from './wrk.ts';

export interface NodeCase extends Load {
  name: string;
  kind: 'read' | 'write' | 'info';
  path: string;
}

/** CPU-seconds one measured run took, by part. */
export interface CpuSpent {
  georeport: number;
  postgres: number;
  haproxy: number;
  wrk: number;
}

export interface Target {
  name: 'bare' | 'direct' | 'haproxy-one' | 'haproxy-three';
  r: WrkResult;
  cpu: CpuSpent;
}

export interface NodesResult {
  cases: { name: string; kind: NodeCase['kind']; targets: Target[]; scaleOut: number; haproxyCost: number }[];
}

const TICK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime (seconds) and the parent of one process; null when it is gone. */
function stat(pid: number | 'self'): { own: number; reaped: number; ppid: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name may hold spaces: fields are counted from after its closing parenthesis (field 3 on).
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  return { ppid: f[1]!, own: (f[11]! + f[12]!) / TICK, reaped: (f[13]! + f[14]!) / TICK };
}

/**
 * PostgreSQL's CPU time so far: the postmaster's, its backends' that have ended (reaped into its cutime)
 * and its live children's (the pooled backends, the writer, the WAL writer…).
 */
function postgresCpu(postmaster: number): number {
  const own = stat(postmaster);
  let total = own ? own.own + own.reaped : 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid === postmaster) total += s.own;
  }
  return total;
}

/** The postmaster of the cluster serving `url` (its socket folder holds data/postmaster.pid). */
function postmasterOf(url: string): number {
  // `postgres://user@/db?host=…` has no host before the path, which WHATWG URL refuses: read the query alone.
  const host = new URLSearchParams(url.slice(url.indexOf('?'))).get('host')!;
  return Number(readFileSync(`${host}/data/postmaster.pid`, 'utf8').split('\n')[0]);
}

export interface NodesOptions {
  work: string;
  file: string;
  databaseUrl: string;
  cases: NodeCase[];
  warmup: WrkSettings;
  measure: WrkSettings;
  servers: Server[];
}

export async function nodesPhase(o: NodesOptions): Promise<NodesResult> {
  const postmaster = postmasterOf(o.databaseUrl);
  const barePort = await freePort();
  const bare = await startServer('bare Hono', barePort, ['test/bench/bare-server.ts', String(barePort)], '/');
  o.servers.push(bare);
  // One after the other: each node's --demo start checks the demo city on the shared store.
  const nodes: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    ports.push(await freePort());
    nodes.push(await startGeoreport(o.file, ports[i]!, o.databaseUrl));
    o.servers.push(nodes[i]!);
  }
  const balancers: Haproxy[] = [];
  try {
    balancers.push(await startHaproxy([{ name: 'n1', port: ports[0]! }]));
    balancers.push(await startHaproxy(ports.map((port, i) => ({ name: `n${i + 1}`, port }))));
    const [one, three] = balancers as [Haproxy, Haproxy];
    const pidOf = (s: Server) => s.child.pid!;
    const targets = [
      { name: 'bare', url: bare.url, georeport: [pidOf(bare)], haproxy: [] },
      { name: 'direct', url: nodes[0]!.url, georeport: [pidOf(nodes[0]!)], haproxy: [] },
      { name: 'haproxy-one', url: one.url.replace(/\/$/, ''), georeport: [pidOf(nodes[0]!)], haproxy: [one.pid] },
      { name: 'haproxy-three', url: three.url.replace(/\/$/, ''), georeport: nodes.map(pidOf), haproxy: [three.pid] },
    ] as const;
    // Nodes 2 and 3 would otherwise meet their first load cold (code not yet compiled) in the measured run.
    for (const node of nodes) for (const c of o.cases) await runWrk(node.url + c.path, o.warmup, o.work, c);
    const result: NodesResult = { cases: [] };
    for (const c of o.cases) {
      process.stdout.write(`  ${c.name}:`);
      const measured: Target[] = [];
      for (const t of targets) {
        const path = t.name === 'bare' ? '/' : c.path;
        const load = t.name === 'bare' ? {} : c;
        await runWrk(t.url + path, o.warmup, o.work, load);
        const sum = (pids: readonly number[]) => pids.reduce((n, pid) => n + (stat(pid)?.own ?? 0), 0);
        // wrk is this process's only child to end during the run: its CPU time lands in our cutime.
        const at = () => ({ georeport: sum(t.georeport), postgres: postgresCpu(postmaster), haproxy: sum(t.haproxy), wrk: stat('self')!.reaped });
        const before = at();
        const r = await runWrk(t.url + path, o.measure, o.work, load);
        const after = at();
        const cpu = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof CpuSpent]])) as unknown as CpuSpent;
        measured.push({ name: t.name, r, cpu });
        process.stdout.write(` ${t.name} ${Math.round(r.rps)} req/s${r.errors ? ` (${r.errors} ERRORS)` : ''};`);
      }
      process.stdout.write('\n');
      const rps = (name: Target['name']) => measured.find((m) => m.name === name)!.r.rps;
      result.cases.push({ name: c.name, kind: c.kind, targets: measured, scaleOut: rps('haproxy-three') / rps('haproxy-one'), haproxyCost: rps('haproxy-one') / rps('direct') });
    }
    return result;
  } finally {
    await Promise.all(balancers.map((b) => b.stop()));
    await Promise.all(o.servers.splice(0).map(stopServer));
  }
}
