import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll } from 'vitest';
import type { DatabaseKind } from '../../db/open.ts';
import { createTestDatabase, type TestDatabase } from '../../testing.ts';
import { createStateBackend } from '../index.ts';
import type { BackendHarness } from './harness.ts';

/**
 * The embedded backend on a freshly migrated database (storage/testing.ts), one per test file;
 * each env is a row-key prefix, deleted again by cleanup().
 */
export function embeddedHarness(kind: DatabaseKind): BackendHarness {
  let shared: Promise<TestDatabase> | undefined;
  afterAll(async () => {
    if (shared) await (await shared).close();
  });
  return {
    name: `embedded/${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}`,
    crossProcess: false,
    async env() {
      shared ??= createTestDatabase(kind);
      const { db } = await shared;
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
  };
}
