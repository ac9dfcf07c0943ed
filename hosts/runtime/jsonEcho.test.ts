import { describe, expect, it } from 'vitest';
import { JsonEcho } from './jsonEcho.ts';

describe('JsonEcho', () => {
  it('recalls a value by the exact text it was written as, once', () => {
    const echo = new JsonEcho<{ n: number }>(10);
    const value = { n: 1 };
    const text = echo.remember(JSON.stringify(value), value);
    expect(echo.recall(`${text} `)).toBeUndefined();
    expect(echo.recall(text)).toBe(value);
    expect(echo.recall(text)).toBeUndefined();
  });

  it('forgets the oldest past its size', () => {
    const echo = new JsonEcho<number>(2);
    for (const n of [1, 2, 3]) echo.remember(String(n), n);
    expect([echo.recall('1'), echo.recall('2'), echo.recall('3')]).toEqual([undefined, 2, 3]);
  });
});
