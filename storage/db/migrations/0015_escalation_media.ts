import { sql, type Kysely } from 'kysely';

/**
 * `escalation_media`: the photo or voice note behind a shopper's message in an escalation, so the
 * panel can show it. `ref` is the channel's handle (a Telegram file_id stays valid; a WhatsApp
 * media id expires within days), so WhatsApp bytes are kept here, up to a size cap and for a
 * retention period after which only the ref remains.
 */
const UP: string[] = [
  `CREATE TABLE escalation_media (
    message_id uuid PRIMARY KEY REFERENCES escalation_messages(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('photo','voice','document')),
    ref text NOT NULL,
    mime text,
    bytes bytea,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX escalation_media_stored_idx ON escalation_media (created_at) WHERE bytes IS NOT NULL`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS escalation_media`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
