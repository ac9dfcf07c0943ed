import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DueTimer, TimerQueue } from '../types.ts';
import { guard } from './connection.ts';
import { takeOverLegacyTimers } from './legacyTimers.ts';
import { lua } from './script.ts';

export type RedisTimerOptions = {
  /** how often due timers are looked for (a schedule() in this process also wakes the poll for its timer) */
  pollMs?: number;
  /** a claimed timer whose handler neither finished nor failed (its process died) is handed out again after this */
  claimMs?: number;
  /** first retry delay after the handler threw, doubling each attempt (default 1000 ms) */
  retryDelayMs?: number;
  /** handler runs of one timer before it is dropped (default 8) */
  attempts?: number;
  /** timers claimed per poll */
  batch?: number;
};

// The queue is two keys: `due`, a sorted set of timer ids by the time each is next looked at (its
// due time, the end of a claim, or a retry), and `data`, a hash of id → the timer as JSON with a
// generation `g`; `tries` counts failed runs. A run finishes (or fails) only the generation it
// claimed, so a timer scheduled again while its old self runs is neither lost nor swallowed.

// KEYS due, data, tries; ARGV id, dueMs, stored
const SCHEDULE = lua(`
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`);

// KEYS due, data; ARGV id, dueMs, stored → a timer only when the id has none (taking over older timers)
const ADOPT = lua(`
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
return 1
`);

// KEYS due, data, tries; ARGV id
const CANCEL = lua(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`);

// KEYS due, data; ARGV now, claimUntil, batch → {id, stored, id, stored, …}; a timer with no data is dropped
const CLAIM = lua(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local stored = redis.call('HGET', KEYS[2], id)
  if stored then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = stored
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
`);

// KEYS due, data, tries; ARGV id, stored → 1 when that generation was removed
const DONE = lua(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`);

// KEYS due, data, tries; ARGV id, stored, now, baseDelayMs, attempts → 1 retried, -1 dropped, 0 not that generation
const RETRY = lua(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
local n = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
if n >= tonumber(ARGV[5]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return -1
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]) * 2 ^ (n - 1), ARGV[1])
return 1
`);

/** A timer as the `data` hash holds it. */
type StoredTimer = { p: string; d: number; g: string };

function readTimer(id: string, stored: string): DueTimer | undefined {
  try {
    const { p, d } = JSON.parse(stored) as Partial<StoredTimer>;
    return typeof p === 'string' && typeof d === 'number' ? { id, payload: p, dueAt: new Date(d) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Engine timers on a few Redis keys, polled by every process that started them (as the embedded
 * backend polls its table). Scheduling and cancelling are one small script each, so a turn's
 * timer changes share the round trip of its snapshot write; firing is at least once — a claim
 * that outlives its process is handed out again — and retried with back-off when the handler throws.
 */
export function redisTimers(
  redis: Redis,
  prefix: string,
  options: RedisTimerOptions = {},
): TimerQueue & { close(): Promise<void> } {
  const keys = [`${prefix}timers:due`, `${prefix}timers:data`, `${prefix}timers:tries`];
  const pollMs = options.pollMs ?? 500;
  const claimMs = options.claimMs ?? 30_000;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const attempts = options.attempts ?? 8;
  const batch = options.batch ?? 32;

  let handler: ((timer: DueTimer) => Promise<void>) | undefined;
  let interval: NodeJS.Timeout | undefined;
  let wake: NodeJS.Timeout | undefined;
  let wakeAt = Infinity;
  let polling: Promise<void> | undefined;
  let again = false;
  const running = new Set<Promise<void>>();

  /** a timer as `data` holds it, with a generation of its own */
  const encode = (dueAt: Date, payload: string) =>
    JSON.stringify({ p: payload, d: dueAt.getTime(), g: randomUUID() } satisfies StoredTimer);

  async function fire(id: string, stored: string): Promise<void> {
    const current = handler;
    const timer = readTimer(id, stored);
    if (!current || !timer) return;
    let failed = false;
    try {
      await current(timer);
    } catch {
      failed = true;
    }
    // when Redis is away for these, the claim runs out and the timer is handed out again (at least once)
    if (failed) await RETRY(redis, keys, [id, stored, Date.now(), retryDelayMs, attempts]).catch(() => undefined);
    else await DONE(redis, keys, [id, stored]).catch(() => undefined);
  }

  async function pollOnce(): Promise<void> {
    do {
      again = false;
      let claimed: string[];
      try {
        const now = Date.now();
        claimed = (await CLAIM(redis, keys.slice(0, 2), [now, now + claimMs, batch])) as string[];
      } catch {
        return; // Redis briefly unavailable: the next poll retries
      }
      for (let i = 0; i + 1 < claimed.length; i += 2) {
        const job = fire(claimed[i]!, claimed[i + 1]!).finally(() => running.delete(job));
        running.add(job);
      }
      if (claimed.length / 2 === batch) again = true;
    } while (again && handler);
  }

  function poll(): Promise<void> {
    if (!handler) return Promise.resolve();
    if (polling) {
      again = true;
      return polling;
    }
    polling = pollOnce().finally(() => {
      polling = undefined;
    });
    return polling;
  }

  /** a timer scheduled here that falls due before the next poll is looked for when it does */
  function wakeBy(dueAt: Date) {
    if (!handler) return;
    const at = dueAt.getTime();
    if (at >= wakeAt || at - Date.now() >= pollMs) return;
    if (wake) clearTimeout(wake);
    wakeAt = at;
    wake = setTimeout(
      () => {
        wake = undefined;
        wakeAt = Infinity;
        void poll();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    wake.unref();
  }

  async function stop(): Promise<void> {
    handler = undefined;
    if (interval) clearInterval(interval);
    if (wake) clearTimeout(wake);
    interval = wake = undefined;
    wakeAt = Infinity;
    await polling;
    await Promise.allSettled([...running]);
  }

  return {
    async schedule(id, dueAt, payload) {
      await guard('timer schedule', () => SCHEDULE(redis, keys, [id, dueAt.getTime(), encode(dueAt, payload)]));
      wakeBy(dueAt);
    },
    async cancel(id) {
      await guard('timer cancel', () => CANCEL(redis, keys, [id]));
    },
    async start(fn) {
      if (handler) throw new Error('timer queue already started');
      // timers an older version left as BullMQ jobs become timers of this queue
      await guard(
        'timer take-over',
        () =>
          takeOverLegacyTimers(redis, prefix, (id, dueAt, payload) =>
            ADOPT(redis, keys.slice(0, 2), [id, dueAt.getTime(), encode(dueAt, payload)]).then(() => undefined),
          ),
        30_000,
      );
      handler = fn;
      interval = setInterval(() => void poll(), pollMs);
      interval.unref();
      await poll();
    },
    stop,
    async close() {
      await stop();
    },
  };
}
