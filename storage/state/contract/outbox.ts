import { describe, expect, it } from 'vitest';
import type { StateBackend } from '../types.ts';
import { sleep, uniqueKey, type BackendHarness } from './harness.ts';

export function outboxContract(harness: BackendHarness) {
  describe(`RecordOutbox (${harness.name})`, () => {
    // each test has its own namespace: take() sees every entry of its namespace
    const withEnv = async (run: (open: () => Promise<StateBackend>) => Promise<void>) => {
      const env = await harness.env();
      try {
        await run(() => env.open());
      } finally {
        await env.cleanup();
      }
    };

    it('an ack with a record queues it once; take hands it out, done removes it', async () => {
      await withEnv(async (open) => {
        const state = await open();
        try {
          const conv = uniqueKey('tg');
          expect(await state.outbox.take(10, 60_000)).toEqual([]);
          await state.inbox.accept(conv, { id: 'm1', payload: 'one' });
          await state.inbox.accept(conv, { id: 'm2', payload: 'two' });
          await state.inbox.ack(conv, 'm1', 'record of m1');
          // a second ack of the same item (a retry) queues nothing more
          await state.inbox.ack(conv, 'm1', 'record of m1 again');
          // an ack without a record queues nothing
          await state.inbox.ack(conv, 'm2');
          expect(await state.outbox.size()).toBe(1);
          const taken = await state.outbox.take(10, 60_000);
          expect(taken.map((e) => e.data)).toEqual(['record of m1']);
          // taken is not done: still queued
          expect(await state.outbox.size()).toBe(1);
          // taken and not done: no one else gets it before reclaimMs
          expect(await state.outbox.take(10, 60_000)).toEqual([]);
          await state.outbox.done(taken.map((e) => e.id));
          expect(await state.outbox.take(10, 1)).toEqual([]);
          expect(await state.outbox.size()).toBe(0);
        } finally {
          await state.close();
        }
      });
    });

    it('hands entries out oldest first, at most `max` at a time, byte-exact', async () => {
      await withEnv(async (open) => {
        const state = await open();
        try {
          const conv = uniqueKey('wa');
          const record = (i: number) => JSON.stringify({ i, text: 'Диван «Аура» — 150 000 ₸ 🛋️', quote: `'"\\` });
          for (let i = 0; i < 5; i++) {
            await state.inbox.accept(conv, { id: `m${i}`, payload: String(i) });
            await state.inbox.ack(conv, `m${i}`, record(i));
          }
          const first = await state.outbox.take(3, 60_000);
          const second = await state.outbox.take(3, 60_000);
          expect([...first, ...second].map((e) => e.data)).toEqual([0, 1, 2, 3, 4].map(record));
          expect(first).toHaveLength(3);
          await state.outbox.done([...first, ...second].map((e) => e.id));
        } finally {
          await state.close();
        }
      });
    });

    it('an entry whose relay died comes back after reclaimMs; records survive a restart', async () => {
      await withEnv(async (open) => {
        const first = await open();
        const conv = uniqueKey('tg');
        await first.inbox.accept(conv, { id: 'm1', payload: 'one' });
        await first.inbox.ack(conv, 'm1', 'kept');
        expect((await first.outbox.take(10, 100)).map((e) => e.data)).toEqual(['kept']);
        await first.close(); // the relay "dies" without done

        const second = await open();
        try {
          expect(await second.outbox.take(10, 100)).toEqual([]);
          await sleep(250);
          const again = await second.outbox.take(10, 100);
          expect(again.map((e) => e.data)).toEqual(['kept']);
          await second.outbox.done(again.map((e) => e.id));
          await sleep(250);
          expect(await second.outbox.take(10, 100)).toEqual([]);
        } finally {
          await second.close();
        }
      });
    });

    it("namespaces do not see each other's records", async () => {
      const a = await harness.env();
      const b = await harness.env();
      const stateA = await a.open();
      const stateB = await b.open();
      try {
        await stateA.inbox.accept('tg:1', { id: 'm', payload: 'x' });
        await stateA.inbox.ack('tg:1', 'm', 'from a');
        expect(await stateB.outbox.take(10, 60_000)).toEqual([]);
        const taken = await stateA.outbox.take(10, 60_000);
        expect(taken.map((e) => e.data)).toEqual(['from a']);
        await stateA.outbox.done(taken.map((e) => e.id));
      } finally {
        await stateA.close();
        await stateB.close();
        await a.cleanup();
        await b.cleanup();
      }
    });
  });
}
