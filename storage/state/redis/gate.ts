import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConversationHead, StoredSnapshot, TurnGate, Turnstile } from '../types.ts';
import { guard } from './connection.ts';
import { DEFAULT_DEDUP_SECONDS, inboxKeys, recordStream } from './inbox.ts';
import { FENCE_IDLE_MS, lease, lockKeys, pollForLock } from './locks.ts';
import { lua } from './script.ts';
import { snapshotKey } from './snapshots.ts';

// The two edges of a turn loop as single scripts over the lock, inbox and snapshot keys (same
// layouts and steps as locks.ts, inbox.ts and snapshots.ts). Missing values come back as ''.

// KEYS lock, fence, order, data, snap; ARGV owner, ttlMs, fenceIdleMs → {0, pttl} | {1, fence, id, payload, v, d}
const ENTER = lua(`
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('PTTL', KEYS[1])} end
local fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local id = redis.call('LINDEX', KEYS[3], 0)
local payload = false
if id then payload = redis.call('HGET', KEYS[4], id) end
local snap = redis.call('HMGET', KEYS[5], 'v', 'd')
return {1, fence, id or '', payload or '', snap[1] or '', snap[2] or ''}
`);

// KEYS order, data, pending, records, lock, snap; ARGV id, conversation, record ('' = none), owner
// → {0} (inbox empty, lock released if ours) | {1, id, payload, v, d}
const ADVANCE = lua(`
local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if removed == 1 and ARGV[3] ~= '' then redis.call('XADD', KEYS[4], '*', 'd', ARGV[3]) end
local id = redis.call('LINDEX', KEYS[1], 0)
if not id then
  redis.call('SREM', KEYS[3], ARGV[2])
  if redis.call('GET', KEYS[5]) == ARGV[4] then redis.call('DEL', KEYS[5]) end
  return {0}
end
local payload = redis.call('HGET', KEYS[2], id)
local snap = redis.call('HMGET', KEYS[6], 'v', 'd')
return {1, id, payload or '', snap[1] or '', snap[2] or ''}
`);

// KEYS order, data, seen, pending, lock, fence, snap; ARGV id, payload, conversation, dedupMs, owner,
// ttlMs, fenceIdleMs → {0} (duplicate) | {1} (accepted; the lock is held) | {2, fence, id, payload, v, d}
// (inbox.ts's ACCEPT, then ENTER when the lock is free)
const ACCEPT_ENTER = lua(`
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {0} end
if not redis.call('SET', KEYS[3], '1', 'PX', ARGV[4], 'NX') then return {0} end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[3])
if redis.call('EXISTS', KEYS[5]) == 1 then return {1} end
local fence = redis.call('INCR', KEYS[6])
redis.call('PEXPIRE', KEYS[6], ARGV[7])
redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[6])
local id = redis.call('LINDEX', KEYS[1], 0)
local payload = redis.call('HGET', KEYS[2], id)
local snap = redis.call('HMGET', KEYS[7], 'v', 'd')
return {2, fence, id, payload or '', snap[1] or '', snap[2] or ''}
`);

function head(id: string, payload: string, v: string, d: string): ConversationHead {
  const snapshot: StoredSnapshot | undefined = v !== '' ? { version: Number(v), data: d } : undefined;
  return { item: id !== '' && payload !== '' ? { id, payload } : undefined, snapshot };
}

export type RedisGateOptions = { dedupSeconds?: number };

export function redisGate(redis: Redis, prefix: string, options: RedisGateOptions = {}): TurnGate {
  const inbox = inboxKeys(prefix);
  const dedupMs = Math.ceil((options.dedupSeconds ?? DEFAULT_DEDUP_SECONDS) * 1000);

  /** the turnstile of a lock taken by `owner`, at the head `[id, payload, v, d]` */
  function turnstile(
    key: string,
    owner: string,
    fence: number,
    [id, payload, v, d]: (string | undefined)[],
  ): Turnstile {
    const keys = lockKeys(prefix, key);
    return {
      lease: lease(redis, keys.lock, owner, fence),
      ...head(id ?? '', payload ?? '', v ?? '', d ?? ''),
      async advance(acked, record) {
        const next = (await guard('turn advance', () =>
          ADVANCE(
            redis,
            [
              inbox.order(key),
              inbox.data(key),
              inbox.pending,
              recordStream(prefix),
              keys.lock,
              snapshotKey(prefix, key),
            ],
            [acked, key, record ?? '', owner],
          ),
        )) as [number, string?, string?, string?, string?];
        if (next[0] === 0) return { item: undefined, snapshot: undefined, released: true };
        return { ...head(next[1] ?? '', next[2] ?? '', next[3] ?? '', next[4] ?? ''), released: false };
      },
    };
  }

  return {
    async enter(key, ttlMs, waitMs) {
      const keys = lockKeys(prefix, key);
      const owner = randomUUID();
      return pollForLock(waitMs, async () => {
        const reply = (await guard('turn enter', () =>
          ENTER(
            redis,
            [keys.lock, keys.fence, inbox.order(key), inbox.data(key), snapshotKey(prefix, key)],
            [owner, Math.max(1, Math.ceil(ttlMs)), FENCE_IDLE_MS],
          ),
        )) as [number, number, string?, string?, string?, string?];
        if (reply[0] !== 1) return { holderLeftMs: reply[1] };
        return { taken: turnstile(key, owner, Number(reply[1]), reply.slice(2) as string[]) };
      });
    },
    async acceptAndEnter(key, item, ttlMs) {
      const keys = lockKeys(prefix, key);
      const owner = randomUUID();
      const reply = (await guard('inbox accept and enter', () =>
        ACCEPT_ENTER(
          redis,
          [
            inbox.order(key),
            inbox.data(key),
            inbox.seen(key, item.id),
            inbox.pending,
            keys.lock,
            keys.fence,
            snapshotKey(prefix, key),
          ],
          [item.id, item.payload, key, dedupMs, owner, Math.max(1, Math.ceil(ttlMs)), FENCE_IDLE_MS],
        ),
      )) as [number, number?, string?, string?, string?, string?];
      if (reply[0] === 0) return { outcome: 'duplicate' };
      if (reply[0] === 1) return { outcome: 'accepted' };
      return { outcome: 'accepted', turnstile: turnstile(key, owner, Number(reply[1]), reply.slice(2) as string[]) };
    },
  };
}
