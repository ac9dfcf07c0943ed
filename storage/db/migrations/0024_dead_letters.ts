import { sql, type Kysely } from 'kysely';

/**
 * `dead_letters`: what the conversation runtime gave up on, so a shopper's words are never lost
 * silently. `kind` 'message': the turn of a message failed `maxAttempts` times; 'delivery': a
 * committed turn's replies could not be sent (attempts spent, or a permanent refusal such as a
 * shopper who blocked the bot). The row keeps the message (`event`), the replies not delivered,
 * the last error and the attempts; written by the record relay with the inbox acknowledgement, so
 * `record_key` (turn | 'dead') is unique and a relay repeated is one row. Admins list them and
 * retry one (the message enqueued again), which marks it `retried`.
 */
const UP: string[] = [
  `CREATE TABLE dead_letters (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    record_key text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN ('message', 'delivery')),
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    city text NOT NULL,
    channel text NOT NULL,
    user_id text NOT NULL,
    conversation_key text NOT NULL,
    message_id text NOT NULL,
    system boolean NOT NULL DEFAULT false,
    event jsonb NOT NULL,
    replies jsonb NOT NULL DEFAULT '[]'::jsonb,
    error text NOT NULL,
    attempts integer NOT NULL,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'retried')),
    retried_by uuid REFERENCES users(id) ON DELETE SET NULL,
    retried_at timestamptz,
    is_test boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX dead_letters_status_idx ON dead_letters (status, created_at DESC)`,
  `CREATE INDEX dead_letters_conversation_idx ON dead_letters (conversation_key, created_at DESC)`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS dead_letters`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
