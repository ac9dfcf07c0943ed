import { sql, type Kysely } from 'kysely';

/**
 * `onec_file_chunks.deflated`: the server deflates each chunk of an uploaded file before it stores
 * it. CommerceML is mostly its own tags and compresses many times over, and every stored byte costs
 * — PostgreSQL splits a megabyte into hundreds of TOAST rows, and reads it back as hex text twice
 * its size. Chunks stored before (a session that straddled the upgrade) stay as they are (false).
 */
const UP: string[] = [`ALTER TABLE onec_file_chunks ADD COLUMN deflated boolean NOT NULL DEFAULT false`];
const DOWN: string[] = [`ALTER TABLE onec_file_chunks DROP COLUMN IF EXISTS deflated`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
