import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from '../types.ts';
import { guard } from './connection.ts';
import { lua } from './script.ts';

/**
 * Sliding-window log in a sorted set, timed by the Redis clock so every replica agrees.
 * Only allowed hits are recorded, so a client hammering a closed window does not extend it.
 * KEYS[1] log; ARGV limit, windowMs, member → {allowed, remaining, resetMs}
 */
const HIT = lua(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local reset = 0
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
local remaining = limit - count
if remaining < 0 then remaining = 0 end
return {allowed, remaining, reset}
`);

export function redisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async hit(key, limit, windowMs): Promise<RateDecision> {
      const [allowed, remaining, resetMs] = (await guard('rate limit', () =>
        HIT(
          redis,
          [`${prefix}rate:${key}`],
          [Math.max(0, Math.floor(limit)), Math.max(1, Math.ceil(windowMs)), randomUUID()],
        ),
      )) as [number, number, number];
      return { allowed: allowed === 1, remaining, resetMs: Math.max(0, resetMs) };
    },
  };
}
