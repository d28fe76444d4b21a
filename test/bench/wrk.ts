/** Runs `wrk` (installing Debian's package when missing) and reads its figures from report.lua's JSON line. */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LUA = new URL('./lua/', import.meta.url);

export interface WrkSettings {
  threads: number;
  connections: number;
  seconds: number;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  bytesPerResponse: number;
  /** Non-2xx/3xx answers plus socket errors. */
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Makes sure `wrk` is on the PATH (apt-get as root; `apt-get update` only if the first install fails). */
export function ensureWrk(): string {
  if (!has('wrk')) {
    process.stdout.write('wrk is missing: installing it with apt-get…\n');
    const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'ignore' });
    try {
      install();
    } catch {
      execFileSync('apt-get', ['update'], { stdio: 'ignore' });
      install();
    }
  }
  // `wrk -v` prints its version and usage, then exits 1.
  try {
    return execFileSync('wrk', ['-v'], { encoding: 'utf8' }).split('\n')[0]!;
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '').split('\n')[0]!.trim();
  }
}

/**
 * One wrk run against `url`. `script` names a file in lua/ (its `request()` shapes each call); `args`
 * go to its `init()`. The script is written next to report.lua's `done()` into `workDir`.
 */
export function runWrk(url: string, s: WrkSettings, workDir: string, script?: string, args: string[] = []): Promise<WrkResult> {
  const lua = join(workDir, `${script ?? 'plain'}.lua`);
  const parts = [script ? readFileSync(new URL(`${script}.lua`, LUA), 'utf8') : '', readFileSync(new URL('report.lua', LUA), 'utf8')];
  writeFileSync(lua, parts.join('\n'));
  const argv = ['-t', String(s.threads), '-c', String(s.connections), '-d', `${s.seconds}s`, '--timeout', '10s', '-s', lua, url];
  if (args.length) argv.push('--', ...args);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}:\n${out}`));
      const r = JSON.parse(line.slice(9));
      const e = r.errors;
      const ms = (us: number) => us / 1000;
      resolve({
        requests: r.requests,
        seconds: r.duration_us / 1e6,
        rps: r.requests / (r.duration_us / 1e6),
        bytesPerResponse: r.requests ? r.bytes / r.requests : 0,
        errors: e.connect + e.read + e.write + e.status + e.timeout,
        latencyMs: { p50: ms(r.latency_us.p50), p90: ms(r.latency_us.p90), p99: ms(r.latency_us.p99), max: ms(r.latency_us.max) },
      });
    });
  });
}
