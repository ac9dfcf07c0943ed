import type { Redis } from 'ioredis';

/**
 * Timers of versions that kept them as BullMQ delayed jobs: a pointer key `<prefix>timer:<id>`
 * names the live job, whose hash `<prefix>bull:timers:<job>` holds `{ id, payload, dueAt }` as
 * `data`. At start each live one is adopted by the current queue (unless it already has a timer of
 * that id) and the old keys are deleted, so no follow-up or manager SLA pending across an upgrade
 * is lost (the queue's keys go last, so a start that dies halfway is taken over again by the next).
 * Once every deployment has started this version, this module can go.
 */
export async function takeOverLegacyTimers(
  redis: Redis,
  prefix: string,
  adopt: (id: string, dueAt: Date, payload: string) => Promise<void>,
): Promise<number> {
  // BullMQ keeps a queue's `meta` while the queue exists; without it there is nothing to take over
  if ((await redis.exists(`${prefix}bull:timers:meta`)) === 0) return 0;
  let adopted = 0;
  const pointerPrefix = `${prefix}timer:`;
  for await (const pointer of scan(redis, `${escapeGlob(pointerPrefix)}*`)) {
    const jobId = await redis.get(pointer);
    const data = jobId ? await redis.hget(`${prefix}bull:timers:${jobId}`, 'data') : null;
    const job = data ? readJob(data) : undefined;
    if (job && `${pointerPrefix}${job.id}` === pointer) {
      await adopt(job.id, new Date(job.dueAt), job.payload);
      adopted++;
    }
    await redis.del(pointer);
  }
  const meta = `${prefix}bull:timers:meta`;
  for await (const key of scan(redis, `${escapeGlob(`${prefix}bull:timers:`)}*`))
    if (key !== meta) await redis.del(key);
  await redis.del(meta);
  return adopted;
}

function readJob(data: string): { id: string; payload: string; dueAt: number } | undefined {
  try {
    const { id, payload, dueAt } = JSON.parse(data) as { id?: unknown; payload?: unknown; dueAt?: unknown };
    return typeof id === 'string' && typeof payload === 'string' && typeof dueAt === 'number'
      ? { id, payload, dueAt }
      : undefined;
  } catch {
    return undefined;
  }
}

async function* scan(redis: Redis, pattern: string): AsyncGenerator<string> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    yield* keys;
  } while (cursor !== '0');
}

/** a key prefix as a literal in a SCAN pattern */
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
