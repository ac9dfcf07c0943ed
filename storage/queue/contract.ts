import { afterEach, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../state/contract/harness.ts';
import {
  PermanentSendError,
  RetryLaterError,
  type OutboundMessage,
  type ProactiveSendQueue,
  type SendQueueOptions,
} from './types.ts';

export type SendQueueHarness = {
  name: string;
  /** queues opened by one env share storage (Redis: one key prefix) */
  env(): { open(options: SendQueueOptions): Promise<ProactiveSendQueue>; cleanup(): Promise<void> };
  /** queued messages survive close() and are sent by the next queue on the same storage */
  durable: boolean;
};

type Sent = { id: string; rateKey: string; payload: string; attempt: number; at: number };

export function sendQueueContract(harness: SendQueueHarness) {
  describe(`ProactiveSendQueue (${harness.name})`, () => {
    const opened: ProactiveSendQueue[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    async function fresh(options: SendQueueOptions = {}) {
      const env = harness.env();
      cleanups.push(env.cleanup);
      const open = async (o: SendQueueOptions = options) => {
        const q = await env.open(o);
        opened.push(q);
        return q;
      };
      return { open, queue: await open() };
    }
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((q) => q.close()));
      await Promise.allSettled(cleanups.splice(0).map((c) => c()));
    });
    const msg = (id: string, rateKey = 'whatsapp:100', payload = `{"to":"${id}"}`): OutboundMessage => ({
      id,
      rateKey,
      payload,
    });
    const recorder = (sent: Sent[]) => async (m: OutboundMessage, attempt: number) => {
      sent.push({ ...m, attempt, at: Date.now() });
    };

    it('sends every message once, including those queued before start', async () => {
      const { queue } = await fresh();
      const sent: Sent[] = [];
      expect(await queue.enqueue(msg('a1'))).toBe('queued');
      expect(await queue.enqueue(msg('a2', 'telegram:bot'))).toBe('queued');
      await queue.start(recorder(sent));
      for (const id of ['a3', 'a4', 'a5']) await queue.enqueue(msg(id));
      await eventually('all sent', () => sent.length === 5);
      await sleep(200);
      expect(sent.map((s) => s.id).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
      expect(sent.find((s) => s.id === 'a2')).toMatchObject({
        rateKey: 'telegram:bot',
        payload: '{"to":"a2"}',
        attempt: 1,
      });
    });

    it('drops a duplicate id', async () => {
      const { queue } = await fresh();
      const sent: Sent[] = [];
      await queue.start(recorder(sent));
      const results = await Promise.all([
        queue.enqueue(msg('dup')),
        queue.enqueue(msg('dup')),
        queue.enqueue(msg('dup')),
      ]);
      expect(results.filter((r) => r === 'queued')).toHaveLength(1);
      await eventually('sent', () => sent.length === 1);
      await sleep(200);
      expect(await queue.enqueue(msg('dup'))).toBe('duplicate');
      expect(sent).toHaveLength(1);
    });

    it('keeps each rate key within its window, independently of other keys', async () => {
      const windowMs = 400;
      const { queue } = await fresh({
        rate: (key) => (key === 'slow' ? { limit: 3, windowMs } : { limit: 100, windowMs }),
      });
      const sent: Sent[] = [];
      for (let i = 0; i < 10; i++) await queue.enqueue(msg(`s${i}`, 'slow'));
      for (let i = 0; i < 3; i++) await queue.enqueue(msg(`f${i}`, 'fast'));
      await queue.start(recorder(sent));
      await eventually('all sent', () => sent.length === 13, 20_000);
      const slow = sent
        .filter((s) => s.rateKey === 'slow')
        .map((s) => s.at)
        .sort((a, b) => a - b);
      // at most `limit` sends in any window (tolerance for timer jitter between booking and sending)
      for (let i = 0; i + 3 < slow.length; i++) expect(slow[i + 3]! - slow[i]!).toBeGreaterThanOrEqual(windowMs * 0.75);
      // the fast key did not queue behind the slow one
      const lastFast = Math.max(...sent.filter((s) => s.rateKey === 'fast').map((s) => s.at));
      expect(lastFast).toBeLessThan(slow[slow.length - 1]!);
    });

    it('retries a failing send with backoff and counts attempts', async () => {
      const { queue } = await fresh({ backoffMs: 50 });
      const attempts: number[] = [];
      await queue.start(async (_m, attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error('graph api 500');
      });
      await queue.enqueue(msg('flaky'));
      await eventually('third attempt', () => attempts.length === 3, 15_000);
      await sleep(300);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('honours RetryLaterError', async () => {
      const { queue } = await fresh({ backoffMs: 60_000 });
      const attempts: number[] = [];
      await queue.start(async (_m, attempt) => {
        attempts.push(attempt);
        if (attempt === 1) throw new RetryLaterError(100);
      });
      await queue.enqueue(msg('throttled'));
      await eventually('retry after the hinted delay, not the long backoff', () => attempts.length === 2, 10_000);
    });

    it('dead-letters a permanent failure at once and an exhausted one after all attempts', async () => {
      const { queue } = await fresh({ attempts: 3, backoffMs: 30 });
      const tries = new Map<string, number>();
      const dead: { id: string; attempts: number; error: string }[] = [];
      await queue.start(
        async (m) => {
          tries.set(m.id, (tries.get(m.id) ?? 0) + 1);
          if (m.id === 'blocked') throw new PermanentSendError('user blocked the bot');
          throw new Error('always down');
        },
        (m, error, attempts) => {
          dead.push({ id: m.id, attempts, error: (error as Error).message });
        },
      );
      await queue.enqueue(msg('blocked'));
      await queue.enqueue(msg('down'));
      await eventually('both dead-lettered', () => dead.length === 2, 15_000);
      await sleep(300);
      expect(tries.get('blocked')).toBe(1);
      expect(tries.get('down')).toBe(3);
      expect(dead.find((d) => d.id === 'blocked')).toMatchObject({ attempts: 1, error: 'user blocked the bot' });
      expect(dead.find((d) => d.id === 'down')).toMatchObject({ attempts: 3, error: 'always down' });
    });

    it('stop() holds messages until the next start', async () => {
      const { queue } = await fresh();
      const sent: Sent[] = [];
      await queue.start(recorder(sent));
      await queue.stop();
      await queue.enqueue(msg('held'));
      await sleep(250);
      expect(sent).toEqual([]);
      await queue.start(recorder(sent));
      await eventually('sent after start', () => sent.length === 1);
    });

    if (harness.durable) {
      it('sends after a restart what was queued before it', async () => {
        const { queue, open } = await fresh();
        await queue.enqueue(msg('survivor'));
        await queue.close();
        const next = await open();
        const sent: Sent[] = [];
        await next.start(recorder(sent));
        await eventually('sent by the new process', () => sent.length === 1);
        expect(sent[0]?.id).toBe('survivor');
      });
    }
  });
}
