/**
 * The cases phases 1 and 2 time with wrk, and how: a warm-up run then a measured run on the settings of
 * BENCH_THREADS, BENCH_CONNECTIONS, BENCH_WARMUP_SECONDS and BENCH_SECONDS; the aims they are judged by;
 * the plain-text tables the bench prints.
 */
import type { Server } from './processes.ts';
import { runWrk, type Load, type WrkResult, type WrkSettings } from './wrk.ts';

export const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const WARMUP: WrkSettings = { threads: env('BENCH_THREADS', 1), connections: env('BENCH_CONNECTIONS', 32), seconds: env('BENCH_WARMUP_SECONDS', 2) };
/** Warm cases and the bare route: their code is hot already, and a cache fills at the first call. */
export const SHORT_WARMUP: WrkSettings = { ...WARMUP, seconds: Math.min(WARMUP.seconds, 1) };
export const MEASURE: WrkSettings = { ...WARMUP, seconds: env('BENCH_SECONDS', 5) };

export type Temperature = 'cold' | 'warm';
/** At most this many times slower than the bare route, or a p99 of at most this many milliseconds. */
export type Aim = { vsBare: number } | { p99Ms: number };

export interface Case extends Load {
  name: string;
  kind: 'read' | 'write' | 'info';
  /** The URL timed (for a walk, its first call's). */
  path: string;
  temperature?: Temperature;
  aim?: Aim;
  /** How to call it once, to check it answers before timing it (default: a GET of `path`). */
  check?: { method: string; headers: Record<string, string>; body: string };
  /** Revalidation: sent with If-None-Match set to the ETag of `path` (read when checked). */
  revalidate?: boolean;
  /** Answers slow enough to queue: wait after each run until the server has answered what wrk left queued. */
  drain?: boolean;
  /** Random draws (lua/area.lua): how many different calls the script draws among. */
  places?: number;
}

/** Warm-up run, then measured run; the result's `repeats` filled in for random draws too (a bound). */
export async function measure(server: Server, c: Case, work: string, warmup = c.temperature === 'warm' ? SHORT_WARMUP : WARMUP): Promise<WrkResult> {
  process.stdout.write(`  ${c.name}${c.temperature ? `, ${c.temperature}` : ''}… `);
  const idle = () => (c.drain ? fetch(server.url + '/health') : undefined);
  const w = await runWrk(server.url + c.path, warmup, work, c);
  await idle();
  const r = await runWrk(server.url + c.path, MEASURE, work, c);
  await idle();
  // Each measured call repeats an earlier one with a chance of at most (calls so far) ÷ places.
  if (c.places) r.repeats = Math.min(1, (w.requests + r.requests + 2 * MEASURE.connections) / c.places);
  process.stdout.write(`${Math.round(r.rps)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}\n`);
  return r;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** A plain-text table; every column but the first and those in `left` is right-aligned. */
export function table(rows: string[][], left: number[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!, i > 0 && !left.includes(i))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;
/** The share of repeated calls: exact for a walk, a bound for random draws. */
export const repeatsText = (c: Case, r: WrkResult) => (r.repeats === undefined ? '-' : `${c.places ? '≤ ' : ''}${+(r.repeats * 100).toPrecision(2)}%`);
/** Whether a case met its aim, and the aim column's text. */
export function judge(aim: Aim | undefined, ratio: number, r: WrkResult): { met: boolean | null; text: string } {
  if (!aim) return { met: null, text: '(no aim)' };
  const met = r.errors === 0 && ('vsBare' in aim ? ratio <= aim.vsBare : r.latencyMs.p99 <= aim.p99Ms);
  return { met, text: `${'vsBare' in aim ? `≤ ${aim.vsBare}x` : `p99 ≤ ${aim.p99Ms} ms`} ${met ? 'met' : 'MISSED'}` };
}
/** What the JSON keeps of a walk (its path template, range and stride). */
export const walkJson = (c: Case) => (c.walk ? { ...c.walk.spec, stride: c.walk.stride } : null);
