/**
 * Runs `wrk` (installing Debian's package when missing) and reads its figures from report.lua's JSON line.
 * Every call sends `Accept-Encoding: gzip` as a browser does (wrk sends no such header of its own), so the
 * answers the server compresses are counted in their compressed bytes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Walk } from './walk.ts';

const LUA = new URL('./lua/', import.meta.url);

export interface WrkSettings {
  threads: number;
  connections: number;
  seconds: number;
}

/** What one run sends. */
export interface Load {
  /** A file in lua/ whose `request()` shapes each call. */
  script?: string;
  /** Arguments to the script's `init()`. */
  args?: string[];
  /** Headers beyond Accept-Encoding, on every call. */
  headers?: Record<string, string>;
  /** A cold case's calls (walk.ts; the script is then lua/walk.lua), continued from its previous run. */
  walk?: Walk;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  bytesPerResponse: number;
  /** Non-2xx/3xx answers plus socket errors. */
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** With a walk: the share of the calls that asked what an earlier call of the case had asked. */
  repeats?: number;
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

/** A lua string literal (JSON's escapes of printable ASCII are Lua's too). */
function luaString(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`not printable ASCII: ${text}`);
  return JSON.stringify(text);
}

/**
 * One wrk run against `url`. The script (with its headers and report.lua's `done()`) is written into
 * `workDir`.
 */
export async function runWrk(url: string, s: WrkSettings, workDir: string, load: Load = {}): Promise<WrkResult> {
  const script = load.walk ? 'walk' : load.script;
  const lua = join(workDir, `${script ?? 'plain'}.lua`);
  const headers = { 'Accept-Encoding': 'gzip', ...load.headers };
  const parts = [
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`),
    script ? readFileSync(new URL(`${script}.lua`, LUA), 'utf8') : '',
    readFileSync(new URL('report.lua', LUA), 'utf8'),
  ];
  writeFileSync(lua, parts.join('\n'));
  const args = load.walk ? load.walk.args(s.threads) : load.args ?? [];
  const argv = ['-t', String(s.threads), '-c', String(s.connections), '-d', `${s.seconds}s`, '--timeout', '10s', '-s', lua, url];
  if (args.length) argv.push('--', ...args);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}:\n${text}`))));
  });
  const line = (prefix: string) => out.split('\n').find((l) => l.startsWith(prefix))?.slice(prefix.length);
  const json = line('WRK_JSON ');
  const next = line('WALK_NEXT ');
  if (!json || (load.walk && !next)) throw new Error(`wrk printed no figures:\n${out}`);
  const j = JSON.parse(json);
  const e = j.errors;
  const ms = (us: number) => us / 1000;
  const r: WrkResult = {
    requests: j.requests,
    seconds: j.duration_us / 1e6,
    rps: j.requests / (j.duration_us / 1e6),
    bytesPerResponse: j.requests ? j.bytes / j.requests : 0,
    errors: e.connect + e.read + e.write + e.status + e.timeout,
    latencyMs: { p50: ms(j.latency_us.p50), p90: ms(j.latency_us.p90), p99: ms(j.latency_us.p99), max: ms(j.latency_us.max) },
  };
  if (load.walk) r.repeats = load.walk.ran(Number(next));
  return r;
}
