import type { StateBackend } from '../types.ts';
import { StateUnavailableError } from '../errors.ts';
import { openRedis, type RedisTuning } from './connection.ts';
import { redisGate } from './gate.ts';
import { redisIdempotency } from './idempotency.ts';
import { redisInbox, type RedisInboxOptions } from './inbox.ts';
import { redisLocks } from './locks.ts';
import { redisOutbox } from './outbox.ts';
import { redisPubSub } from './pubsub.ts';
import { redisRateLimiter } from './rate-limiter.ts';
import { redisSnapshots } from './snapshots.ts';
import { redisTimers, type RedisTimerOptions } from './timers.ts';

export type RedisBackendOptions = RedisTuning & {
  redisUrl: string;
  keyPrefix: string;
  inbox?: RedisInboxOptions;
  timers?: RedisTimerOptions;
};

export async function createRedisBackend(options: RedisBackendOptions): Promise<StateBackend> {
  const redis = openRedis(options.redisUrl, options);
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StateUnavailableError(`redis: cannot reach ${redactUrl(options.redisUrl)}`, { cause: error });
  }
  const prefix = options.keyPrefix;
  const pubsub = redisPubSub(redis, prefix);
  const timers = redisTimers(redis, prefix, options.timers);
  let closed = false;
  return {
    kind: 'redis',
    snapshots: redisSnapshots(redis, prefix),
    locks: redisLocks(redis, prefix),
    idempotency: redisIdempotency(redis, prefix),
    rateLimiter: redisRateLimiter(redis, prefix),
    pubsub,
    timers,
    inbox: redisInbox(redis, prefix, options.inbox),
    outbox: redisOutbox(redis, prefix),
    gate: redisGate(redis, prefix, options.inbox),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([timers.close(), pubsub.close()]);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'redis';
  }
}
