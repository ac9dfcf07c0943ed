import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createStateBackend, type StateBackend } from '../../../storage/state/index.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis state backend under a unique key prefix; closing it deletes every key it made. */
export async function redisTestState(name: string): Promise<StateBackend> {
  const keyPrefix = `${name}-${randomUUID().slice(0, 8)}:`;
  const state = await createStateBackend({ redisUrl: TEST_REDIS_URL, keyPrefix });
  return {
    ...state,
    kind: state.kind,
    async close() {
      await state.close();
      const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
