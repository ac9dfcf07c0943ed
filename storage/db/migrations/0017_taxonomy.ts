import { sql, type Kysely } from 'kysely';
import { TAXONOMY_SEED } from './0017_taxonomy.seed.ts';

/**
 * The retailer's own catalog model. Categories are a tree the retailer owns and attributes are data
 * (enumerated values with synonyms, numbers with units, free text); colour and material stay as the
 * indexed `products.color` / `products.material` columns but are ordinary attributes here, so their
 * values, names and synonyms are edited like any other. The taxonomy is one per installation (one
 * retailer, one bot per city); products, prices and stock stay per city.
 *
 * Existing databases lose nothing: the seed rows are the lists that lived in code, and any category,
 * colour or material a stored product holds that the seed lacks becomes a row named by its slug.
 */
const STATEMENTS = [
  `CREATE TABLE categories (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9_-]{1,64}$'),
    parent_slug text REFERENCES categories(slug) ON UPDATE CASCADE ON DELETE SET NULL,
    name_ru text NOT NULL,
    name_kk text,
    name_en text,
    synonyms jsonb NOT NULL DEFAULT '[]',
    external_id text UNIQUE,
    position integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_slug IS NULL OR parent_slug <> slug)
  )`,
  `CREATE INDEX categories_parent_idx ON categories (parent_slug)`,
  `CREATE TABLE attributes (
    key text PRIMARY KEY CHECK (key ~ '^[a-z0-9_-]{1,64}$'),
    kind text NOT NULL CHECK (kind IN ('enum', 'number', 'text')),
    name_ru text NOT NULL,
    name_kk text,
    name_en text,
    unit text,
    external_id text UNIQUE,
    position integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE attribute_values (
    attribute_key text NOT NULL REFERENCES attributes(key) ON UPDATE CASCADE ON DELETE CASCADE,
    value text NOT NULL CHECK (value ~ '^[a-z0-9_-]{1,64}$'),
    name_ru text NOT NULL,
    name_kk text,
    name_en text,
    synonyms jsonb NOT NULL DEFAULT '[]',
    external_id text,
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (attribute_key, value),
    UNIQUE (attribute_key, external_id)
  )`,
  // attributes other than colour and material: { key: value slug | number | text }
  `ALTER TABLE products ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'`,
  // the 1C Ид of the good (or good#characteristic for a variant); one per city
  `ALTER TABLE products ADD COLUMN external_id text`,
  `CREATE UNIQUE INDEX products_city_external_idx ON products (city_id, external_id) WHERE external_id IS NOT NULL`,
  // NULL: stock not tracked (is_available decides); otherwise the city's total over its warehouses
  `ALTER TABLE products ADD COLUMN stock_quantity numeric(14,3) CHECK (stock_quantity IS NULL OR stock_quantity >= 0)`,
  // the price before the last drop, shown as «было …» while it is higher than the price
  `ALTER TABLE products ADD COLUMN old_price numeric(12,2) CHECK (old_price IS NULL OR old_price >= 0)`,
  // every picture in order; image_url stays the first one
  `ALTER TABLE products ADD COLUMN images jsonb NOT NULL DEFAULT '[]'`,
  `CREATE TABLE product_stock (
    product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    warehouse text NOT NULL,
    quantity numeric(14,3) NOT NULL CHECK (quantity >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, warehouse)
  )`,
  `CREATE TABLE warehouses (
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (city_id, id)
  )`,
];

type Named = { slug: string; ru: string; kk: string; en: string; synonyms: readonly string[]; position: number };

async function insertCategories(db: Kysely<unknown>, rows: readonly Named[]): Promise<void> {
  for (const r of rows) {
    await sql`INSERT INTO categories (slug, name_ru, name_kk, name_en, synonyms, position)
      VALUES (${r.slug}, ${r.ru}, ${r.kk}, ${r.en}, ${JSON.stringify(r.synonyms)}::jsonb, ${r.position})`.execute(db);
  }
}

async function insertValues(db: Kysely<unknown>, key: string, rows: readonly Named[]): Promise<void> {
  for (const r of rows) {
    await sql`INSERT INTO attribute_values (attribute_key, value, name_ru, name_kk, name_en, synonyms, position)
      VALUES (${key}, ${r.slug}, ${r.ru}, ${r.kk}, ${r.en}, ${JSON.stringify(r.synonyms)}::jsonb, ${r.position})`.execute(
      db,
    );
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
  await insertCategories(db, TAXONOMY_SEED.categories);
  await sql`INSERT INTO attributes (key, kind, name_ru, name_kk, name_en, position) VALUES
    ('color', 'enum', 'Цвет', 'Түсі', 'Colour', 0), ('material', 'enum', 'Материал', 'Материал', 'Material', 1)`.execute(
    db,
  );
  await insertValues(db, 'color', TAXONOMY_SEED.colors);
  await insertValues(db, 'material', TAXONOMY_SEED.materials);
  // whatever stored rows hold beyond the seed becomes taxonomy too, so the foreign key below holds
  await sql`INSERT INTO categories (slug, name_ru)
    SELECT DISTINCT category, category FROM products
    WHERE category IS NOT NULL AND category NOT IN (SELECT slug FROM categories)`.execute(db);
  for (const key of ['color', 'material'] as const) {
    await sql`INSERT INTO attribute_values (attribute_key, value, name_ru)
      SELECT DISTINCT ${key}, ${sql.ref(key)}, ${sql.ref(key)} FROM products
      WHERE ${sql.ref(key)} IS NOT NULL
        AND ${sql.ref(key)} NOT IN (SELECT value FROM attribute_values WHERE attribute_key = ${key})`.execute(db);
  }
  await sql.raw(`UPDATE products SET images = jsonb_build_array(image_url) WHERE image_url IS NOT NULL`).execute(db);
  await sql
    .raw(
      `ALTER TABLE products ADD CONSTRAINT products_category_fk FOREIGN KEY (category)
       REFERENCES categories(slug) ON UPDATE CASCADE ON DELETE SET NULL`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE products DROP CONSTRAINT IF EXISTS products_category_fk`).execute(db);
  for (const table of ['warehouses', 'product_stock', 'attribute_values', 'attributes', 'categories']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
  for (const column of ['images', 'old_price', 'stock_quantity', 'external_id', 'attributes']) {
    await sql.raw(`ALTER TABLE products DROP COLUMN IF EXISTS ${column}`).execute(db);
  }
}
