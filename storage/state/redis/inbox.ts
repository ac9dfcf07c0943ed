import type { Redis } from 'ioredis';
import type { Inbox, InboxItem } from '../types.ts';
import { guard } from './connection.ts';
import { lua } from './script.ts';

/*
 * Per conversation: a list of item ids in arrival order, a hash id → payload, and a "seen" key per
 * id that outlives the ack (so a webhook redelivered after processing is still a duplicate).
 * A set holds the conversations with unacknowledged items, for recovery after a restart.
 */

// KEYS order, data, seen, pending; ARGV id, payload, conversation, dedupMs
const ACCEPT = lua(`
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
if not redis.call('SET', KEYS[3], '1', 'PX', ARGV[4], 'NX') then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[3])
return 1
`);
// KEYS order, data → {id, payload} | {}
const PEEK = lua(`
local id = redis.call('LINDEX', KEYS[1], 0)
if not id then return {} end
return {id, redis.call('HGET', KEYS[2], id)}
`);
// KEYS order, data, pending, records; ARGV id, conversation, record ('' = none)
const ACK = lua(`
local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
if removed == 1 and ARGV[3] ~= '' then redis.call('XADD', KEYS[4], '*', 'd', ARGV[3]) end
return removed
`);

export const recordStream = (prefix: string) => `${prefix}records`;
export const inboxKeys = (prefix: string) => ({
  pending: `${prefix}inbox:pending`,
  order: (c: string) => `${prefix}inbox:{${c}}:order`,
  data: (c: string) => `${prefix}inbox:{${c}}:data`,
  seen: (c: string, id: string) => `${prefix}inbox:{${c}}:seen:${id}`,
});

export type RedisInboxOptions = { dedupSeconds?: number };
/** how long a message id stays known after its acknowledgement, so a redelivered webhook is a duplicate */
export const DEFAULT_DEDUP_SECONDS = 7 * 24 * 3600;

export function redisInbox(redis: Redis, prefix: string, options: RedisInboxOptions = {}): Inbox {
  const dedupMs = Math.ceil((options.dedupSeconds ?? DEFAULT_DEDUP_SECONDS) * 1000);
  const { pending, order, data, seen } = inboxKeys(prefix);
  return {
    async accept(conversationKey, item) {
      const reply = await guard('inbox accept', () =>
        ACCEPT(
          redis,
          [order(conversationKey), data(conversationKey), seen(conversationKey, item.id), pending],
          [item.id, item.payload, conversationKey, dedupMs],
        ),
      );
      return reply === 1 ? 'accepted' : 'duplicate';
    },
    async peek(conversationKey): Promise<InboxItem | undefined> {
      const reply = (await guard('inbox peek', () =>
        PEEK(redis, [order(conversationKey), data(conversationKey)], []),
      )) as (string | null)[];
      const [id, payload] = reply;
      if (id == null || payload == null) return undefined;
      return { id, payload };
    },
    async ack(conversationKey, id, record) {
      await guard('inbox ack', () =>
        ACK(
          redis,
          [order(conversationKey), data(conversationKey), pending, recordStream(prefix)],
          [id, conversationKey, record ?? ''],
        ),
      );
    },
    async pendingConversations() {
      return guard('inbox pending', () => redis.smembers(pending));
    },
  };
}
