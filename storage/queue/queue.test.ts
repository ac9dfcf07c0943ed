import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { sendQueueContract } from './contract.ts';
import { createProactiveSendQueue } from './index.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

sendQueueContract({
  name: 'in-process',
  durable: false,
  env: () => ({ open: (options) => createProactiveSendQueue(options), cleanup: async () => {} }),
});

sendQueueContract({
  name: 'redis/BullMQ',
  durable: true,
  env() {
    const keyPrefix = `zq:${randomUUID().slice(0, 8)}:`;
    return {
      open: (options) => createProactiveSendQueue({ ...options, redisUrl: REDIS_URL, keyPrefix }),
      async cleanup() {
        const redis = new Redis(REDIS_URL);
        try {
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
  },
});

// the embedded default: the in-process queue journalled in the database, on PGlite and PostgreSQL
for (const kind of TEST_BACKENDS) {
  // opened on first use: starting PGlite while another suite's timing test runs would skew it
  let opening: Promise<TestDatabase> | undefined;
  const database = () => (opening ??= createTestDatabase(kind));
  afterAll(async () => (opening ? (await opening).close() : undefined));
  sendQueueContract({
    name: `embedded/${kind}`,
    durable: true,
    env() {
      const namespace = `zq-${randomUUID().slice(0, 8)}:`;
      return {
        open: async (options) => createProactiveSendQueue({ ...options, db: (await database()).db, namespace }),
        cleanup: async () => {},
      };
    },
  });
}
