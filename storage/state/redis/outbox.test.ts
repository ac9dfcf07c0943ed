import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { openRedis } from './connection.ts';
import { recordStream, redisInbox } from './inbox.ts';
import { redisOutbox } from './outbox.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `zt:outbox:${randomUUID().slice(0, 8)}:`;
const redis = openRedis(REDIS_URL);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const consumers = async () =>
  ((await redis.xinfo('CONSUMERS', recordStream(prefix), 'relay')) as unknown[][]).map((f) => ({
    name: String(f[1]),
    pending: Number(f[3]),
  }));

it('removes consumers of ended processes that hold nothing; keeps those with pending records', async () => {
  const inbox = redisInbox(redis, prefix);
  for (const id of ['a', 'b']) {
    await inbox.accept('tg:1', { id, payload: id });
    await inbox.ack('tg:1', id, `record ${id}`);
  }
  // two earlier processes: one finished its records, one died holding one
  const others = [openRedis(REDIS_URL), openRedis(REDIS_URL)];
  try {
    const finished = redisOutbox(others[0]!, prefix);
    const died = redisOutbox(others[1]!, prefix);
    const done = await finished.take(1, 60_000);
    await finished.done(done.map((e) => e.id));
    const [finishedName] = (await consumers()).map((c) => c.name);
    expect(await died.take(1, 60_000)).toHaveLength(1);
    const diedName = (await consumers()).find((c) => c.name !== finishedName)!.name;

    await new Promise((r) => setTimeout(r, 50));
    const current = redisOutbox(redis, prefix, { staleConsumerMs: 20, sweepEveryMs: 0 });
    expect(await current.take(10, 60_000)).toEqual([]);
    const left = (await consumers()).map((c) => c.name);
    expect(left).not.toContain(finishedName);
    // the dead process's record is still held: its consumer stays until the record is reclaimed
    expect(left).toContain(diedName);
  } finally {
    for (const client of others) client.disconnect();
  }
});
