import { describe, expect, it } from 'vitest';
import { axisTicks, funnelRows } from './chartScale.ts';

const distinct = (xs: number[]) => new Set(xs).size === xs.length;

describe('axisTicks', () => {
  it('counts get whole, distinct ticks even when the largest value is 1', () => {
    expect(axisTicks(1, { integer: true })).toEqual([0, 1]);
    expect(axisTicks(2, { integer: true })).toEqual([0, 1, 2]);
    expect(axisTicks(3, { integer: true })).toEqual([0, 1, 2, 3]);
    expect(axisTicks(7, { integer: true })).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(9, { integer: true })).toEqual([0, 2, 4, 6, 8, 10]);
    expect(axisTicks(12, { integer: true })).toEqual([0, 5, 10, 15]);
    expect(axisTicks(101, { integer: true })).toEqual([0, 50, 100, 150]);
    expect(axisTicks(1_234, { integer: true })).toEqual([0, 500, 1_000, 1_500]);
  });

  it('an empty chart still has an axis', () => {
    expect(axisTicks(0, { integer: true })).toEqual([0, 1]);
    expect(axisTicks(Number.NaN)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('fractions are round and exact (no 0.30000000000000004)', () => {
    expect(axisTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(axisTicks(2_500, { maxIntervals: 4 })).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it('always reaches the maximum with few, distinct, evenly spaced ticks', () => {
    for (let max = 1; max <= 5_000; max += 7) {
      for (const integer of [true, false]) {
        const ticks = axisTicks(max, { integer });
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
        expect(ticks.length).toBeLessThanOrEqual(6);
        expect(distinct(ticks)).toBe(true);
        const step = ticks[1]! - ticks[0]!;
        expect(/^(0\.0*[125]|[125]0*)$/.test(String(step))).toBe(true);
        if (integer) expect(ticks.every(Number.isInteger)).toBe(true);
      }
    }
  });
});

describe('funnelRows', () => {
  it('bars are shares of the widest step: never wider than the track', () => {
    const rows = funnelRows([
      { label: 'shoppers', value: 1 },
      { label: 'search', value: 9 },
      { label: 'view', value: 3 },
      { label: 'alert', value: 0 },
    ]);
    expect(rows.map((r) => r.width)).toEqual([1 / 9, 1, 3 / 9, 0]);
    expect(rows.map((r) => r.pct)).toEqual([100, 900, 300, 0]);
  });

  it('an empty funnel has empty bars and no percentages', () => {
    expect(
      funnelRows([
        { label: 'a', value: 0 },
        { label: 'b', value: 0 },
      ]),
    ).toEqual([
      { label: 'a', value: 0, width: 0, pct: undefined },
      { label: 'b', value: 0, width: 0, pct: undefined },
    ]);
    expect(funnelRows([])).toEqual([]);
  });
});
