import type { Redis } from 'ioredis';
import { lua } from '../state/redis/script.ts';
import type { RateRule } from './types.ts';

/*
 * Send-slot reservation, an exact sliding window: the k-th send of a key may go no earlier than
 * (k - limit)-th send + window. Only the last `limit` slot times are kept. Reserving hands out the
 * earliest allowed time and books it, so a backlog is spread over future windows in one step
 * instead of retrying against a closed window.
 */

export function memorySlots(now: () => number = () => Date.now()) {
  const books = new Map<string, number[]>();
  return {
    /** ms from now until this send may go (0 = now) */
    reserve(key: string, rule: RateRule): number {
      const t = now();
      let slots = books.get(key);
      if (!slots) {
        slots = [];
        books.set(key, slots);
      }
      while (slots.length > rule.limit) slots.shift();
      const at = slots.length >= rule.limit ? Math.max(t, (slots[0] as number) + rule.windowMs) : t;
      slots.push(at);
      if (slots.length > rule.limit) slots.shift();
      return at - t;
    },
    /** drops books whose last slot is a window in the past */
    sweep(maxWindowMs: number) {
      const t = now();
      for (const [key, slots] of books) {
        const last = slots[slots.length - 1];
        if (last === undefined || last + maxWindowMs < t) books.delete(key);
      }
    },
  };
}

// KEYS[1] slot list; ARGV limit, windowMs → delay ms
const RESERVE = lua(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('LTRIM', KEYS[1], -limit, -1)
local at = now
if redis.call('LLEN', KEYS[1]) >= limit then
  local first = tonumber(redis.call('LINDEX', KEYS[1], 0))
  if first + window > at then at = first + window end
end
redis.call('RPUSH', KEYS[1], at)
redis.call('LTRIM', KEYS[1], -limit, -1)
redis.call('PEXPIRE', KEYS[1], at - now + window)
return at - now
`);

export async function reserveRedisSlot(redis: Redis, key: string, rule: RateRule): Promise<number> {
  return Number(
    await RESERVE(redis, [key], [Math.max(1, Math.floor(rule.limit)), Math.max(1, Math.ceil(rule.windowMs))]),
  );
}
