import { sql, type Kysely } from 'kysely';

/**
 * Turn records (message log, analytics) reach the database through a durable outbox that is
 * appended atomically with the inbox acknowledgement, then copied by a relay at least once — so the
 * rows carry a key unique to their turn and a repeated copy is a no-op. `record_outbox` is the
 * embedded backend's outbox (Redis keeps its own in a stream).
 */
const UP: string[] = [
  `CREATE TABLE record_outbox (
    namespace text NOT NULL,
    seq bigserial PRIMARY KEY,
    data text NOT NULL,
    taken_until timestamptz
  )`,
  `CREATE INDEX record_outbox_namespace_idx ON record_outbox (namespace, seq)`,
  `ALTER TABLE conversation_messages ADD COLUMN record_key text`,
  `CREATE UNIQUE INDEX conversation_messages_record_key_idx ON conversation_messages (record_key)`,
  `ALTER TABLE analytics_events ADD COLUMN record_key text`,
  `CREATE UNIQUE INDEX analytics_events_record_key_idx ON analytics_events (record_key)`,
];

const DOWN: string[] = [
  `DROP TABLE IF EXISTS record_outbox`,
  `ALTER TABLE conversation_messages DROP COLUMN IF EXISTS record_key`,
  `ALTER TABLE analytics_events DROP COLUMN IF EXISTS record_key`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
