import { describe, expect, it } from 'vitest';
import { backendFor, sleep, uniqueKey, type BackendHarness } from './harness.ts';

export function rateLimiterContract(harness: BackendHarness) {
  describe(`RateLimiter (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('allows `limit` hits per window, then denies with a reset hint, then allows again', async () => {
      const key = uniqueKey('ip');
      const hits = [];
      for (let i = 0; i < 4; i++) hits.push(await opened.state.rateLimiter.hit(key, 3, 800));
      expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
      expect(hits.map((h) => h.remaining)).toEqual([2, 1, 0, 0]);
      const denied = hits[3]!;
      expect(denied.resetMs).toBeGreaterThan(0);
      expect(denied.resetMs).toBeLessThanOrEqual(800);
      await sleep(denied.resetMs + 60);
      const after = await opened.state.rateLimiter.hit(key, 3, 800);
      expect(after.allowed).toBe(true);
    });

    it('keeps keys apart', async () => {
      const a = uniqueKey('shopper');
      const b = uniqueKey('shopper');
      expect((await opened.state.rateLimiter.hit(a, 1, 10_000)).allowed).toBe(true);
      expect((await opened.state.rateLimiter.hit(a, 1, 10_000)).allowed).toBe(false);
      expect((await opened.state.rateLimiter.hit(b, 1, 10_000)).allowed).toBe(true);
    });

    it('slides: hits leave the window one by one, and denied hits do not count', async () => {
      const key = uniqueKey('ip');
      expect((await opened.state.rateLimiter.hit(key, 2, 700)).allowed).toBe(true);
      await sleep(350);
      expect((await opened.state.rateLimiter.hit(key, 2, 700)).allowed).toBe(true);
      expect((await opened.state.rateLimiter.hit(key, 2, 700)).allowed).toBe(false);
      await sleep(450); // the first hit has left the window, the second has not
      expect((await opened.state.rateLimiter.hit(key, 2, 700)).allowed).toBe(true);
      expect((await opened.state.rateLimiter.hit(key, 2, 700)).allowed).toBe(false);
    });

    it('denies 30 concurrent hits beyond the limit exactly', async () => {
      const key = uniqueKey('burst');
      const results = await Promise.all(
        Array.from({ length: 30 }, () => opened.state.rateLimiter.hit(key, 10, 60_000)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
    });
  });
}
