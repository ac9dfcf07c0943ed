import { describe, expect, it } from 'vitest';
import { fromMinorUnits, toMinorUnits } from './money.ts';

describe('money in minor units', () => {
  it('parses decimal text and numbers exactly', () => {
    expect(toMinorUnits('15000.00')).toBe(1_500_000);
    expect(toMinorUnits('15000.5')).toBe(1_500_050);
    expect(toMinorUnits('15000,05')).toBe(1_500_005);
    expect(toMinorUnits('15000')).toBe(1_500_000);
    expect(toMinorUnits(0.1 + 0.2)).toBe(30);
    expect(toMinorUnits('1.230')).toBe(123);
  });
  it('refuses what is not an amount', () => {
    for (const bad of ['', '-1', '1.234', 'abc', '1e5', '１２']) expect(toMinorUnits(bad)).toBeUndefined();
    expect(toMinorUnits(Number.NaN)).toBeUndefined();
  });
  it('prints minor units back as decimal text', () => {
    expect(fromMinorUnits(1_500_050)).toBe('15000.50');
    expect(fromMinorUnits(5)).toBe('0.05');
  });
});
