import { sql, type Kysely } from 'kysely';

/**
 * Long-lived API tokens for testers and scripts: made by an admin, scoped to a role, shown once.
 * Only the SHA-256 of the secret is stored; revoked_at and expires_at refuse a token at once.
 */
const UP: string[] = [
  `CREATE TABLE api_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    role text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    prefix text NOT NULL,
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at timestamptz,
    revoked_at timestamptz
  )`,
  `CREATE INDEX api_tokens_created_idx ON api_tokens (created_at)`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS api_tokens`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
