import { sql, type Kysely } from 'kysely';

/**
 * The embedded default's proactive-send queue (price alerts, manager replies to WhatsApp): a message
 * is journalled here when queued and marked done when sent, so a crash does not lose it; the row
 * also remembers the id for the dedup period. (With Redis, BullMQ keeps the queue.)
 */
const UP: string[] = [
  `CREATE TABLE send_queue (
    namespace text NOT NULL,
    id text NOT NULL,
    rate_key text NOT NULL,
    payload text NOT NULL,
    enqueued_at timestamptz NOT NULL,
    done_at timestamptz,
    PRIMARY KEY (namespace, id)
  )`,
  `CREATE INDEX send_queue_pending_idx ON send_queue (namespace, enqueued_at) WHERE done_at IS NULL`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS send_queue`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
