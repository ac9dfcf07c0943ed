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
export function redisOutbox(redis: Redis, prefix: string): RecordOutbox {
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

  return {
    async take(max, reclaimMs) {
      return guard('outbox take', async () => {
        await ensureGroup();
        const claimed = (await redis.xautoclaim(stream, GROUP, consumer, Math.ceil(reclaimMs), '0-0', 'COUNT', max)) as [string, StreamEntry[], string[]];
        const reclaimed = entries(claimed[1]);
        if (reclaimed.length > 0) return reclaimed;
        const fresh = (await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', max, 'STREAMS', stream, '>')) as [string, StreamEntry[]][] | null;
        return entries(fresh?.[0]?.[1]);
      });
    },
    async done(ids) {
      await guard('outbox done', async () => {
        await redis.multi().xack(stream, GROUP, ...ids).xdel(stream, ...ids).exec();
      });
    },
    async size() {
      return guard('outbox size', () => redis.xlen(stream));
    },
  };
}
