import { describe, expect, it } from 'vitest';
import { afterHours, parseHours, wallTimeAt } from './hours.ts';

const hours = (text: string) => {
  const parsed = parseHours(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.hours;
};
/** 2026-11-26 is a Thursday; Almaty is UTC+5 */
const away = (text: string, at: string) => afterHours(hours(text), at, wallTimeAt(at, 300));

describe("managers' hours", () => {
  it('reads days, ranges of days, daily, several ranges, closed; rejects what a shop door would not say', () => {
    expect(hours('mon-fri 09:00-20:00; sat 10:00-18:00')[5]).toEqual([{ from: 600, to: 1080 }]);
    expect(hours('mon-fri 09:00-20:00; sat 10:00-18:00')[6]).toEqual([]);
    expect(hours('daily 09:00-13:00, 14:00-18:00')[3]).toEqual([
      { from: 540, to: 780 },
      { from: 840, to: 1080 },
    ]);
    expect(hours('Mon-Sun 00:00-24:00; sun closed')[6]).toEqual([{ from: 0, to: 1440 }]);
    for (const bad of [
      '',
      'weekdays 09:00-18:00',
      'fri-mon 09:00-18:00',
      'mon 9-18',
      'mon 20:00-09:00',
      'mon 09:00-25:00',
    ]) {
      expect(parseHours(bad).ok, bad).toBe(false);
    }
  });

  it('in hours: null; before opening: today; after closing: the next open day, its date', () => {
    expect(away('mon-fri 09:00-20:00', '2026-11-26T10:00:00Z')).toBeNull();
    expect(away('mon-fri 09:00-20:00', '2026-11-26T02:30:00Z')).toEqual({
      opensAt: '2026-11-26T04:00:00.000Z',
      inDays: 0,
      time: '09:00',
      date: '26.11',
    });
    expect(away('mon-fri 09:00-20:00', '2026-11-26T15:00:20Z')).toEqual({
      opensAt: '2026-11-27T04:00:00.000Z',
      inDays: 1,
      time: '09:00',
      date: '27.11',
    });
    // Friday evening → Monday
    expect(away('mon-fri 09:00-20:00', '2026-11-27T16:00:00Z')).toMatchObject({
      inDays: 3,
      date: '30.11',
      opensAt: '2026-11-30T04:00:00.000Z',
    });
    // the lunch break: back at 14:00 today
    expect(away('daily 09:00-13:00, 14:00-18:00', '2026-11-26T08:30:00Z')).toMatchObject({ inDays: 0, time: '14:00' });
    // the time zone decides the day: 23:30 UTC on Wednesday is Thursday 04:30 in Almaty
    expect(
      afterHours(hours('thu 09:00-18:00'), '2026-11-25T23:30:00Z', wallTimeAt('2026-11-25T23:30:00Z', 300)),
    ).toMatchObject({ inDays: 0, date: '26.11' });
  });

  it('no hours: always in; a week with no hours at all promises no time', () => {
    expect(afterHours(null, '2026-11-26T10:00:00Z', wallTimeAt('2026-11-26T10:00:00Z', 300))).toBeNull();
    expect(away('sun closed', '2026-11-26T10:00:00Z')).toBeNull();
  });
});
