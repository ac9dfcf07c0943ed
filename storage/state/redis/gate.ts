import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConversationHead, StoredSnapshot, TurnGate, Turnstile } from '../types.ts';
import { guard } from './connection.ts';
import { inboxKeys, recordStream } from './inbox.ts';
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

function head(id: string, payload: string, v: string, d: string): ConversationHead {
  const snapshot: StoredSnapshot | undefined = v !== '' ? { version: Number(v), data: d } : undefined;
  return { item: id !== '' && payload !== '' ? { id, payload } : undefined, snapshot };
}

export function redisGate(redis: Redis, prefix: string): TurnGate {
  const inbox = inboxKeys(prefix);
  return {
    async enter(key, ttlMs, waitMs) {
      const keys = lockKeys(prefix, key);
      const owner = randomUUID();
      return pollForLock(waitMs, async () => {
        const reply = (await guard('turn enter', () =>
          ENTER(redis, [keys.lock, keys.fence, inbox.order(key), inbox.data(key), snapshotKey(prefix, key)], [owner, Math.max(1, Math.ceil(ttlMs)), FENCE_IDLE_MS]),
        )) as [number, number, string?, string?, string?, string?];
        if (reply[0] !== 1) return { holderLeftMs: reply[1] };
        const turnstile: Turnstile = {
          lease: lease(redis, keys.lock, owner, Number(reply[1])),
          ...head(reply[2] ?? '', reply[3] ?? '', reply[4] ?? '', reply[5] ?? ''),
          async advance(id, record) {
            const next = (await guard('turn advance', () =>
              ADVANCE(redis, [inbox.order(key), inbox.data(key), inbox.pending, recordStream(prefix), keys.lock, snapshotKey(prefix, key)], [id, key, record ?? '', owner]),
            )) as [number, string?, string?, string?, string?];
            if (next[0] === 0) return { item: undefined, snapshot: undefined, released: true };
            return { ...head(next[1] ?? '', next[2] ?? '', next[3] ?? '', next[4] ?? ''), released: false };
          },
        };
        return { taken: turnstile };
      });
    },
  };
}
