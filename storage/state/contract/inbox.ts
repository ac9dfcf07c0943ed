import { describe, expect, it } from 'vitest';
import { backendFor, uniqueKey, type BackendHarness } from './harness.ts';

export function inboxContract(harness: BackendHarness) {
  describe(`Inbox (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('accepts, dedups, and hands items out in arrival order until acknowledged', async () => {
      const conv = uniqueKey('telegram:almaty');
      expect(await opened.state.inbox.peek(conv)).toBeUndefined();
      expect(await opened.state.inbox.accept(conv, { id: 'u1', payload: 'one' })).toBe('accepted');
      expect(await opened.state.inbox.accept(conv, { id: 'u2', payload: 'two' })).toBe('accepted');
      expect(await opened.state.inbox.accept(conv, { id: 'u1', payload: 'one again' })).toBe('duplicate');
      expect(await opened.state.inbox.accept(conv, { id: 'u3', payload: 'three' })).toBe('accepted');
      expect(await opened.state.inbox.peek(conv)).toEqual({ id: 'u1', payload: 'one' });
      expect(await opened.state.inbox.peek(conv)).toEqual({ id: 'u1', payload: 'one' });
      await opened.state.inbox.ack(conv, 'u1');
      expect(await opened.state.inbox.peek(conv)).toEqual({ id: 'u2', payload: 'two' });
      await opened.state.inbox.ack(conv, 'u2');
      await opened.state.inbox.ack(conv, 'u2');
      expect(await opened.state.inbox.peek(conv)).toEqual({ id: 'u3', payload: 'three' });
      await opened.state.inbox.ack(conv, 'u3');
      expect(await opened.state.inbox.peek(conv)).toBeUndefined();
      // a webhook redelivered after its turn was processed is still a duplicate
      expect(await opened.state.inbox.accept(conv, { id: 'u2', payload: 'two' })).toBe('duplicate');
      expect(await opened.state.inbox.peek(conv)).toBeUndefined();
    });

    it('the same id in another conversation is a different item', async () => {
      const a = uniqueKey('wa');
      const b = uniqueKey('wa');
      expect(await opened.state.inbox.accept(a, { id: 'wamid.1', payload: 'a' })).toBe('accepted');
      expect(await opened.state.inbox.accept(b, { id: 'wamid.1', payload: 'b' })).toBe('accepted');
      expect(await opened.state.inbox.peek(b)).toEqual({ id: 'wamid.1', payload: 'b' });
      await opened.state.inbox.ack(a, 'wamid.1');
      await opened.state.inbox.ack(b, 'wamid.1');
    });

    it('lets exactly one of 20 concurrent deliveries of one id in', async () => {
      const conv = uniqueKey('tg');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => opened.state.inbox.accept(conv, { id: 'same', payload: `p${i}` })),
      );
      expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
      await opened.state.inbox.ack(conv, 'same');
      expect(await opened.state.inbox.peek(conv)).toBeUndefined();
    });

    it('acknowledging an item behind the head removes just that item', async () => {
      const conv = uniqueKey('tg');
      await opened.state.inbox.accept(conv, { id: 'm1', payload: '1' });
      await opened.state.inbox.accept(conv, { id: 'm2', payload: '2' });
      await opened.state.inbox.ack(conv, 'm2');
      expect(await opened.state.inbox.peek(conv)).toEqual({ id: 'm1', payload: '1' });
      await opened.state.inbox.ack(conv, 'm1');
      expect(await opened.state.inbox.peek(conv)).toBeUndefined();
    });

    it('lists conversations with unacknowledged items, also after a restart', async () => {
      const isolated = await harness.env();
      const first = await isolated.open();
      try {
        const a = uniqueKey('telegram:astana');
        const b = uniqueKey('whatsapp:shymkent');
        expect(await first.inbox.pendingConversations()).toEqual([]);
        await first.inbox.accept(a, { id: '1', payload: 'a1' });
        await first.inbox.accept(a, { id: '2', payload: 'a2' });
        await first.inbox.accept(b, { id: '1', payload: 'b1' });
        expect((await first.inbox.pendingConversations()).sort()).toEqual([a, b].sort());
        await first.inbox.ack(b, '1');
        expect(await first.inbox.pendingConversations()).toEqual([a]);
        await first.close();

        const second = await isolated.open();
        try {
          expect(await second.inbox.pendingConversations()).toEqual([a]);
          expect(await second.inbox.peek(a)).toEqual({ id: '1', payload: 'a1' });
          expect(await second.inbox.accept(a, { id: '1', payload: 'again' })).toBe('duplicate');
          await second.inbox.ack(a, '1');
          await second.inbox.ack(a, '2');
          expect(await second.inbox.pendingConversations()).toEqual([]);
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
        await isolated.cleanup();
      }
    });

    it('keeps payloads byte-exact', async () => {
      const conv = uniqueKey('tg');
      const payload = JSON.stringify({ text: 'Диван «Аура» — 150 000 ₸ 🛋️', nul: '\u0000'.length, quote: `'"\\` });
      await opened.state.inbox.accept(conv, { id: 'x', payload });
      expect((await opened.state.inbox.peek(conv))?.payload).toBe(payload);
      await opened.state.inbox.ack(conv, 'x');
    });
  });
}
