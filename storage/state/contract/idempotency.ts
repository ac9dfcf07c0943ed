import { describe, expect, it } from 'vitest';
import { backendFor, sleep, uniqueKey, type BackendHarness } from './harness.ts';

export function idempotencyContract(harness: BackendHarness) {
  describe(`IdempotencyStore (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('claims a key once; other keys are independent', async () => {
      const key = uniqueKey('update');
      expect(await opened.state.idempotency.claim(key, 60)).toBe(true);
      expect(await opened.state.idempotency.claim(key, 60)).toBe(false);
      expect(await opened.state.idempotency.claim(uniqueKey('update'), 60)).toBe(true);
    });

    it('lets exactly one of 30 concurrent claims win', async () => {
      const key = uniqueKey('wamid');
      const results = await Promise.all(Array.from({ length: 30 }, () => opened.state.idempotency.claim(key, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('can be claimed again after its TTL', async () => {
      const key = uniqueKey('update');
      expect(await opened.state.idempotency.claim(key, 0.3)).toBe(true);
      expect(await opened.state.idempotency.claim(key, 0.3)).toBe(false);
      await sleep(450);
      expect(await opened.state.idempotency.claim(key, 60)).toBe(true);
      expect(await opened.state.idempotency.claim(key, 60)).toBe(false);
    });
  });
}
