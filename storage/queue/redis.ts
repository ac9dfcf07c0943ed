import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { StateUnavailableError } from '../state/errors.ts';
import { bullConnection, guard, openRedis, redisOptions, type RedisTuning } from '../state/redis/connection.ts';
import { reserveRedisSlot } from './slots.ts';
import {
  PermanentSendError,
  retryDelay,
  ruleFor,
  type DeadLetterHandler,
  type OutboundMessage,
  type ProactiveSendQueue,
  type SendQueueOptions,
} from './types.ts';

type SendJob = {
  message: OutboundMessage /** attemptsMade for which a send slot is already booked */;
  slotFor?: number;
};

export type RedisSendQueueOptions = SendQueueOptions &
  RedisTuning & {
    redisUrl: string;
    keyPrefix?: string;
    /** sends in flight per process, default 16 */
    concurrency?: number;
  };

/**
 * BullMQ queue shared by all replicas. OSS BullMQ only limits a whole queue, so the per-key limit
 * is ours: before sending, a job books a slot in the key's sliding window (Lua, Redis clock); if the
 * slot is in the future the job is parked as delayed until then, without spending an attempt.
 */
export async function redisSendQueue(options: RedisSendQueueOptions): Promise<ProactiveSendQueue> {
  const prefix = options.keyPrefix ?? 'zeta:';
  const redis = openRedis(options.redisUrl, options);
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StateUnavailableError('redis: cannot reach the send queue', { cause: error });
  }
  const base = bullConnection(options.redisUrl, options);
  const commandTimeout = redisOptions(options).commandTimeout ?? 2_000;
  const queue = new Queue<SendJob>('proactive', {
    connection: { ...base, maxRetriesPerRequest: 1, commandTimeout },
    prefix: `${prefix}bull`,
  });
  queue.on('error', () => {});
  const attempts = options.attempts ?? 6;
  const dedupMs = Math.ceil((options.dedupSeconds ?? 24 * 3600) * 1000);
  const callTimeout = 2 * commandTimeout + 500;
  let worker: Worker<SendJob> | undefined;
  const stop = async () => {
    const current = worker;
    worker = undefined;
    await current?.close();
  };

  return {
    async enqueue(message) {
      return guard(
        'send enqueue',
        async () => {
          const seen = `${prefix}sendq:seen:${message.id}`;
          if ((await redis.set(seen, '1', 'PX', dedupMs, 'NX')) !== 'OK') return 'duplicate' as const;
          try {
            await queue.add(
              'send',
              { message: { id: message.id, rateKey: message.rateKey, payload: message.payload } },
              { attempts, backoff: { type: 'zeta' }, removeOnComplete: true, removeOnFail: { count: 1_000 } },
            );
          } catch (error) {
            await redis.del(seen).catch(() => 0);
            throw error;
          }
          return 'queued' as const;
        },
        callTimeout,
      );
    },
    async start(send, onDeadLetter?: DeadLetterHandler) {
      if (worker) throw new Error('send queue already started');
      const created = new Worker<SendJob>(
        'proactive',
        async (job: Job<SendJob>, token?: string) => {
          const { message } = job.data;
          if (job.data.slotFor !== job.attemptsMade) {
            const delay = await reserveRedisSlot(
              redis,
              `${prefix}sendq:slots:${message.rateKey}`,
              ruleFor(options, message.rateKey),
            );
            if (delay > 0) {
              await job.updateData({ ...job.data, slotFor: job.attemptsMade });
              await job.moveToDelayed(Date.now() + delay, token);
              throw new DelayedError();
            }
          }
          try {
            await send(message, job.attemptsMade + 1);
          } catch (error) {
            if (error instanceof PermanentSendError) throw new UnrecoverableError(error.message);
            throw error;
          }
        },
        {
          connection: base,
          prefix: `${prefix}bull`,
          concurrency: options.concurrency ?? 16,
          autorun: false,
          settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelay(options, attemptsMade, error) },
        },
      );
      created.on('error', () => {});
      created.on('failed', (job, error) => {
        if (!job || !onDeadLetter) return;
        if (
          error instanceof UnrecoverableError ||
          error.name === 'UnrecoverableError' ||
          job.attemptsMade >= attempts
        ) {
          void Promise.resolve(onDeadLetter(job.data.message, error, job.attemptsMade)).catch(() => {});
        }
      });
      worker = created;
      void created.run().catch(() => {});
      await guard('send worker start', () => created.waitUntilReady().then(() => undefined), 10_000);
    },
    stop,
    async close() {
      await stop();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
