import { describe, expect, it } from 'vitest';
import type { StateBackend } from '../types.ts';
import { backendFor, uniqueKey, type BackendHarness } from './harness.ts';

/** how many queued records carry `data`; takes and marks done everything queued */
async function takeRecords(state: StateBackend, data: string): Promise<number> {
  const queued = await state.outbox.take(100, 60_000);
  await state.outbox.done(queued.map((e) => e.id));
  return queued.filter((e) => e.data === data).length;
}

export function gateContract(harness: BackendHarness) {
  describe(`TurnGate (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('enter takes the lock and reads the head; advance acknowledges and reads the next; the last advance releases', async () => {
      const { state } = opened;
      const conv = uniqueKey('tg');
      await state.inbox.accept(conv, { id: 'm1', payload: 'one' });
      await state.inbox.accept(conv, { id: 'm2', payload: 'two' });
      await state.snapshots.write(conv, 'snap-1', 0);
      const gate = await state.gate.enter(conv, 5_000, 0);
      expect(gate).toBeDefined();
      expect(gate!.item).toEqual({ id: 'm1', payload: 'one' });
      expect(gate!.snapshot).toEqual({ version: 1, data: 'snap-1' });
      // held: nobody else gets in
      expect(await state.gate.enter(conv, 5_000, 0)).toBeUndefined();
      expect(await state.locks.acquire(conv, 5_000, 0)).toBeUndefined();

      await state.snapshots.write(conv, 'snap-2', 1);
      const second = await gate!.advance('m1', 'record of m1 (enter)');
      expect(second).toEqual({
        item: { id: 'm2', payload: 'two' },
        snapshot: { version: 2, data: 'snap-2' },
        released: false,
      });
      expect(await state.gate.enter(conv, 5_000, 0)).toBeUndefined();

      const last = await gate!.advance('m2');
      expect(last.released).toBe(true);
      expect(last.item).toBeUndefined();
      expect(await state.inbox.peek(conv)).toBeUndefined();
      expect(await state.inbox.pendingConversations()).not.toContain(conv);
      // released: the next one gets in at once, with a higher fencing token
      const next = await state.gate.enter(conv, 5_000, 0);
      expect(next).toBeDefined();
      expect(next!.lease.token).toBeGreaterThan(gate!.lease.token);
      expect(next!.item).toBeUndefined();
      expect(await next!.lease.release()).toBe(true);
      // the record of m1 was queued by its acknowledgement, once
      expect(await takeRecords(state, 'record of m1 (enter)')).toBe(1);
    });

    it('acceptAndEnter: an idle conversation is accepted into and entered in one step; a busy one only accepted; a duplicate neither', async () => {
      const { state } = opened;
      const conv = uniqueKey('tg');
      await state.snapshots.write(conv, 'snap', 0);
      const first = await state.gate.acceptAndEnter(conv, { id: 'm1', payload: 'one' }, 5_000);
      expect(first.outcome).toBe('accepted');
      expect(first.turnstile).toMatchObject({
        item: { id: 'm1', payload: 'one' },
        snapshot: { version: 1, data: 'snap' },
      });
      // the lock is held by the first: the next message is queued behind it, no turnstile
      const second = await state.gate.acceptAndEnter(conv, { id: 'm2', payload: 'two' }, 5_000);
      expect(second).toEqual({ outcome: 'accepted' });
      expect(await state.locks.acquire(conv, 5_000, 0)).toBeUndefined();
      // a redelivery is a duplicate, queued or not, and takes nothing
      expect(await state.gate.acceptAndEnter(conv, { id: 'm1', payload: 'one' }, 5_000)).toEqual({
        outcome: 'duplicate',
      });
      expect(await state.gate.acceptAndEnter(conv, { id: 'm2', payload: 'two' }, 5_000)).toEqual({
        outcome: 'duplicate',
      });

      const turnstile = first.turnstile!;
      expect(await turnstile.advance('m1', 'record of m1 (acceptAndEnter)')).toMatchObject({
        item: { id: 'm2', payload: 'two' },
        released: false,
      });
      expect((await turnstile.advance('m2')).released).toBe(true);
      expect(await state.inbox.pendingConversations()).not.toContain(conv);
      // acknowledged ids stay known: a late redelivery is still a duplicate
      expect(await state.gate.acceptAndEnter(conv, { id: 'm1', payload: 'one' }, 5_000)).toEqual({
        outcome: 'duplicate',
      });
      expect(await state.inbox.peek(conv)).toBeUndefined();
      // the fencing token grows across both ways in
      const again = await state.gate.acceptAndEnter(conv, { id: 'm3', payload: 'three' }, 5_000);
      expect(again.turnstile!.lease.token).toBeGreaterThan(turnstile.lease.token);
      expect((await again.turnstile!.advance('m3')).released).toBe(true);
      expect(await takeRecords(state, 'record of m1 (acceptAndEnter)')).toBe(1);
    });

    it('enter on an empty conversation holds the lock with nothing to do; a waiting enter gets in when it is released', async () => {
      const { state } = opened;
      const conv = uniqueKey('wa');
      const first = await state.gate.enter(conv, 5_000, 0);
      expect(first).toMatchObject({ item: undefined, snapshot: undefined });
      const waiting = state.gate.enter(conv, 5_000, 2_000);
      await new Promise((r) => setTimeout(r, 50));
      await state.inbox.accept(conv, { id: 'late', payload: 'late' });
      expect(await first!.lease.release()).toBe(true);
      const second = await waiting;
      expect(second?.item).toEqual({ id: 'late', payload: 'late' });
      expect((await second!.advance('late')).released).toBe(true);
    });

    it("an advance after the lock was lost acknowledges but leaves the new holder's lock alone", async () => {
      const { state } = opened;
      const conv = uniqueKey('tg');
      await state.inbox.accept(conv, { id: 'x', payload: 'x' });
      const stale = await state.gate.enter(conv, 100, 0);
      await new Promise((r) => setTimeout(r, 250));
      const holder = await state.locks.acquire(conv, 5_000, 0);
      expect(holder).toBeDefined();
      expect((await stale!.advance('x')).item).toBeUndefined();
      expect(await state.locks.acquire(conv, 5_000, 0)).toBeUndefined();
      expect(await holder!.release()).toBe(true);
    });
  });
}
