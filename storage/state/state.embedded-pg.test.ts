import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll } from 'vitest';
import { stateBackendContract } from './contract/index.ts';
import { ensureStateTables } from './contract/tables.ts';
import { createStateBackend } from './index.ts';

// The embedded backend also runs on a real PostgreSQL (DATABASE_URL set, REDIS_URL not):
// its SQL must hold up under true concurrency there, not only on single-connection PGlite.
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `zeta_state_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

let shared: Promise<Kysely<unknown>> | undefined;
function database(): Promise<Kysely<unknown>> {
  shared ??= (async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 10 }) }) });
    await ensureStateTables(db);
    return db;
  })();
  return shared;
}
afterAll(async () => {
  if (!shared) return;
  await (await shared).destroy();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
});

stateBackendContract({
  name: 'embedded/PostgreSQL',
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
