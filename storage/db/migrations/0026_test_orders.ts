import { sql, type Kysely } from 'kysely';

/**
 * `orders.is_test`: placed by staff talking to the bot (the playground, API tokens), not by a
 * shopper. Such an order starts no payment, never reaches the CRM nor 1C and is left out of the
 * dashboard's funnel and revenue; it is set once, when the order is placed. Orders made before
 * are shoppers' (false).
 */
const UP: string[] = [`ALTER TABLE orders ADD COLUMN is_test boolean NOT NULL DEFAULT false`];
const DOWN: string[] = [`ALTER TABLE orders DROP COLUMN IF EXISTS is_test`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
