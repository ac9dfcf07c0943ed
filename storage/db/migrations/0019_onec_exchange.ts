import { sql, type Kysely } from 'kysely';

/**
 * The 1C:Enterprise site exchange (CommerceML 2). Everything an exchange session sends is staged
 * here before it touches the catalog, so any replica can serve the session's next request and a
 * broken file changes nothing:
 * - `onec_sessions`: one per `checkauth`; the cookie's SHA-256, what was applied, why it failed;
 * - `onec_files` + `onec_file_chunks`: uploaded files (appended part by part, unpacked from a zip)
 *   stored as byte ranges, with the read cursor of the step-wise import;
 * - `onec_staged`: groups, properties, goods, price types, warehouses and offers read from the
 *   files, applied to the catalog in one transaction at the session's last step;
 * - `product_pictures`: pictures the exchange brought, by content hash, served under /media.
 * Files, chunks and staged items are UNLOGGED: an exchange writes hundreds of megabytes there that
 * are worth nothing after it, and skipping the write-ahead log makes staging several times
 * cheaper. A crash empties them; the session (logged) then finds its files gone and answers
 * `failure`, and 1C starts the exchange again — the catalog never saw half of it.
 */
const UP: string[] = [
  `CREATE TABLE onec_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'failed', 'abandoned')),
    deferred boolean NOT NULL DEFAULT false,
    report jsonb NOT NULL DEFAULT '{}',
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
  )`,
  `CREATE INDEX onec_sessions_city_idx ON onec_sessions (city_id, status, last_seen_at)`,
  `CREATE UNLOGGED TABLE onec_files (
    session_id uuid NOT NULL REFERENCES onec_sessions(id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    size bigint NOT NULL DEFAULT 0,
    origin text NOT NULL DEFAULT 'upload' CHECK (origin IN ('upload', 'zip')),
    unpacked_entries integer,
    state text NOT NULL DEFAULT 'uploaded' CHECK (state IN ('uploaded', 'reading', 'staged', 'applied', 'failed')),
    items integer NOT NULL DEFAULT 0,
    schema_version text,
    goods_full boolean,
    staged_at timestamptz,
    error text,
    warnings jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, name)
  )`,
  `CREATE UNLOGGED TABLE onec_file_chunks (
    session_id uuid NOT NULL,
    name text NOT NULL,
    start bigint NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (session_id, name, start),
    FOREIGN KEY (session_id, name) REFERENCES onec_files (session_id, name) ON DELETE CASCADE ON UPDATE CASCADE
  )`,
  `CREATE UNLOGGED TABLE onec_staged (
    id bigserial PRIMARY KEY,
    session_id uuid NOT NULL,
    file_name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('group', 'property', 'good', 'price_type', 'warehouse', 'offer')),
    ext_id text NOT NULL,
    data json NOT NULL,
    FOREIGN KEY (session_id, file_name) REFERENCES onec_files (session_id, name) ON DELETE CASCADE
  )`,
  `CREATE INDEX onec_staged_kind_idx ON onec_staged (session_id, kind, id)`,
  `CREATE INDEX onec_staged_ext_idx ON onec_staged (session_id, kind, ext_id)`,
  `CREATE TABLE product_pictures (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    mime text NOT NULL,
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
];

const DOWN: string[] = [
  `DROP TABLE IF EXISTS product_pictures`,
  `DROP TABLE IF EXISTS onec_staged`,
  `DROP TABLE IF EXISTS onec_file_chunks`,
  `DROP TABLE IF EXISTS onec_files`,
  `DROP TABLE IF EXISTS onec_sessions`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
