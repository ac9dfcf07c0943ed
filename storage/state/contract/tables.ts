import { sql, type Kysely } from 'kysely';

/**
 * Test-only stand-in for the storage migrations (storage/db): the four tables the embedded
 * backend relies on, created if missing. Production gets them from the migrator.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database
export async function ensureStateTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_snapshots')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('idempotency_keys')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('timers')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('fired_at', 'timestamptz')
    .execute();
  await sql`create index if not exists timers_due_idx on timers (due_at) where fired_at is null`.execute(db);
  await db.schema
    .createTable('inbox')
    .ifNotExists()
    .addColumn('conversation_key', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acked_at', 'timestamptz')
    .addPrimaryKeyConstraint('inbox_pk', ['conversation_key', 'id'])
    .execute();
  await sql`create index if not exists inbox_pending_idx on inbox (conversation_key, seq) where acked_at is null`.execute(
    db,
  );
  await db.schema
    .createTable('record_outbox')
    .ifNotExists()
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('taken_until', 'timestamptz')
    .execute();
}
