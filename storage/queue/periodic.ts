import { Queue, Worker, type Job } from 'bullmq';
import { StateUnavailableError } from '../state/errors.ts';
import { bullConnection, guard, redisOptions, type RedisTuning } from '../state/redis/connection.ts';

/** One run of a periodic job; `tickId` is unique per tick across all replicas. */
export type Tick = { name: string; tickId: string; at: Date };

/**
 * Periodic background work (the price-alert sweep, expiry clean-ups). With Redis every tick runs
 * once across all replicas (a BullMQ job scheduler); embedded it is a timer in this process.
 * A tick is skipped, not queued up, while the previous run of the same job is still going (embedded).
 */
export interface PeriodicJobs {
  every(name: string, intervalMs: number, handler: (tick: Tick) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export function memoryPeriodicJobs(): PeriodicJobs {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const names = new Set<string>();
  let closed = false;
  return {
    async every(name, intervalMs, handler) {
      if (closed) throw new Error('periodic jobs closed');
      if (names.has(name)) throw new Error(`periodic job ${name} already registered`);
      names.add(name);
      let count = 0;
      let busy = false;
      const tick = () => {
        if (busy || closed) return;
        busy = true;
        const run = handler({ name, tickId: `${name}:${++count}`, at: new Date() })
          .catch(() => {})
          .finally(() => {
            busy = false;
            running.delete(run);
          });
        running.add(run);
      };
      const timer = setInterval(tick, Math.max(1, intervalMs));
      timer.unref();
      timers.add(timer);
      setImmediate(tick);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}

export type RedisPeriodicOptions = RedisTuning & { redisUrl: string; keyPrefix?: string; concurrency?: number };

export async function redisPeriodicJobs(options: RedisPeriodicOptions): Promise<PeriodicJobs> {
  const prefix = `${options.keyPrefix ?? 'zeta:'}bull`;
  const base = bullConnection(options.redisUrl, options);
  const commandTimeout = redisOptions(options).commandTimeout ?? 2_000;
  const queue = new Queue('periodic', { connection: { ...base, maxRetriesPerRequest: 1, commandTimeout }, prefix });
  queue.on('error', () => {});
  try {
    await guard('periodic queue', () => queue.waitUntilReady().then(() => undefined), 2 * commandTimeout + 500);
  } catch (error) {
    await queue.close().catch(() => {});
    throw error instanceof StateUnavailableError
      ? error
      : new StateUnavailableError('redis: periodic queue unavailable', { cause: error });
  }
  const handlers = new Map<string, (tick: Tick) => Promise<void>>();
  let worker: Worker | undefined;

  return {
    async every(name, intervalMs, handler) {
      if (handlers.has(name)) throw new Error(`periodic job ${name} already registered`);
      handlers.set(name, handler);
      await guard(
        'periodic schedule',
        () =>
          queue.upsertJobScheduler(
            name,
            { every: Math.max(1, intervalMs) },
            { name, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
          ),
        2 * commandTimeout + 500,
      );
      if (!worker) {
        const created = new Worker(
          'periodic',
          async (job: Job) => {
            const run = handlers.get(job.name);
            if (!run) return; // registered by another replica only
            await run({
              name: job.name,
              tickId: job.id ?? `${job.name}:${job.timestamp}`,
              at: new Date(job.timestamp + (job.delay ?? 0)),
            });
          },
          { connection: base, prefix, concurrency: options.concurrency ?? 4 },
        );
        created.on('error', () => {});
        worker = created;
      }
    },
    async close() {
      const current = worker;
      worker = undefined;
      await current?.close();
      await queue.close();
    },
  };
}
