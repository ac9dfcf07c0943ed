import { sql, type Kysely } from 'kysely';
import { composedGate } from '../gate.ts';
import type { StateBackend } from '../types.ts';
import { dbIdempotency } from './idempotency.ts';
import { dbInbox } from './inbox.ts';
import { memoryLocks } from './locks.ts';
import { dbOutbox } from './outbox.ts';
import { memoryPubSub } from './pubsub.ts';
import { memoryRateLimiter } from './rate-limiter.ts';
import type { StateTables } from './schema.ts';
import { dbSnapshots } from './snapshots.ts';
import { dbTimers, type DbTimerOptions } from './timers.ts';

export type EmbeddedBackendOptions = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller's database type is wider than ours
  db: Kysely<any>;
  keyPrefix: string;
  timers?: DbTimerOptions;
  /** how long acknowledged inbox rows are kept as the dedup record (default 7 days) */
  inboxDedupSeconds?: number;
  /** how often expired rows are deleted (default 60 s) */
  sweepMs?: number;
};

/**
 * Durable parts (snapshots, idempotency keys, timers, inbox, record outbox) live in the database; locks, rate
 * limits and pub/sub are in-process, which is right for a single embedded server. The database
 * belongs to the caller: close() stops our work but does not destroy it.
 */
export function createEmbeddedBackend(options: EmbeddedBackendOptions): StateBackend {
  const db = options.db as Kysely<StateTables>;
  const prefix = options.keyPrefix;
  const locks = memoryLocks();
  const rateLimiter = memoryRateLimiter();
  const pubsub = memoryPubSub();
  const timers = dbTimers(db, prefix, options.timers);
  const dedupSeconds = options.inboxDedupSeconds ?? 7 * 24 * 3600;
  const inbox = dbInbox(db, prefix);
  const snapshots = dbSnapshots(db, prefix);

  const sweep = async () => {
    const mine = (column: string) => sql<boolean>`starts_with(${sql.ref(column)}, ${prefix})`;
    await Promise.allSettled([
      db.deleteFrom('conversation_snapshots').where(sql<boolean>`expires_at <= now()`).where(mine('key')).execute(),
      db.deleteFrom('idempotency_keys').where(sql<boolean>`expires_at <= now()`).where(mine('key')).execute(),
      db.deleteFrom('timers').where(sql<boolean>`fired_at < now() - interval '1 day'`).where(mine('id')).execute(),
      db
        .deleteFrom('inbox')
        .where(sql<boolean>`acked_at < now() - make_interval(secs => ${dedupSeconds}::float8)`)
        .where(mine('conversation_key'))
        .execute(),
    ]);
  };
  const sweeper = setInterval(() => void sweep(), options.sweepMs ?? 60_000);
  sweeper.unref();

  let closed = false;
  return {
    kind: 'embedded',
    snapshots,
    locks,
    idempotency: dbIdempotency(db, prefix),
    rateLimiter,
    pubsub,
    timers,
    inbox,
    outbox: dbOutbox(db, prefix),
    gate: composedGate(locks, inbox, snapshots),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await timers.stop();
      locks.close();
      rateLimiter.close();
      pubsub.close();
    },
  };
}
