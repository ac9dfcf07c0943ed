import { sql, type Kysely } from 'kysely';
import { memorySendQueue } from './embedded.ts';
import type { DeadLetterHandler, OutboundMessage, ProactiveSendQueue, Sender, SendQueueOptions } from './types.ts';

export type DatabaseSendQueueOptions = SendQueueOptions & {
  /** rows of this queue (tests, several platforms on one database); default `zeta:` */
  namespace?: string;
};

type PendingRow = { id: string; rate_key: string; payload: string };

/**
 * The embedded default's proactive-send queue: the in-process queue (rate per key, retries,
 * backoff) with a journal in the database — a message is written to `send_queue` before it is
 * queued and marked done once sent or dead-lettered, and a queue opened on the same database sends
 * what a previous process left. At least once: a crash between a send and its mark sends it again,
 * as BullMQ does. The journal is also the dedup memory, so an id stays a duplicate across restarts.
 */
export async function databaseSendQueue<DB>(
  db: Kysely<DB>,
  options: DatabaseSendQueueOptions = {},
): Promise<ProactiveSendQueue> {
  const namespace = options.namespace ?? 'zeta:';
  const dedupMs = (options.dedupSeconds ?? 24 * 3600) * 1000;
  // the journal decides duplicates; the in-process queue only schedules
  const memory = memorySendQueue({ ...options, dedupSeconds: 0 });

  const markDone = (id: string) =>
    sql`UPDATE send_queue SET done_at = now() WHERE namespace = ${namespace} AND id = ${id}`.execute(db);
  const forgetOld = () =>
    sql`DELETE FROM send_queue WHERE namespace = ${namespace} AND done_at IS NOT NULL AND enqueued_at < ${new Date(Date.now() - dedupMs)}`.execute(
      db,
    );

  // what a previous process queued and did not finish waits for start() like anything queued now
  const { rows } = await sql<PendingRow>`SELECT id, rate_key, payload FROM send_queue
    WHERE namespace = ${namespace} AND done_at IS NULL ORDER BY enqueued_at, id`.execute(db);
  for (const row of rows) await memory.enqueue({ id: row.id, rateKey: row.rate_key, payload: row.payload });

  const sweeper = setInterval(() => void forgetOld().catch(() => undefined), 60 * 60_000);
  sweeper.unref();

  return {
    async enqueue(message: OutboundMessage) {
      const now = new Date();
      // a new id, or one sent longer ago than the dedup period, is (re)queued; anything else is a duplicate
      const { rows: queued } = await sql<{ id: string }>`
        INSERT INTO send_queue (namespace, id, rate_key, payload, enqueued_at)
        VALUES (${namespace}, ${message.id}, ${message.rateKey}, ${message.payload}, ${now})
        ON CONFLICT (namespace, id) DO UPDATE
          SET rate_key = excluded.rate_key, payload = excluded.payload, enqueued_at = excluded.enqueued_at, done_at = NULL
          WHERE send_queue.done_at IS NOT NULL AND send_queue.enqueued_at < ${new Date(now.getTime() - dedupMs)}
        RETURNING id`.execute(db);
      if (queued.length === 0) return 'duplicate';
      return memory.enqueue(message);
    },
    async start(send: Sender, onDeadLetter?: DeadLetterHandler) {
      await memory.start(
        async (message, attempt) => {
          await send(message, attempt);
          // sent: if the mark fails the message goes out again after a restart (at least once)
          await markDone(message.id).catch(() => undefined);
        },
        async (message, error, attempts) => {
          await markDone(message.id).catch(() => undefined);
          await onDeadLetter?.(message, error, attempts);
        },
      );
      await forgetOld().catch(() => undefined);
    },
    stop: () => memory.stop(),
    async close() {
      clearInterval(sweeper);
      await memory.close();
    },
  };
}
