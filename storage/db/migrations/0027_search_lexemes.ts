import { sql, type Kysely } from 'kysely';

/**
 * `search_lexemes`: every lexeme the text indexes hold and which of them holds it — `title`
 * (`title_tsv`: name, category and value words) or `description` (`desc_tsv`). A search reads a
 * word's prefix (`'крова':*`) as the exact lexemes the catalog has (`'кровать' | 'кровати'`): GIN
 * first collects a prefix's rows into a bitmap of their own, a third of a word scan's time, which
 * exact entries skip (storage/search/prefixWords.ts).
 *
 * Kept by statement triggers as `search_terms` is, and a superset of the indexes' lexemes: a word
 * is added when a product brings it and never removed (a word no product has any more costs a
 * search one empty index lookup). Rows are only ever inserted (`DO NOTHING` locks no existing row,
 * so imports of two cities never wait on each other's words), in word order (no deadlock between
 * two transactions bringing the same new words). `COLLATE "C"`: a prefix's words are one range of
 * the primary key whatever the database's collation. Updates add the lexemes of rows whose text
 * changed only, so price and stock updates pay a join, not a pass over every vector.
 */
const COLLECT = (rows: string) => `
      WITH r AS (${rows})
      INSERT INTO search_lexemes (word, field)
        SELECT DISTINCT w, field
          FROM (SELECT unnest(tsvector_to_array(title_tsv)) AS w, 'title' AS field FROM r
                UNION ALL
                SELECT unnest(tsvector_to_array(desc_tsv)), 'description' FROM r) s
         ORDER BY w, field
      ON CONFLICT DO NOTHING`;

const UP: string[] = [
  `CREATE TABLE search_lexemes (
    word text COLLATE "C" NOT NULL,
    field text NOT NULL CHECK (field IN ('title', 'description')),
    PRIMARY KEY (word, field)
  )`,
  COLLECT('SELECT title_tsv, desc_tsv FROM products'),
  `CREATE FUNCTION products_collect_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${COLLECT('SELECT title_tsv, desc_tsv FROM new_rows')};
      RETURN NULL;
    END $$`,
  `CREATE FUNCTION products_collect_changed_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${COLLECT(`SELECT n.title_tsv, n.desc_tsv FROM new_rows n JOIN old_rows o ON o.id = n.id
                  WHERE n.title_tsv IS DISTINCT FROM o.title_tsv OR n.desc_tsv IS DISTINCT FROM o.desc_tsv`)};
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER products_lexemes_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_collect_lexemes()`,
  `CREATE TRIGGER products_lexemes_update AFTER UPDATE ON products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION products_collect_changed_lexemes()`,
];

const DOWN: string[] = [
  `DROP TRIGGER IF EXISTS products_lexemes_update ON products`,
  `DROP TRIGGER IF EXISTS products_lexemes_insert ON products`,
  `DROP FUNCTION IF EXISTS products_collect_changed_lexemes()`,
  `DROP FUNCTION IF EXISTS products_collect_lexemes()`,
  `DROP TABLE IF EXISTS search_lexemes`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
