import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttlCache.ts';

describe('TtlCache', () => {
  it('remembers values, misses included, until they expire', () => {
    let now = 1_000;
    const cache = new TtlCache<string, number | undefined>(100, 10, () => now);
    cache.set('a', 1);
    cache.set('gone', undefined);
    expect(cache.lookup('a')).toMatchObject({ value: 1 });
    expect(cache.lookup('gone')).toMatchObject({ value: undefined });
    expect(cache.lookup('never')).toBeUndefined();
    now += 100;
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('drops the oldest entry when full; a refreshed entry is young again', () => {
    const cache = new TtlCache<string, number>(1_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')).toMatchObject({ value: 3 });
    expect(cache.lookup('c')).toMatchObject({ value: 4 });
  });

  it('loads through once, and caches nothing when the load fails', async () => {
    const cache = new TtlCache<string, string>(1_000, 10);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.through('k', load)).toBe('v1');
    expect(await cache.through('k', load)).toBe('v1');
    await expect(cache.through('bad', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(cache.lookup('bad')).toBeUndefined();
    cache.clear();
    expect(await cache.through('k', load)).toBe('v2');
  });

  it('refuses a size or ttl that would cache nothing', () => {
    expect(() => new TtlCache(0, 10)).toThrow(RangeError);
    expect(() => new TtlCache(10, 0)).toThrow(RangeError);
  });
});
