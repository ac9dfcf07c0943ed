import { sql, type Kysely } from 'kysely';

/**
 * `users.password_changed_at`: access tokens issued before it are refused, so a changed password
 * ends every other session at once. `spent_invitations`: an invitation registers one account,
 * ever — deleting that account does not make its token usable again.
 */
const UP: string[] = [
  `ALTER TABLE users ADD COLUMN password_changed_at timestamptz`,
  `CREATE TABLE spent_invitations (
    token_hash text PRIMARY KEY,
    email text NOT NULL,
    spent_at timestamptz NOT NULL DEFAULT now()
  )`,
];
const DOWN: string[] = [
  `DROP TABLE IF EXISTS spent_invitations`,
  `ALTER TABLE users DROP COLUMN IF EXISTS password_changed_at`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
