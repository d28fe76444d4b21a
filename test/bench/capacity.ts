/**
 * What phase 1b prints: its table (req/s, p50, p99, CPU-seconds by part, ratios), then an estimate on paper
 * of a three-node deployment with a PostgreSQL primary and a replica, from the requests per CPU-second
 * measured on node 1 directly (no balancer's CPU in the figure). docs/scale.md shows one run of it.
 */
import type { NodesResult, Target } from './nodes.ts';

/** The deployment estimated, every figure an assumption stated in the output. */
const NODES = 3;
const NODE_CORES = 4;
const PG_CORES = 8;
/** Plan for half the CPU: bursts, the back office, jobs, vacuum and a node down for a deploy. */
const HEADROOM = 0.5;
/** A city website: residents look at the map and lists far more than they file. */
const READS_PER_WRITE = 50;
/** NYC (DESIGN.md): ≈ 3 M requests a year; bursts of a few hundred a minute (500 taken). */
const NYC_YEAR = 3_000_000;
const NYC_BURST_PER_MINUTE = 500;

const round = (n: number) => (n >= 100 ? String(Math.round(n)) : n.toFixed(1));

export function describeNodes(result: NodesResult, table: (rows: string[][], left: number[]) => string): string {
  const rows = [['case', 'target', 'req/s', 'p50', 'p99', 'georeport CPU-s', 'PostgreSQL CPU-s', 'HAProxy CPU-s', 'wrk CPU-s', 'req per georeport CPU-s', 'req per PostgreSQL CPU-s']];
  for (const c of result.cases) {
    for (const t of c.targets) {
      const { r, cpu } = t;
      const per = (s: number) => (s > 0.01 ? String(Math.round(r.requests / s)) : '-');
      rows.push([c.name, t.name + (r.errors ? ` [${r.errors} errors]` : ''), String(Math.round(r.rps)), `${r.latencyMs.p50.toFixed(2)} ms`,
        `${r.latencyMs.p99.toFixed(2)} ms`, cpu.georeport.toFixed(2), cpu.postgres.toFixed(2), cpu.haproxy.toFixed(2), cpu.wrk.toFixed(2),
        per(cpu.georeport), t.name === 'bare' ? '-' : per(cpu.postgres)]);
    }
  }
  const ratios = [['case', 'three ÷ one (scale-out)', 'one behind HAProxy ÷ direct (HAProxy\'s cost)'],
    ...result.cases.map((c) => [c.name, `${c.scaleOut.toFixed(2)}x`, `${c.haproxyCost.toFixed(2)}x`])];
  return [
    table(rows, [0, 1]),
    '',
    table(ratios, [0]),
    '',
    'On this machine no speed-up is expected: three nodes, PostgreSQL, HAProxy and wrk all share the same 2 cores, so three nodes',
    'split the CPU one node had. The ratios show what the balancer and the extra processes cost, not what more machines would give;',
    '"bare" is the bare Hono route (its CPU in the georeport column). HAProxy opens one connection to a node per request',
    '(option http-server-close, test/helpers/haproxy.ts), part of its cost here.',
    '',
    ...capacity(result),
  ].join('\n');
}

/** The estimate, its arithmetic visible. */
function capacity(result: NodesResult): string[] {
  const direct = (kind: string, name?: string) => {
    const c = result.cases.find((x) => x.kind === kind && (!name || x.name.startsWith(name)))!;
    const t: Target = c.targets.find((x) => x.name === 'direct')!;
    return { node: t.r.requests / t.cpu.georeport, pg: t.r.requests / t.cpu.postgres };
  };
  const one = direct('read', 'GET one');
  const page = direct('read', 'GET a page');
  const post = direct('write');
  const half = READS_PER_WRITE / 2;
  // CPU-seconds one "visit unit" (one filing and its READS_PER_WRITE reads, half GET one, half GET a page) takes.
  const nodeCost = 1 / post.node + half / one.node + half / page.node;
  const replicaCost = half / one.pg + half / page.pg;
  const nodeBudget = NODES * NODE_CORES * HEADROOM;
  const pgBudget = PG_CORES * HEADROOM;
  const byNodes = nodeBudget / nodeCost;
  const byPrimary = pgBudget * post.pg;
  const byReplica = pgBudget / replicaCost;
  const units = Math.min(byNodes, byPrimary, byReplica);
  const limit = units === byNodes ? 'the nodes' : units === byPrimary ? 'the primary' : 'the replica';
  const burst = NYC_BURST_PER_MINUTE / 60;
  const r = round;
  return [
    'Capacity: an estimate on paper from these figures (node 1 directly):',
    `  measured per CPU-second: georeport GET one ${r(one.node)}, GET a page ${r(page.node)}, POST ${r(post.node)};`,
    `                           PostgreSQL GET one ${r(one.pg)}, GET a page ${r(page.pg)}, POST ${r(post.pg)}`,
    `  assumed: ${NODES} nodes × ${NODE_CORES} cores; a primary (writes, back office) and a replica (public reads) of ${PG_CORES} cores each;`,
    `           ${HEADROOM * 100}% headroom; ${READS_PER_WRITE} reads per filing (half GET one, half GET a page); cores as fast as these`,
    `  one filing + ${READS_PER_WRITE} reads costs the nodes 1/${r(post.node)} + ${half}/${r(one.node)} + ${half}/${r(page.node)} = ${(nodeCost * 1000).toFixed(1)} ms of CPU,`,
    `    the replica ${half}/${r(one.pg)} + ${half}/${r(page.pg)} = ${(replicaCost * 1000).toFixed(1)} ms, the primary 1/${r(post.pg)} = ${(1000 / post.pg).toFixed(2)} ms`,
    `  filings per second: nodes ${nodeBudget} CPU ÷ ${(nodeCost * 1000).toFixed(1)} ms = ${r(byNodes)}; primary ${pgBudget} CPU × ${r(post.pg)} = ${r(byPrimary)};` +
      ` replica ${pgBudget} CPU ÷ ${(replicaCost * 1000).toFixed(1)} ms = ${r(byReplica)}`,
    `  => about ${r(units)} filings/s with ${r(units * READS_PER_WRITE)} reads/s (limited by ${limit}), sustained within the headroom`,
    `  NYC: ${NYC_YEAR / 1e6} M filings a year = ${(NYC_YEAR / 365 / 86400).toFixed(2)}/s on average; a burst of ${NYC_BURST_PER_MINUTE}/min = ${burst.toFixed(1)}/s` +
      ` with ${r(burst * READS_PER_WRITE)} reads/s: the estimate is ${r(units / burst)} times that`,
    '  Not counted: the CDN or cache in front (repeated map reads never reach a node), photo uploads (S3 takes the bytes),',
    '  the bus and e-mails (background, on the primary), network between machines, and faster or slower cores than these.',
  ];
}
