import { describe, expect, it } from 'vitest';
import { LatencyRecorder, median, table } from './latency.ts';

describe('LatencyRecorder', () => {
  it('reports percentiles within 1 % of the exact value', () => {
    const r = new LatencyRecorder();
    const xs = Array.from({ length: 10_000 }, (_, i) => 0.05 + (i % 1000) * 0.37);
    for (const x of xs) r.record(x);
    const sorted = [...xs].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      expect(Math.abs(r.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.011);
    }
    const s = r.summary();
    expect(s.count).toBe(10_000);
    expect(s.max).toBeCloseTo(sorted.at(-1)!, 6);
    expect(s.min).toBeCloseTo(0.05, 6);
  });

  it('merges across processes through its serialized form', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(i);
    const merged = LatencyRecorder.from(JSON.parse(JSON.stringify(a.serialize())));
    merged.merge(b);
    expect(merged.count).toBe(100);
    expect(merged.quantile(0.5)).toBeGreaterThanOrEqual(49.5);
    expect(merged.quantile(0.5)).toBeLessThanOrEqual(50.6);
    expect(new LatencyRecorder().summary().p99).toBe(0);
  });

  it('median and table helpers', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(table(['a', 'b'], [['x', 1]]).split('\n')).toHaveLength(3);
  });
});
