import { sql, type Kysely } from 'kysely';

/**
 * `leads`: requests a designer flow collected for the staff («Вызвать замерщика»: address, time,
 * phone) — the slots, the conversation up to that point, and whether staff handled it. A lead is
 * written by the record relay from a committed turn; `record_key` (turn | position) is unique, so
 * a turn relayed twice is still one lead. It is also what a CRM outbox (Bitrix24) reads later.
 * `slots` is json, not jsonb: it keeps the order the flow asked them in, which is how staff read them.
 * `is_test`: left by staff talking to the bot (playground, API tokens), not by a shopper.
 */
const UP: string[] = [
  `CREATE TABLE leads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    record_key text NOT NULL UNIQUE,
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    channel text NOT NULL,
    user_id text NOT NULL,
    conversation_key text NOT NULL,
    flow text NOT NULL CHECK (length(flow) BETWEEN 1 AND 64),
    slots json NOT NULL DEFAULT '{}'::json,
    history jsonb NOT NULL DEFAULT '[]'::jsonb,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done')),
    done_by uuid REFERENCES users(id) ON DELETE SET NULL,
    done_at timestamptz,
    is_test boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX leads_created_idx ON leads (created_at DESC)`,
  `CREATE INDEX leads_city_idx ON leads (city_id, created_at DESC)`,
  `CREATE INDEX leads_flow_idx ON leads (flow, created_at DESC)`,
  `CREATE INDEX leads_conversation_idx ON leads (conversation_key, created_at DESC)`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS leads`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
