import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createStateBackend, type DueTimer, type StateBackend } from '../index.ts';
import { eventually } from '../contract/harness.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Timers an older version left as BullMQ delayed jobs (made here as that version made them: a job
 * per schedule, a pointer key naming the live one) fire after an upgrade, once, and leave no keys.
 */
describe('timers left by the BullMQ timer queue', () => {
  const prefix = `zt-legacy:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL);
  let state: StateBackend | undefined;
  afterEach(async () => {
    await state?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  async function legacySchedule(queue: Queue, id: string, dueAt: number, payload: string) {
    const jobId = `${Buffer.from(id).toString('base64url')}.${randomUUID()}`;
    await queue.add('timer', { id, payload, dueAt }, { jobId, delay: Math.max(0, dueAt - Date.now()) });
    await redis.set(`${prefix}timer:${id}`, jobId);
  }

  it('are taken over at start: due ones fire with their payload, an id scheduled anew keeps its new timer', async () => {
    const queue = new Queue('timers', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}bull` });
    await legacySchedule(queue, 'tg:almaty:1|idle:3', Date.now() - 1_000, '{"kind":"idle"}');
    await legacySchedule(queue, 'tg:almaty:2|sla:1', Date.now() + 3_600_000, 'later');
    await legacySchedule(queue, 'tg:almaty:3|idle:1', Date.now() - 1_000, 'stale');
    await queue.close();

    state = await createStateBackend({ redisUrl: REDIS_URL, keyPrefix: prefix, timers: { pollMs: 50 } });
    await state.timers.schedule('tg:almaty:3|idle:1', new Date(Date.now() - 500), 'current');
    const fired: DueTimer[] = [];
    await state.timers.start(async (t) => void fired.push(t));
    await eventually('the due timers', () => fired.length === 2);
    expect(fired.map((t) => `${t.id}=${t.payload}`).sort()).toEqual([
      'tg:almaty:1|idle:3={"kind":"idle"}',
      'tg:almaty:3|idle:1=current',
    ]);
    expect(await redis.keys(`${prefix}bull:*`)).toEqual([]);
    expect(await redis.keys(`${prefix}timer:*`)).toEqual([]);
    // the later one is a timer of the new queue now
    expect(await redis.zscore(`${prefix}timers:due`, 'tg:almaty:2|sla:1')).not.toBeNull();
  });
});
