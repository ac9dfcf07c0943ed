import { randomUUID } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DueTimer, TimerQueue } from '../types.ts';
import { guard } from './connection.ts';
import { lua } from './script.ts';

type TimerJob = { id: string; payload: string; dueAt: number };

export type RedisTimerOptions = {
  /** timers handled in parallel by one process */
  concurrency?: number;
  /** attempts when the handler throws */
  attempts?: number;
  /** first retry delay, doubling each attempt (default 1000 ms) */
  retryDelayMs?: number;
  /** a worker that died mid-handler loses its job lock after this; another worker then re-runs it (default 30 s) */
  lockDurationMs?: number;
  /** how often workers look for such stalled jobs (default 30 s) */
  stalledIntervalMs?: number;
  /** schedule/cancel give up with StateUnavailableError after this (BullMQ waits for a connection) */
  callTimeoutMs?: number;
};

const DELETE_IF = lua(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Engine timers as BullMQ delayed jobs. Each schedule() creates a job whose id is the timer id
 * (base64url, since BullMQ forbids ':') plus a generation; a pointer key names the live generation.
 * Replacing or cancelling moves the pointer and removes the old job; a job whose generation is no
 * longer the pointer is skipped, which also covers the job that was already running and could not
 * be removed. The pointer is deleted only after the handler succeeded, so a re-run is a no-op.
 */
export function redisTimers(
  redis: Redis,
  prefix: string,
  queueConnection: ConnectionOptions,
  workerConnection: ConnectionOptions,
  options: RedisTimerOptions = {},
): TimerQueue & { close(): Promise<void> } {
  const bullPrefix = `${prefix}bull`;
  const queue = new Queue<TimerJob>('timers', { connection: queueConnection, prefix: bullPrefix });
  queue.on('error', () => {});
  let worker: Worker<TimerJob> | undefined;
  const callTimeout = options.callTimeoutMs ?? 5_000;
  const pointer = (id: string) => `${prefix}timer:${id}`;

  async function removeJob(jobId: string): Promise<void> {
    // a running job cannot be removed; the pointer check makes it a no-op instead
    await queue.remove(jobId).catch(() => 0);
  }

  return {
    async schedule(id, dueAt, payload) {
      const jobId = `${Buffer.from(id).toString('base64url')}.${randomUUID()}`;
      await guard(
        'timer schedule',
        async () => {
          await queue.add(
            'timer',
            { id, payload, dueAt: dueAt.getTime() },
            {
              jobId,
              delay: Math.max(0, dueAt.getTime() - Date.now()),
              attempts: options.attempts ?? 8,
              backoff: { type: 'exponential', delay: options.retryDelayMs ?? 1_000 },
              removeOnComplete: true,
              removeOnFail: { count: 1_000 },
            },
          );
          const previous = await redis.set(pointer(id), jobId, 'GET');
          if (previous && previous !== jobId) await removeJob(previous);
        },
        callTimeout,
      );
    },
    async cancel(id) {
      await guard(
        'timer cancel',
        async () => {
          const previous = await redis.getdel(pointer(id));
          if (previous) await removeJob(previous);
        },
        callTimeout,
      );
    },
    async start(handler) {
      if (worker) throw new Error('timer queue already started');
      const created = new Worker<TimerJob>(
        'timers',
        async (job: Job<TimerJob>) => {
          const { id, payload, dueAt } = job.data;
          if ((await redis.get(pointer(id))) !== job.id) return;
          const timer: DueTimer = { id, payload, dueAt: new Date(dueAt) };
          await handler(timer);
          await DELETE_IF(redis, [pointer(id)], [job.id ?? '']);
        },
        {
          connection: workerConnection,
          prefix: bullPrefix,
          concurrency: options.concurrency ?? 8,
          autorun: false,
          // a crashed process's timer must run again elsewhere, not be failed as "stalled too often"
          maxStalledCount: 5,
          ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
          ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
        },
      );
      created.on('error', () => {});
      worker = created;
      void created.run().catch(() => {});
      await guard('timer worker start', () => created.waitUntilReady().then(() => undefined), 10_000);
    },
    async stop() {
      const current = worker;
      worker = undefined;
      await current?.close();
    },
    async close() {
      await this.stop();
      await queue.close();
    },
  };
}
