/**
 * `npm run bench`: GeoReport reads and writes over a store of ≥ 100,000 requests, each against a bare
 * Hono route measured in the same run with the same wrk settings. Aim (DESIGN.md, "Speed"): reads within
 * 3x of the bare route, writes within 10x. Prints a table and writes .tmp/bench-results.json.
 *
 * Settings (environment): BENCH_REQUESTS (100000), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (32), BENCH_THREADS (1).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fillStore } from './fill-store.ts';
import { freePort, startServer, stopServer, type Server } from './processes.ts';
import { ensureWrk, runWrk, type WrkResult, type WrkSettings } from './wrk.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STORE_SIZE = env('BENCH_REQUESTS', 100_000);
const WARMUP: WrkSettings = { threads: env('BENCH_THREADS', 1), connections: env('BENCH_CONNECTIONS', 32), seconds: env('BENCH_WARMUP_SECONDS', 2) };
const MEASURE: WrkSettings = { ...WARMUP, seconds: env('BENCH_SECONDS', 5) };
const API = '/open311/v2';

interface Case {
  name: string;
  kind: 'read' | 'write' | 'info';
  path: string;
  script?: string;
  args?: string[];
  /** How to call it once, to check it answers before timing it (default: a GET of `path`). */
  check?: RequestInit;
  /** Items one answer carries (counted by that check). */
  items?: number;
}

const AIM = { read: 3, write: 10 } as const;

async function countItems(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as unknown[]).length;
}

async function measure(server: Server, c: Case, work: string): Promise<WrkResult> {
  process.stdout.write(`  ${c.name}… `);
  await runWrk(server.url + c.path, WARMUP, work, c.script, c.args);
  const r = await runWrk(server.url + c.path, MEASURE, work, c.script, c.args);
  process.stdout.write(`${Math.round(r.rps)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}\n`);
  return r;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!, i > 0 && i !== 6)).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main() {
  const wrkVersion = ensureWrk();
  const machine = () => ({ cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, wrk: wrkVersion, loadavg: loadavg().map((l) => +l.toFixed(2)) });
  const before = machine();
  process.stdout.write(`${before.cpus} × ${before.cpu}, ${before.memoryGiB} GiB, Node ${before.node}, ${before.wrk}; load average ${before.loadavg.join(' ')}\n`);
  const work = mkdtempSync(join(tmpdir(), 'georeport-bench-'));
  const servers: Server[] = [];
  const cleanUp = async () => {
    await Promise.all(servers.splice(0).map(stopServer));
    rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    process.stdout.write(`filling a store with ${STORE_SIZE} requests… `);
    const store = fillStore(join(work, 'bench.db'), STORE_SIZE, Date.now());
    process.stdout.write(`${store.requests} published requests in ${(store.fillMs / 1000).toFixed(1)} s\n`);

    const [barePort, appPort] = [await freePort(), await freePort()];
    const bare = await startServer('bare Hono', barePort, ['test/bench/bare-server.ts', String(barePort)], '/');
    servers.push(bare);
    const app = await startServer(
      'georeport', appPort,
      ['server/main.ts', 'serve', '--db', store.file, '--port', String(appPort), '--log-level', 'warn'], '/health',
      { GEOREPORT_RATE_LIMIT_IP: '1000000000', GEOREPORT_RATE_LIMIT_KEY: '1000000000' },
    );
    servers.push(app);

    const q = store.page;
    const pageQuery = `service_code=${q.serviceCode}&start_date=${q.start}&end_date=${q.end}`;
    const cases: Case[] = [
      { name: 'GET one request', kind: 'read', path: `${API}/requests/${store.lastId}.json`, script: 'get-one', args: [String(store.firstId), String(store.lastId)] },
      { name: 'GET a page (1 service, narrow dates)', kind: 'read', path: `${API}/requests.json?${pageQuery}` },
      { name: 'GET default query (90 days, cap 1000)', kind: 'info', path: `${API}/requests.json` },
      {
        name: 'POST a request', kind: 'write', path: `${API}/requests.json`, script: 'post', check: {
          method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'api_key=demo-public-key&service_code=corbeille-pleine&lat=47.39&long=0.68&description=check',
        },
      },
    ];
    for (const c of cases) c.items = await countItems(app.url + c.path, c.check);

    process.stdout.write(`wrk ${MEASURE.threads} thread(s), ${MEASURE.connections} connections, ${WARMUP.seconds} s warm-up + ${MEASURE.seconds} s per run;` +
      ' the bare route is measured right before each case, and each ratio uses that pair (the machine may be shared)\n');
    const bareCase: Case = { name: 'bare Hono route', kind: 'info', path: '/' };
    const results = [];
    for (const c of cases) results.push({ c, bare: await measure(bare, bareCase, work), r: await measure(app, c, work) });

    const ms = (n: number) => `${n.toFixed(2)} ms`;
    const rows = [['case', 'req/s', 'p50', 'p99', 'bare req/s', 'vs bare', 'aim', 'items', 'bytes/answer']];
    const json = [];
    let missed = 0;
    for (const { c, bare: b, r } of results) {
      const ratio = b.rps / r.rps;
      const aim = c.kind === 'info' ? undefined : AIM[c.kind];
      const met = aim === undefined ? undefined : ratio <= aim && r.errors === 0;
      if (met === false) missed++;
      const aimText = aim === undefined ? '(no aim)' : `≤ ${aim}x ${met ? 'met' : 'MISSED'}`;
      rows.push([c.name + (r.errors ? ` [${r.errors} errors]` : ''), String(Math.round(r.rps)), ms(r.latencyMs.p50), ms(r.latencyMs.p99),
        String(Math.round(b.rps)), `${ratio.toFixed(2)}x`, aimText, String(c.items), String(Math.round(r.bytesPerResponse))]);
      json.push({ case: c.name, kind: c.kind, path: c.path, items: c.items, rps: r.rps, latencyMs: r.latencyMs, requests: r.requests,
        errors: r.errors, bytesPerResponse: r.bytesPerResponse, bare: { rps: b.rps, latencyMs: b.latencyMs }, slowerThanBare: ratio,
        aim: aim ?? null, met: met ?? null });
    }
    process.stdout.write(`\n${table(rows)}\n\n"vs bare" = bare req/s ÷ case req/s (how many times slower). ${missed ? `${missed} aim(s) missed.` : 'Every aim met.'}\n`);
    const after = machine();
    // wrk and the server under test keep about 2 CPUs busy themselves; much more means a shared machine.
    const shared = after.loadavg[0]! > after.cpus + 1 ? ' (other work shared the CPUs: compare ratios, not req/s)' : '';
    process.stdout.write(`load average at the end: ${after.loadavg.join(' ')}${shared}\n`);
    mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
    const out = new URL('../../.tmp/bench-results.json', import.meta.url);
    writeFileSync(out, `${JSON.stringify({
      at: new Date().toISOString(), machine: { ...after, loadavgBefore: before.loadavg }, settings: { warmup: WARMUP, measure: MEASURE },
      store: { requests: store.requests, fillSeconds: store.fillMs / 1000, page: store.page },
      cases: json,
    }, null, 2)}\n`);
    process.stdout.write(`results written to .tmp/bench-results.json\n`);
  } finally {
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
