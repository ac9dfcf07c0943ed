import { sql, type Kysely } from 'kysely';
import type { IdempotencyStore } from '../types.ts';
import { dbGuard } from './guard.ts';
import type { StateTables } from './schema.ts';

export function dbIdempotency(db: Kysely<StateTables>, prefix: string): IdempotencyStore {
  return {
    async claim(key, ttlSeconds) {
      const expiresAt = sql<Date>`now() + make_interval(secs => ${Math.max(0.001, ttlSeconds)}::float8)`;
      const row = await dbGuard('idempotency claim', () =>
        db
          .insertInto('idempotency_keys')
          .values({ key: prefix + key, expires_at: expiresAt })
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({ expires_at: expiresAt })
              .where(sql<boolean>`idempotency_keys.expires_at <= now()`),
          )
          .returning('key')
          .executeTakeFirst(),
      );
      return row !== undefined;
    },
  };
}
