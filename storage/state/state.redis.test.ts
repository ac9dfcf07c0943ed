import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { stateBackendContract } from './contract/index.ts';
import { createStateBackend } from './index.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function deleteByPrefix(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

stateBackendContract({
  name: 'redis',
  crossProcess: true,
  async env() {
    const keyPrefix = `zt:${randomUUID().slice(0, 8)}:`;
    return {
      open: () => createStateBackend({ redisUrl: REDIS_URL, keyPrefix, timers: { retryDelayMs: 200 } }),
      cleanup: () => deleteByPrefix(keyPrefix),
    };
  },
});
