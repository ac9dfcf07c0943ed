import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll } from 'vitest';
import { stateBackendContract } from './contract/index.ts';
import { ensureStateTables } from './contract/tables.ts';
import { createStateBackend } from './index.ts';

// one PGlite per test file (start-up costs seconds); namespaces keep the suites apart
let shared: Promise<Kysely<unknown>> | undefined;
function database(): Promise<Kysely<unknown>> {
  shared ??= (async () => {
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: new PGlite() }) });
    await ensureStateTables(db);
    return db;
  })();
  return shared;
}
afterAll(async () => {
  if (shared) await (await shared).destroy();
});

stateBackendContract({
  name: 'embedded/PGlite',
  crossProcess: false,
  async env() {
    const db = await database();
    const keyPrefix = `t${randomUUID().slice(0, 8)}:`;
    return {
      open: () => createStateBackend({ db, keyPrefix, timers: { pollMs: 100, retryMs: 200 } }),
      async cleanup() {
        for (const [table, column] of [
          ['conversation_snapshots', 'key'],
          ['idempotency_keys', 'key'],
          ['timers', 'id'],
          ['inbox', 'conversation_key'],
        ] as const) {
          await sql`delete from ${sql.table(table)} where starts_with(${sql.ref(column)}, ${keyPrefix})`.execute(db);
        }
      },
    };
  },
});
