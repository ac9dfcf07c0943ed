import { sql, type Kysely } from 'kysely';

/**
 * Photos sent in the web chat (the panel's playground, a site widget): the bytes are kept here
 * for a bounded time under a short random reference, tied to the conversation that uploaded them,
 * so a turn carries the reference instead of the image.
 *
 * `shopper_profiles` goes: preferences live on the conversation-state backend and the WhatsApp
 * 24-hour window has its own store there, so nothing ever wrote the table.
 */
const UP: string[] = [
  `CREATE TABLE chat_uploads (
    ref text PRIMARY KEY,
    city text NOT NULL,
    user_id text NOT NULL,
    mime text NOT NULL,
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX chat_uploads_expiry_idx ON chat_uploads (expires_at)`,
  `DROP TABLE IF EXISTS shopper_profiles`,
];

const DOWN: string[] = [
  `DROP TABLE IF EXISTS chat_uploads`,
  `CREATE TABLE shopper_profiles (
    conversation_key text PRIMARY KEY,
    channel text NOT NULL,
    chat_id text NOT NULL,
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    language text,
    categories jsonb NOT NULL DEFAULT '{}'::jsonb,
    colors jsonb NOT NULL DEFAULT '{}'::jsonb,
    price_min_seen numeric(12,2),
    price_max_seen numeric(12,2),
    last_inbound_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX shopper_profiles_chat_idx ON shopper_profiles (channel, chat_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
