/**
 * The calls of a cold case (lua/walk.lua, its twin): call k of the case, counted over all its runs against
 * one server, asks the value (k × stride) mod count, the stride prime to count, so every value of
 * 0…count−1 is asked once, scattered over the range, before any comes back. A cache would have to hold all
 * `count` answers to see any call twice (a random draw repeats far sooner: 100,000 draws among 100,000 ids
 * ask only 63,000 of them). The path comes from a template: `{id}` is base + value (a request id); `{end}`
 * the datetime base − value seconds and `{start}` `span` seconds before it (a window moved back in time).
 */
import { formatDatetime } from '../../server/georeport/datetime.ts';

export interface WalkSpec {
  template: string;
  count: number;
  base: number;
  span?: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export class Walk {
  /** Near count ÷ φ, so consecutive calls land far apart in the range. */
  readonly stride: number;
  /** The next run's first k: calls so far in this case's runs (and the gaps the threads left). */
  private sent = 0;

  constructor(readonly spec: WalkSpec) {
    let stride = Math.max(1, Math.round(spec.count * 0.618));
    while (gcd(stride, spec.count) !== 1) stride++;
    this.stride = stride;
  }

  /** The path walk.lua sends for `value`. */
  path(value: number): string {
    const { template, base, span = 0 } = this.spec;
    const at = { id: String(base + value), end: formatDatetime(base - value), start: formatDatetime(base - value - span) };
    return template.replace(/\{(id|end|start)\}/g, (_, name: keyof typeof at) => at[name]);
  }

  /** Paths at five values spread over the range, ends included (to check the answers before timing them). */
  samples(): string[] {
    return [0, 0.25, 0.5, 0.75, 1].map((f) => this.path(Math.round(f * (this.spec.count - 1))));
  }

  /** walk.lua's arguments for the next run of `threads` threads. */
  args(threads: number): string[] {
    const { template, count, base, span = 0 } = this.spec;
    return [count, this.stride, this.sent, threads, template, base, span].map(String);
  }

  /**
   * Records a run whose threads reached call `next` (walk.lua prints it: where the next run starts) and
   * says what share of its calls repeated an earlier call of the case.
   */
  ran(next: number): number {
    const from = this.sent;
    this.sent = Math.max(next, from + 1);
    return Math.max(0, this.sent - Math.max(from, this.spec.count)) / (this.sent - from);
  }
}

/** GET one request over every id of a store, each call a different one. */
export const idWalk = (firstId: number, lastId: number) =>
  new Walk({ template: '/open311/v2/requests/{id}.json', count: lastId - firstId + 1, base: firstId });
