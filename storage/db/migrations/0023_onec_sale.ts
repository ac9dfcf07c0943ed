import { sql, type Kysely } from 'kysely';

/**
 * Orders to 1C over the same site exchange as the catalog (`type=sale`).
 * - `onec_sessions.kind`: a sale exchange is a session of its own; it never blocks the catalog's
 *   (1C runs them back to back) and a new sale `checkauth` takes over the city's previous one.
 *   `schema_version`: the CommerceML version 1C named (`version=`), the one `query` answers in.
 * - `onec_sale_queries`: the orders one session's `query` returned, each at the version (its
 *   `updated_at`) it was sent at; `success` marks exactly these exported.
 * - `onec_order_exports`: the version of each order 1C has confirmed; an order whose `updated_at`
 *   moved on since is sent again.
 * - `onec_order_updates`: every order update 1C sent back, with what became of it (applied,
 *   unchanged, refused by the status machine, an unknown order or status, a file that could not be
 *   read), so nothing 1C said is lost even when it could not be applied.
 */
const UP: string[] = [
  `ALTER TABLE onec_sessions ADD COLUMN kind text NOT NULL DEFAULT 'catalog' CHECK (kind IN ('catalog', 'sale'))`,
  `ALTER TABLE onec_sessions ADD COLUMN schema_version text CHECK (schema_version IS NULL OR length(schema_version) <= 20)`,
  `CREATE TABLE onec_sale_queries (
    session_id uuid NOT NULL REFERENCES onec_sessions(id) ON DELETE CASCADE,
    order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    version timestamptz NOT NULL,
    PRIMARY KEY (session_id, order_id)
  )`,
  `CREATE TABLE onec_order_exports (
    order_id uuid PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    version timestamptz NOT NULL,
    exported_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE onec_order_updates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid REFERENCES onec_sessions(id) ON DELETE SET NULL,
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    order_id uuid REFERENCES orders(id) ON DELETE SET NULL,
    file_name text NOT NULL CHECK (length(file_name) <= 300),
    document text NOT NULL DEFAULT '' CHECK (length(document) <= 200),
    outcome text NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'refused', 'unknown_order', 'unknown_status', 'bad_file')),
    detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 2000),
    requisites jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX onec_order_updates_city_idx ON onec_order_updates (city_id, created_at DESC)`,
  `CREATE INDEX onec_order_updates_order_idx ON onec_order_updates (order_id, created_at)`,
];

const DOWN: string[] = [
  `DROP TABLE IF EXISTS onec_order_updates`,
  `DROP TABLE IF EXISTS onec_order_exports`,
  `DROP TABLE IF EXISTS onec_sale_queries`,
  `ALTER TABLE onec_sessions DROP COLUMN IF EXISTS schema_version`,
  `ALTER TABLE onec_sessions DROP COLUMN IF EXISTS kind`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
