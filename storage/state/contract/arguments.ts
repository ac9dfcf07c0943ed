import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateArgumentError } from '../checked.ts';
import type { StateBackend } from '../types.ts';
import type { BackendHarness, StateEnv } from './harness.ts';

export function argumentContract(harness: BackendHarness) {
  describe(`argument checks (${harness.name})`, () => {
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

    it('rejects programming errors with StateArgumentError before touching the store', async () => {
      const bad: [string, () => Promise<unknown>][] = [
        ['empty snapshot key', () => state.snapshots.read('')],
        ['negative version', () => state.snapshots.write('k', 'x', -1)],
        ['fractional version', () => state.snapshots.write('k', 'x', 1.5)],
        ['NaN ttl', () => state.snapshots.write('k', 'x', 0, Number.NaN)],
        ['non-string data', () => state.snapshots.write('k', { a: 1 } as unknown as string, 0)],
        ['zero lock ttl', () => state.locks.acquire('k', 0, 0)],
        ['zero idempotency ttl', () => state.idempotency.claim('k', 0)],
        ['zero window', () => state.rateLimiter.hit('k', 1, 0)],
        ['invalid date', () => state.timers.schedule('t', new Date('nope'), 'x')],
        ['missing inbox id', () => state.inbox.accept('c', { id: '', payload: 'x' })],
        ['overlong key', () => state.idempotency.claim('k'.repeat(2_000), 60)],
      ];
      for (const [what, call] of bad) {
        await expect(call(), what).rejects.toBeInstanceOf(StateArgumentError);
      }
    });
  });
}
