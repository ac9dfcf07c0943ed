import type { Redis } from 'ioredis';
import type { IdempotencyStore } from '../types.ts';
import { guard } from './connection.ts';

export function redisIdempotency(redis: Redis, prefix: string): IdempotencyStore {
  return {
    async claim(key, ttlSeconds) {
      const ttlMs = Math.max(1, Math.ceil(ttlSeconds * 1000));
      const reply = await guard('idempotency claim', () => redis.set(`${prefix}idem:${key}`, '1', 'PX', ttlMs, 'NX'));
      return reply === 'OK';
    },
  };
}
