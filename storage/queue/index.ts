import { memoryPeriodicJobs, redisPeriodicJobs, type PeriodicJobs } from './periodic.ts';
import type { Kysely } from 'kysely';
import { databaseSendQueue } from './database.ts';
import { memorySendQueue } from './embedded.ts';
import { redisSendQueue, type RedisSendQueueOptions } from './redis.ts';
import type { ProactiveSendQueue, SendQueueOptions } from './types.ts';

export * from './types.ts';
export { memorySendQueue } from './embedded.ts';
export { databaseSendQueue, type DatabaseSendQueueOptions } from './database.ts';
export { redisSendQueue, type RedisSendQueueOptions } from './redis.ts';

export type ProactiveSendQueueOptions = SendQueueOptions & Partial<Omit<RedisSendQueueOptions, keyof SendQueueOptions>>;

/**
 * BullMQ-backed when `redisUrl` is given (shared by replicas); otherwise in-process, journalled in
 * `db` when given (the embedded default: nothing queued is lost to a crash), in memory only without.
 */
export async function createProactiveSendQueue<DB>(
  options: ProactiveSendQueueOptions & { db?: Kysely<DB>; namespace?: string } = {},
): Promise<ProactiveSendQueue> {
  const { redisUrl, db, namespace, ...rest } = options;
  if (redisUrl) return redisSendQueue({ ...rest, redisUrl });
  if (db) return databaseSendQueue(db, { ...rest, ...(namespace ? { namespace } : {}) });
  return memorySendQueue(rest);
}

export {
  memoryPeriodicJobs,
  redisPeriodicJobs,
  type PeriodicJobs,
  type Tick,
  type RedisPeriodicOptions,
} from './periodic.ts';

/** Once-per-tick across replicas with Redis; a timer in this process otherwise. */
export async function createPeriodicJobs(
  options: { redisUrl?: string; keyPrefix?: string; commandTimeoutMs?: number } = {},
): Promise<PeriodicJobs> {
  const { redisUrl, ...rest } = options;
  if (redisUrl) return redisPeriodicJobs({ ...rest, redisUrl });
  return memoryPeriodicJobs();
}
