import { sql, type Kysely } from 'kysely';

/**
 * Staff talking to the bot (the panel's playground, scripts with API tokens) is recorded like any
 * conversation but marked, so the dashboard's shopper figures leave it out unless asked to show it.
 */
const UP: string[] = [`ALTER TABLE analytics_events ADD COLUMN is_test boolean NOT NULL DEFAULT false`];
const DOWN: string[] = [`ALTER TABLE analytics_events DROP COLUMN IF EXISTS is_test`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
