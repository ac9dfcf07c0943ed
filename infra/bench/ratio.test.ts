import { describe, expect, it } from 'vitest';
import { cpuPerMessage, keptUp, ratioReport, type Side } from './ratio.ts';

const side = (over: Partial<Side> = {}): Side => ({
  offeredRate: 300,
  answeredRate: 299,
  answered: 3000,
  serverCpuMs: 1500,
  ...over,
});

describe('ratio of the platform to the floor', () => {
  it('divides CPU time by the messages answered', () => {
    expect(cpuPerMessage(side({ serverCpuMs: 1500, answered: 3000 }))).toBe(0.5);
  });

  it('counts a side as keeping up from 99 % of the offered rate', () => {
    expect(keptUp(side({ answeredRate: 297 }))).toBe(true);
    expect(keptUp(side({ answeredRate: 296.9 }))).toBe(false);
    expect(keptUp(side({ offeredRate: 50, answeredRate: 49.5 }))).toBe(true);
  });

  it('prints the platform/floor ratio as its last line and counts a run where both kept up', () => {
    const { lines, ok } = ratioReport(300, side({ serverCpuMs: 2100 }), side({ serverCpuMs: 1500 }));
    expect(ok).toBe(true);
    expect(lines.at(-1)).toBe('platform/floor server CPU per message at 300/s: 1.40× (target ≤ 1.5×)');
    expect(lines.slice(0, 2)).toEqual([
      'platform: 3000 answered, 299.0/s of 300/s offered, server CPU 0.700 ms/msg',
      'floor: 3000 answered, 299.0/s of 300/s offered, server CPU 0.500 ms/msg',
    ]);
  });

  it('does not count a run where either side fell behind, and says which', () => {
    const platformBehind = ratioReport(300, side({ answeredRate: 250 }), side());
    expect(platformBehind.ok).toBe(false);
    expect(platformBehind.lines).toContain(
      'platform answered 83.3 % of the offered rate (< 99 %): saturated, no ratio',
    );
    expect(platformBehind.lines.at(-1)).toBe('platform/floor server CPU per message at 300/s: 1.00× (target ≤ 1.5×)');

    const floorBehind = ratioReport(300, side(), side({ answeredRate: 200 }));
    expect(floorBehind.ok).toBe(false);
    expect(floorBehind.lines.some((l) => l.startsWith('floor answered 66.7 %'))).toBe(true);
  });

  it('prints n/a, not a number, when a side answered nothing', () => {
    const { lines, ok } = ratioReport(300, side({ answered: 0, answeredRate: 0 }), side());
    expect(ok).toBe(false);
    expect(lines.at(-1)).toBe('platform/floor server CPU per message at 300/s: n/a× (target ≤ 1.5×)');
  });
});
