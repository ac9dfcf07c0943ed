import { sql, type Kysely } from 'kysely';

/**
 * When a refresh token was spent by rotation (as opposed to revoked by a logout or a detected
 * reuse): two browser tabs refreshing with the same cookie at once are then told apart from a
 * stolen token replayed later.
 */
const UP: string[] = [`ALTER TABLE refresh_tokens ADD COLUMN rotated_at timestamptz`];
const DOWN: string[] = [`ALTER TABLE refresh_tokens DROP COLUMN IF EXISTS rotated_at`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
