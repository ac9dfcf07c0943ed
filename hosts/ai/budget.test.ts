import { afterEach, describe, expect, it } from 'vitest';
import type { StateBackend } from '../../storage/state/index.ts';
import { dailyModelBudget, localDate } from './budget.ts';
import type { AiOperation } from './ports.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';

/** The daily model-call budget on the state store's limiter, embedded and Redis. */

const backends = eachStateBackend('budget');

describe('localDate', () => {
  it('is the date in the zone, and in UTC for a missing or unknown zone', () => {
    const at = new Date('2026-12-06T19:30:00Z');
    expect(localDate(at, 'Asia/Almaty')).toBe('2026-12-07');
    expect(localDate(at, undefined)).toBe('2026-12-06');
    expect(localDate(at, 'Mars/Olympus')).toBe('2026-12-06');
  });
});

describe.each(backends)('dailyModelBudget on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  afterEach(async () => state?.close());

  async function budget(zones: Record<string, string>) {
    state = await open();
    let now = new Date('2026-12-06T18:58:00Z');
    const calls: string[] = [];
    const refused: string[] = [];
    const b = dailyModelBudget({
      limiter: state.rateLimiter,
      timeZoneOf: (city) => zones[city],
      now: () => now,
      onCall: (city, op) => calls.push(`${city}/${op}`),
      onExhausted: (city, op) => refused.push(`${city}/${op}`),
    });
    return { b, calls, refused, setNow: (iso: string) => (now = new Date(iso)) };
  }

  it('lets a city make perDay calls, refuses the rest of its day, and starts again at its midnight', async () => {
    const { b, calls, refused, setNow } = await budget({ almaty: 'Asia/Almaty' });
    const take = (city: string, op: AiOperation = 'understand') => b.take(city, op, 2);
    expect([
      await take('almaty'),
      await take('almaty', 'describeImage'),
      await take('almaty', 'transcribe'),
      await take('almaty'),
    ]).toEqual([true, true, false, false]);
    // another city has a budget of its own (and no zone: its day is the UTC day)
    expect(await take('astana')).toBe(true);
    expect(calls).toEqual(['almaty/understand', 'almaty/describeImage', 'astana/understand']);
    expect(refused).toEqual(['almaty/transcribe', 'almaty/understand']);

    // 00:01 in Almaty (UTC+5) is a new day there; still the same day in UTC
    setNow('2026-12-06T19:01:00Z');
    expect(await take('almaty')).toBe(true);
    expect([await take('astana'), await take('astana')]).toEqual([true, false]);
  });

  it('0 is no budget: every call goes through and is counted', async () => {
    const { b, calls, refused } = await budget({});
    for (let i = 0; i < 5; i++) expect(await b.take('almaty', 'understand', 0)).toBe(true);
    expect(calls).toHaveLength(5);
    expect(refused).toEqual([]);
  });
});
