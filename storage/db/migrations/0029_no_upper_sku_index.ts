import { sql, type Kysely } from 'kysely';

/**
 * `products_city_upper_sku_idx` (0001, on `upper(sku)`) has no reader left: every lookup of a code
 * compares `sku_key` (0016), on `(city_id, sku_key)`. Each product written — 100,000 of them in a
 * first 1C exchange — paid for the unused index.
 */
const UP: string[] = [`DROP INDEX IF EXISTS products_city_upper_sku_idx`];
const DOWN: string[] = [`CREATE INDEX IF NOT EXISTS products_city_upper_sku_idx ON products (upper(sku))`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
