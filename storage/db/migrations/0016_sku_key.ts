import { sql, type Kysely } from 'kysely';

/**
 * `sku_key`: the folded form of a retailer's article code (upper case, Cyrillic look-alikes as
 * Latin, no spaces/dots/slashes/dashes), written by the application with `skuKey` and compared by
 * every SKU lookup. Rows from before this migration hold only `[A-Z0-9-]` codes, whose key is the
 * code without dashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE products ADD COLUMN sku_key text`).execute(db);
  await sql.raw(`UPDATE products SET sku_key = replace(upper(sku), '-', '')`).execute(db);
  await sql.raw(`ALTER TABLE products ALTER COLUMN sku_key SET NOT NULL`).execute(db);
  await sql.raw(`CREATE INDEX products_city_sku_key_idx ON products (city_id, sku_key)`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX IF EXISTS products_city_sku_key_idx`).execute(db);
  await sql.raw(`ALTER TABLE products DROP COLUMN IF EXISTS sku_key`).execute(db);
}
