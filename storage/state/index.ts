import type { Kysely } from 'kysely';
import { checked } from './checked.ts';
import { createEmbeddedBackend } from './embedded/backend.ts';
import type { DbTimerOptions } from './embedded/timers.ts';
import { createRedisBackend } from './redis/backend.ts';
import type { RedisTimerOptions } from './redis/timers.ts';
import type { StateBackend } from './types.ts';

export type * from './types.ts';
export { StateUnavailableError } from './errors.ts';
export { StateArgumentError } from './checked.ts';
export { createEmbeddedBackend, type EmbeddedBackendOptions } from './embedded/backend.ts';
export { createRedisBackend, type RedisBackendOptions } from './redis/backend.ts';

export type StateBackendOptions = {
  /** set → Redis (production, many replicas); unset → embedded (in-process + the database) */
  redisUrl?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any kysely database that ran the storage migrations
  db?: Kysely<any>;
  /** every key (Redis) or row key (embedded) starts with this; default `zeta:` */
  keyPrefix?: string;
  /** Redis: a command unanswered this long fails with StateUnavailableError (default 2000) */
  commandTimeoutMs?: number;
  /** how long an inbox item id stays a duplicate after it was accepted (default 7 days) */
  inboxDedupSeconds?: number;
  timers?: DbTimerOptions & RedisTimerOptions;
};

/**
 * Opens the conversation-state backend. Redis when `redisUrl` is given (fails with
 * StateUnavailableError if it cannot be reached), otherwise the embedded one on `db`.
 */
export async function createStateBackend(options: StateBackendOptions): Promise<StateBackend> {
  const keyPrefix = options.keyPrefix ?? 'zeta:';
  if (options.redisUrl) {
    return checked(
      await createRedisBackend({
        redisUrl: options.redisUrl,
        keyPrefix,
        ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
        ...(options.inboxDedupSeconds !== undefined ? { inbox: { dedupSeconds: options.inboxDedupSeconds } } : {}),
        ...(options.timers ? { timers: options.timers } : {}),
      }),
    );
  }
  if (!options.db) throw new Error('createStateBackend: the embedded backend needs `db` (or pass `redisUrl`)');
  return checked(
    createEmbeddedBackend({
      db: options.db,
      keyPrefix,
      ...(options.inboxDedupSeconds !== undefined ? { inboxDedupSeconds: options.inboxDedupSeconds } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
    }),
  );
}
