import { describe, expect, it } from 'vitest';
import { StateArgumentError } from '../checked.ts';
import { backendFor, type BackendHarness } from './harness.ts';

export function argumentContract(harness: BackendHarness) {
  describe(`argument checks (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('rejects programming errors with StateArgumentError before touching the store', async () => {
      const bad: [string, () => Promise<unknown>][] = [
        ['empty snapshot key', () => opened.state.snapshots.read('')],
        ['negative version', () => opened.state.snapshots.write('k', 'x', -1)],
        ['fractional version', () => opened.state.snapshots.write('k', 'x', 1.5)],
        ['NaN ttl', () => opened.state.snapshots.write('k', 'x', 0, Number.NaN)],
        ['non-string data', () => opened.state.snapshots.write('k', { a: 1 } as unknown as string, 0)],
        ['replace creating a snapshot', () => opened.state.snapshots.replace('k', 'x', 0)],
        ['zero lock ttl', () => opened.state.locks.acquire('k', 0, 0)],
        ['zero idempotency ttl', () => opened.state.idempotency.claim('k', 0)],
        ['zero window', () => opened.state.rateLimiter.hit('k', 1, 0)],
        ['invalid date', () => opened.state.timers.schedule('t', new Date('nope'), 'x')],
        ['missing inbox id', () => opened.state.inbox.accept('c', { id: '', payload: 'x' })],
        ['overlong key', () => opened.state.idempotency.claim('k'.repeat(2_000), 60)],
      ];
      for (const [what, call] of bad) {
        await expect(call(), what).rejects.toBeInstanceOf(StateArgumentError);
      }
    });
  });
}
