import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConversationLock, Lease } from '../types.ts';
import { guard } from './connection.ts';
import { lua } from './script.ts';

// Fencing counters outlive any lease by far; they expire only after a long idle spell so
// abandoned conversations do not leak keys forever.
export const FENCE_IDLE_MS = 7 * 24 * 3600 * 1000;
export const lockKeys = (prefix: string, key: string) => ({
  lock: `${prefix}lock:${key}`,
  fence: `${prefix}fence:${key}`,
});

// KEYS lock, fence; ARGV owner, ttlMs, fenceIdleMs → {1, fence} | {0, pttl}
const ACQUIRE = lua(`
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('PTTL', KEYS[1])} end
local fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, fence}
`);
const RELEASE = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
const EXTEND = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tries `attempt` until it takes the lock or `waitMs` passed. `attempt` answers the lock's value
 * or, when someone else holds it, the holder's remaining milliseconds (≤ 0 if unknown).
 */
export async function pollForLock<T>(
  waitMs: number,
  attempt: () => Promise<{ taken: T } | { holderLeftMs: number }>,
): Promise<T | undefined> {
  const deadline = Date.now() + Math.max(0, waitMs);
  let backoff = 2;
  for (;;) {
    const outcome = await attempt();
    if ('taken' in outcome) return outcome.taken;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    // poll with a short, growing backoff; never sleep past the holder's expiry or our deadline
    const holderLeft = outcome.holderLeftMs > 0 ? outcome.holderLeftMs : backoff;
    await sleep(Math.max(1, Math.min(backoff, holderLeft, left)));
    backoff = Math.min(backoff * 2, 50);
  }
}

export function redisLocks(redis: Redis, prefix: string): ConversationLock {
  return {
    async acquire(key, ttlMs, waitMs) {
      const { lock: lockKey, fence: fenceKey } = lockKeys(prefix, key);
      const owner = randomUUID();
      return pollForLock(waitMs, async () => {
        const [ok, value] = (await guard('lock acquire', () =>
          ACQUIRE(redis, [lockKey, fenceKey], [owner, Math.max(1, Math.ceil(ttlMs)), FENCE_IDLE_MS]),
        )) as [number, number];
        return ok === 1 ? { taken: lease(redis, lockKey, owner, value) } : { holderLeftMs: value };
      });
    },
  };
}

export function lease(redis: Redis, lockKey: string, owner: string, token: number): Lease {
  return {
    token,
    async release() {
      return (await guard('lock release', () => RELEASE(redis, [lockKey], [owner]))) === 1;
    },
    async extend(ttlMs) {
      return (await guard('lock extend', () => EXTEND(redis, [lockKey], [owner, Math.max(1, Math.ceil(ttlMs))]))) === 1;
    },
  };
}
