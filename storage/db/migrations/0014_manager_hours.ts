import { sql, type Kysely } from 'kysely';

/**
 * The hours a city's managers answer shoppers, on the city's own clock
 * (`mon-fri 09:00-20:00; sat 10:00-18:00`); null: always. Outside them a shopper asking for a
 * manager is told when they will answer and may leave a message.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cities ADD COLUMN manager_hours text`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cities DROP COLUMN IF EXISTS manager_hours`).execute(db);
}
