/**
 * Runs georeport as a real process (`node --import tsx server/main.ts …`) for end-to-end tests:
 * a served instance on a loopback port, or a one-shot CLI command. Every child is tracked and
 * SIGKILLed when the test process exits or is interrupted: a failing or crashing test leaves no
 * server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../server/db/engine.ts';
import { openEngine } from '../../server/db/open-engine.ts';
import { newPostgresStore, onPostgres } from './test-engine.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'server', 'main.ts');

const live = new Set<ChildProcess>();
const killAll = () => {
  for (const child of live) {
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
};
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal); // the default action, now that this handler is gone
  });
}

export { freePort } from './free-port.ts';

/** How a child ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves once the child has exited and its output has been read to the end. */
function track(child: ChildProcess): Promise<Exit> {
  live.add(child);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
}

/** A child's environment: this process's, minus any GEOREPORT_* setting, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GEOREPORT_')),
  );
  return { ...base, NODE_OPTIONS: '', ...env };
}

/** The PostgreSQL store standing for each SQLite file a test names, so a restart finds its data again. */
const storesByFile = new Map<string, Promise<string>>();

/**
 * On the PostgreSQL pass, the environment that points georeport at the PostgreSQL store standing for the
 * SQLite file the command names (`--db` or `GEOREPORT_DB`); unchanged on SQLite, or when a test names
 * its own database URL.
 */
async function onTestEngine(args: string[], env: Record<string, string>): Promise<Record<string, string>> {
  if (!onPostgres || env.GEOREPORT_DATABASE_URL !== undefined || args.includes('--database-url')) return env;
  const at = args.indexOf('--db');
  const file = at >= 0 ? args[at + 1]! : (env.GEOREPORT_DB ?? 'data/georeport.db');
  return { ...env, GEOREPORT_DATABASE_URL: await postgresStoreOf(file) };
}

/**
 * The PostgreSQL store standing for a SQLite file: made on first use, empty and migrated, as an operator
 * runs `georeport migrate` before the first server (on PostgreSQL, no other command migrates).
 */
function postgresStoreOf(file: string): Promise<string> {
  let url = storesByFile.get(file);
  if (!url) storesByFile.set(file, (url = newPostgresStore({ migrated: true })));
  return url;
}

/**
 * The store georeport processes run on for the SQLite file a test names (`--db`, `GEOREPORT_DB`), opened
 * on the engine under test: for a test to read what a process stored. Close it when done.
 */
export async function openStoreOf(file: string): Promise<Engine> {
  return onPostgres ? openEngine({ databaseUrl: await postgresStoreOf(file), dbFile: '', migrate: false }) : openEngine({ dbFile: file, migrate: false });
}

function spawnGeoreport(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs a TypeScript helper of the tests as its own process (a real peer: an SMTP server, say), killed
 * with the others when the test process ends.
 */
export function spawnHelper(script: string, args: string[] = []): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: childEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, exited: track(child) };
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'georeport-e2e-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServerProcess {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** stdout's complete lines parsed as JSON (throws on a line that is not JSON). */
  logs(): Record<string, unknown>[];
  /**
   * Resolves once a log line with this `msg` has been written at or after stdout offset `from`
   * (default: since the start); rejects after `timeoutMs`.
   */
  waitForLog(msg: string, timeoutMs?: number, from?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has ended, however. */
  exited: Promise<Exit>;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<Exit>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<Exit>;
}

/**
 * Starts `georeport serve` on 127.0.0.1 with a free port (unless `args` names one) and
 * resolves once it logs that it listens. Rejects, with its output, if it exits or stays silent for
 * `timeoutMs`.
 */
export async function startServer(
  options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const args = ['serve', '--host', '127.0.0.1', ...(options.args ?? [])];
  if (!args.includes('--port') && !args.some((a) => a.startsWith('--port=')))
    args.push('--port', '0');
  // No load balancer in front of a test's server: it stops at once on either engine unless a test drains it.
  const env = { GEOREPORT_LOG_LEVEL: 'info', GEOREPORT_DRAIN_SECONDS: '0', ...options.env };
  const child = spawnGeoreport(args, await onTestEngine(args, env));
  const exited = track(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;
  const logs = () =>
    out
      .slice(0, out.lastIndexOf('\n') + 1) // complete lines only
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  /** The first complete log line with this `msg` from offset `from` on; where scanning stopped. */
  const findLog = (msg: string, from: number) => {
    const end = out.lastIndexOf('\n') + 1; // a line still being written is left for later
    for (const line of out.slice(from, end).split('\n')) {
      if (!line.includes(`"msg":${JSON.stringify(msg)}`)) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === msg) return { entry, end };
    }
    return { entry: undefined, end: Math.max(from, end) };
  };
  const waitForLog = (msg: string, timeoutMs = 15_000, from = 0) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      let scanned = from;
      const finish = () => {
        clearTimeout(timer);
        const i = waiters.indexOf(check);
        if (i >= 0) waiters.splice(i, 1);
      };
      const check = () => {
        const { entry, end } = findLog(msg, scanned);
        scanned = end;
        if (entry) {
          finish();
          resolve(entry);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no "${msg}" log within ${timeoutMs} ms\n${output()}`));
      }, timeoutMs);
      timer.unref(); // the child's pipes keep this process alive while it runs
      waiters.push(check);
      check();
    });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  };
  const stop = async (timeoutMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };

  const listening = await Promise.race([
    waitForLog('listening', options.timeoutMs ?? 20_000),
    exited.then((exit) => {
      throw new Error(
        `georeport serve exited (${exit.code ?? exit.signal}) before listening\n${output()}`,
      );
    }),
  ]).catch(async (e: unknown) => {
    await kill();
    throw e;
  });
  const url = String(listening.url);
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    child,
    stdout: () => out,
    stderr: () => err,
    logs,
    waitForLog,
    exited,
    stop,
    kill,
  };
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs one `georeport` CLI command to completion (SIGKILLed, and rejected, after `timeoutMs`). */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<CliResult> {
  const child = spawnGeoreport(args, await onTestEngine(args, env));
  const exited = track(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  if (timedOut) {
    const output = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    throw new Error(`georeport ${args.join(' ')} did not end within ${timeoutMs} ms\n${output}`);
  }
  return { ...exit, stdout, stderr };
}
