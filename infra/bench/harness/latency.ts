/**
 * An HDR-style latency recorder: log-linear buckets (1 % wide) from 1 µs to ~3 hours, so recording
 * is O(1) with a fixed footprint however many samples arrive, percentiles are within 1 % of the
 * true value, and recorders from several processes merge by adding their counts.
 */

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs … ~3 h */
const BUCKETS = Math.ceil(Math.log(1e10) / LOG_GROWTH) + 1;

export type LatencySummary = {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
};

export type SerializedRecorder = { counts: [number, number][]; count: number; sum: number; min: number; max: number };

export class LatencyRecorder {
  #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  /** one sample, in milliseconds */
  record(ms: number): void {
    const us = Math.max(1, ms * 1000);
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH));
    this.#counts[index]! += 1;
    this.#count += 1;
    this.#sum += ms;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
  }

  get count(): number {
    return this.#count;
  }

  /** the value (ms) at quantile q (0…1): the upper edge of the bucket holding it, capped by the max seen */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, GROWTH ** (i + 1) / 1000);
    }
    return this.#max;
  }

  summary(): LatencySummary {
    return {
      count: this.#count,
      min: this.#count ? this.#min : 0,
      mean: this.#count ? this.#sum / this.#count : 0,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.#max,
    };
  }

  merge(other: LatencyRecorder | SerializedRecorder): void {
    const data = other instanceof LatencyRecorder ? other.serialize() : other;
    for (const [index, n] of data.counts) this.#counts[index]! += n;
    this.#count += data.count;
    this.#sum += data.sum;
    if (data.count > 0) {
      this.#min = Math.min(this.#min, data.min);
      this.#max = Math.max(this.#max, data.max);
    }
  }

  /** a compact JSON form (only the non-empty buckets) for sending between processes */
  serialize(): SerializedRecorder {
    const counts: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.#counts[i]! > 0) counts.push([i, this.#counts[i]!]);
    return { counts, count: this.#count, sum: this.#sum, min: this.#min, max: this.#max };
  }

  static from(data: SerializedRecorder): LatencyRecorder {
    const r = new LatencyRecorder();
    r.merge(data);
    return r;
  }
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const fmt = (ms: number, digits = 2) => ms.toFixed(digits);

/** a plain fixed-width table */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
