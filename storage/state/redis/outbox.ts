import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { OutboxEntry, RecordOutbox } from '../types.ts';
import { guard } from './connection.ts';
import { recordStream } from './inbox.ts';

const GROUP = 'relay';

type StreamEntry = [id: string, fields: string[]];

/**
 * The record outbox is a stream (appended by the inbox's ACK script) read through one consumer
 * group: each relay process is a consumer, entries it took stay pending until done, and entries
 * pending longer than `reclaimMs` (their relay died) are claimed by the next take.
 */
export type RedisOutboxOptions = {
  /** a consumer holding nothing and idle this long belonged to a process that ended (default 1 h) */
  staleConsumerMs?: number;
  /** how often stale consumers are looked for (default 10 min) */
  sweepEveryMs?: number;
};

export function redisOutbox(redis: Redis, prefix: string, options: RedisOutboxOptions = {}): RecordOutbox {
  const staleMs = options.staleConsumerMs ?? 3_600_000;
  const sweepEveryMs = options.sweepEveryMs ?? 10 * 60_000;
  const stream = recordStream(prefix);
  const consumer = randomUUID();
  let group: Promise<void> | undefined;
  const ensureGroup = () =>
    (group ??= redis
      .xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM')
      .then(() => undefined)
      .catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return;
        group = undefined;
        throw error;
      }));
  const entries = (raw: StreamEntry[] | null | undefined): OutboxEntry[] =>
    (raw ?? []).flatMap(([id, fields]) => {
      const at = fields?.indexOf('d') ?? -1;
      return at >= 0 && fields[at + 1] !== undefined ? [{ id, data: fields[at + 1]! }] : [];
    });

  // every process start is a new consumer; ones that hold nothing and were idle for an hour (a
  // process that ended) are removed now and then, so the group does not grow without bound
  let lastSweep = 0;
  const sweepConsumers = async () => {
    if (Date.now() - lastSweep < sweepEveryMs) return;
    lastSweep = Date.now();
    const consumers = (await redis.xinfo('CONSUMERS', stream, GROUP)) as unknown[][];
    for (const fields of consumers) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
      const name = String(info.get('name'));
      if (name !== consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > staleMs) {
        await redis.xgroup('DELCONSUMER', stream, GROUP, name);
      }
    }
  };

  return {
    async take(max, reclaimMs) {
      return guard('outbox take', async () => {
        await ensureGroup();
        await sweepConsumers();
        const claimed = (await redis.xautoclaim(
          stream,
          GROUP,
          consumer,
          Math.ceil(reclaimMs),
          '0-0',
          'COUNT',
          max,
        )) as [string, StreamEntry[], string[]];
        const reclaimed = entries(claimed[1]);
        if (reclaimed.length > 0) return reclaimed;
        const fresh = (await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', max, 'STREAMS', stream, '>')) as
          | [string, StreamEntry[]][]
          | null;
        return entries(fresh?.[0]?.[1]);
      });
    },
    async done(ids) {
      await guard('outbox done', async () => {
        await redis
          .multi()
          .xack(stream, GROUP, ...ids)
          .xdel(stream, ...ids)
          .exec();
      });
    },
    async size() {
      return guard('outbox size', () => redis.xlen(stream));
    },
  };
}
