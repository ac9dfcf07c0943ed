import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateBackend } from '../types.ts';
import { sleep, uniqueKey, type BackendHarness, type StateEnv } from './harness.ts';

export function idempotencyContract(harness: BackendHarness) {
  describe(`IdempotencyStore (${harness.name})`, () => {
    let env: StateEnv;
    let state: StateBackend;
    beforeAll(async () => {
      env = await harness.env();
      state = await env.open();
    });
    afterAll(async () => {
      await state?.close();
      await env?.cleanup();
    });

    it('claims a key once; other keys are independent', async () => {
      const key = uniqueKey('update');
      expect(await state.idempotency.claim(key, 60)).toBe(true);
      expect(await state.idempotency.claim(key, 60)).toBe(false);
      expect(await state.idempotency.claim(uniqueKey('update'), 60)).toBe(true);
    });

    it('lets exactly one of 30 concurrent claims win', async () => {
      const key = uniqueKey('wamid');
      const results = await Promise.all(Array.from({ length: 30 }, () => state.idempotency.claim(key, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('can be claimed again after its TTL', async () => {
      const key = uniqueKey('update');
      expect(await state.idempotency.claim(key, 0.3)).toBe(true);
      expect(await state.idempotency.claim(key, 0.3)).toBe(false);
      await sleep(450);
      expect(await state.idempotency.claim(key, 60)).toBe(true);
      expect(await state.idempotency.claim(key, 60)).toBe(false);
    });
  });
}
