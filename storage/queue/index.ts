import { memoryPeriodicJobs, redisPeriodicJobs, type PeriodicJobs } from './periodic.ts';
import { memorySendQueue } from './embedded.ts';
import { redisSendQueue, type RedisSendQueueOptions } from './redis.ts';
import type { ProactiveSendQueue, SendQueueOptions } from './types.ts';

export * from './types.ts';
export { memorySendQueue } from './embedded.ts';
export { redisSendQueue, type RedisSendQueueOptions } from './redis.ts';

export type ProactiveSendQueueOptions = SendQueueOptions & Partial<Omit<RedisSendQueueOptions, keyof SendQueueOptions>>;

/** BullMQ-backed when `redisUrl` is given (shared by replicas), in-process otherwise. */
export async function createProactiveSendQueue(options: ProactiveSendQueueOptions = {}): Promise<ProactiveSendQueue> {
  const { redisUrl, ...rest } = options;
  if (redisUrl) return redisSendQueue({ ...rest, redisUrl });
  return memorySendQueue(rest);
}

export { memoryPeriodicJobs, redisPeriodicJobs, type PeriodicJobs, type Tick, type RedisPeriodicOptions } from './periodic.ts';

/** Once-per-tick across replicas with Redis; a timer in this process otherwise. */
export async function createPeriodicJobs(
  options: { redisUrl?: string; keyPrefix?: string; commandTimeoutMs?: number } = {},
): Promise<PeriodicJobs> {
  const { redisUrl, ...rest } = options;
  if (redisUrl) return redisPeriodicJobs({ ...rest, redisUrl });
  return memoryPeriodicJobs();
}
