import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../testing.ts';
import { crashSuite, FAST_RECOVERY } from './contract/crash.ts';
import { createStateBackend } from './index.ts';

// A process is SIGKILLed (no close, no flush) holding accepted messages and timers — once between
// turns, once in the middle of a timer handler. The next process must lose nothing and fire once.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

crashSuite({
  name: 'redis',
  async setup() {
    const keyPrefix = `zc:${randomUUID().slice(0, 8)}:`;
    return {
      childConfig: { redisUrl: REDIS_URL, keyPrefix, timers: FAST_RECOVERY },
      open: () => createStateBackend({ redisUrl: REDIS_URL, keyPrefix, timers: FAST_RECOVERY }),
      async cleanup() {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      },
    };
  },
});

const pgDatabases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.allSettled(pgDatabases.map((d) => d.close()));
});

crashSuite({
  name: 'embedded/PostgreSQL',
  async setup() {
    const database = await createTestDatabase('postgres');
    pgDatabases.push(database);
    const keyPrefix = `c${randomUUID().slice(0, 8)}:`;
    const databaseUrl = postgresAdminUrl(database.name);
    return {
      childConfig: { databaseUrl, keyPrefix, timers: FAST_RECOVERY },
      open: async () => {
        const opened = await openDatabase({ databaseUrl, dataDir: tmpdir(), migrate: false, poolSize: 2 });
        const state = await createStateBackend({ db: opened.db, keyPrefix, timers: FAST_RECOVERY });
        return { ...state, close: async () => (await state.close(), await opened.close()) };
      },
      cleanup: async () => {},
    };
  },
});
