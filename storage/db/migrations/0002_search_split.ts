import { sql, type Kysely } from 'kysely';

/**
 * Search at 100k products: one wide vector made every ranked row expensive. The name and the
 * category/colour/material synonyms now live in a small `title_tsv` (what nearly every query
 * matches and ranks on) and the description in its own `desc_tsv` (used when the title has no
 * match). The generated search_text column is dropped to keep rows narrow.
 */
const UP: string[] = [
  `DROP INDEX IF EXISTS products_tsv_idx`,
  `ALTER TABLE products DROP COLUMN search_tsv`,
  // narrower rows: the vocabulary trigger reads name and keywords directly
  `CREATE OR REPLACE FUNCTION products_collect_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_terms (word)
        SELECT DISTINCT w FROM new_rows,
          unnest(tsvector_to_array(to_tsvector('simple'::regconfig, translate(lower(new_rows.name || ' ' || new_rows.search_keywords), 'ё', 'е')))) AS w
        WHERE length(w) >= 3
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`,
  `ALTER TABLE products DROP COLUMN search_text`,
  `ALTER TABLE products ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('russian'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('simple'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('russian'::regconfig, search_keywords), 'C') ||
      setweight(to_tsvector('simple'::regconfig, search_keywords), 'C')
    ) STORED`,
  `ALTER TABLE products ADD COLUMN desc_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('russian'::regconfig, translate(lower(left(description, 20000)), 'ё', 'е')), 'B')
    ) STORED`,
  `CREATE INDEX products_title_tsv_idx ON products USING gin (title_tsv)`,
  `CREATE INDEX products_desc_tsv_idx ON products USING gin (desc_tsv)`,
];

const DOWN: string[] = [
  `ALTER TABLE products ADD COLUMN search_text text GENERATED ALWAYS AS (translate(lower(name || ' ' || search_keywords), 'ё', 'е')) STORED`,
  `DROP INDEX IF EXISTS products_desc_tsv_idx`,
  `DROP INDEX IF EXISTS products_title_tsv_idx`,
  `ALTER TABLE products DROP COLUMN desc_tsv`,
  `ALTER TABLE products DROP COLUMN title_tsv`,
  `ALTER TABLE products ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('russian'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('simple'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('russian'::regconfig, translate(lower(left(description, 20000)), 'ё', 'е')), 'B') ||
      setweight(to_tsvector('russian'::regconfig, search_keywords), 'C') ||
      setweight(to_tsvector('simple'::regconfig, search_keywords), 'C')
    ) STORED`,
  `CREATE INDEX products_tsv_idx ON products USING gin (search_tsv)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
