import { sql, type RawBuilder } from 'kysely';
import type { Product } from '../../engine/catalog.ts';
import type { Db } from '../repos/common.ts';
import { PRODUCT_COLUMNS, toProduct } from '../repos/products.ts';
import { parseQuery, prefixTerm } from './query.ts';

export type ProductSearch = {
  cityId: string;
  query?: string;
  category?: string;
  color?: string;
  material?: string;
  priceMin?: number;
  priceMax?: number;
  availableOnly?: boolean;
};

export type SearchResult = { items: Product[]; total: number };

/** similarity below this is not a plausible typo of a catalog word */
const MIN_TYPO_SIMILARITY = 0.3;
const CORRECTIONS_PER_TOKEN = 3;
/** ts_rank weights {D, C, B, A}: name A, category/colour/material synonyms C above description B */
const WEIGHTS = sql`'{0.05, 0.6, 0.2, 1.0}'::float4[]`;

/**
 * Catalog search in SQL that PostgreSQL 15 and PGlite both run:
 * - full-text search over a generated `search_tsv` (name weight A in the `russian` and `simple`
 *   configurations, description B, category/colour/material synonyms C), prefix terms on stems so
 *   «диванов» finds «диван»;
 * - typos: each word unknown to the catalog vocabulary is widened with its nearest catalog words by
 *   trigram distance (`pg_trgm` KNN over `search_terms`), so «крвать» also searches «кровать»;
 * - ё→е folding on both sides; Kazakh and Latin words through the `simple` configuration;
 * - every word must match (or one of its corrections); if nothing does, any word may match;
 * - SKUs in the text (`sofa-001`) match exactly and rank first;
 * - ranked by text rank, then availability; total counted in the same query.
 */
export async function searchProducts(db: Db, input: ProductSearch, page: { limit: number; offset: number } = { limit: 10, offset: 0 }): Promise<SearchResult> {
  const limit = Math.min(Math.max(Math.floor(page.limit), 1), 100);
  const offset = Math.max(Math.floor(page.offset), 0);
  const { tokens, skus } = parseQuery(input.query);
  const filters = filterSql(input);

  if (tokens.length === 0 && skus.length === 0) {
    return run(db, sql`SELECT ${columns()}, count(*) OVER () AS total FROM products p WHERE ${filters}
      ORDER BY p.is_available DESC, p.price ASC, p.sku ASC LIMIT ${limit} OFFSET ${offset}`);
  }

  const corrections = tokens.length ? await typoCorrections(db, tokens) : new Map<string, string[]>();
  const exact = tokens.map((t) => prefixTerm(t));
  const widened = tokens.map((t) => [t, ...(corrections.get(t) ?? [])].map(prefixTerm).join(' | '));
  const rankExact = tsquery(exact.join(' | '));
  const rankWide = tsquery(widened.join(' | '));
  const skuMatch = skus.length ? sql`upper(p.sku) IN (${sql.join(skus)})` : sql`false`;
  const query = (textMatch: RawBuilder<unknown>) => sql`
    SELECT ${columns()}, count(*) OVER () AS total FROM (
      SELECT p.*,
        (CASE WHEN ${skuMatch} THEN 10 ELSE 0 END)
        + ts_rank(${WEIGHTS}, p.search_tsv, ${rankExact})
        + ts_rank(${WEIGHTS}, p.search_tsv, ${rankWide})
        + 0.2 * similarity(p.search_text, ${tokens.join(' ')})
        + (CASE WHEN p.is_available THEN 0.05 ELSE 0 END) AS score
      FROM products p
      WHERE ${filters} AND (${skuMatch} OR ${textMatch})
    ) p
    ORDER BY p.score DESC, p.is_available DESC, p.price ASC, p.sku ASC
    LIMIT ${limit} OFFSET ${offset}`;

  const allWords = widened.length ? sql.join(widened.map((w) => sql`p.search_tsv @@ ${tsquery(w)}`), sql` AND `) : sql`false`;
  const strict = await run(db, query(allWords));
  if (strict.total > 0 || widened.length < 2) return strict;
  return run(db, query(sql`p.search_tsv @@ ${rankWide}`));
}

function tsquery(text: string): RawBuilder<unknown> {
  return sql`(to_tsquery('russian'::regconfig, ${text}) || to_tsquery('simple'::regconfig, ${text}))`;
}

function columns(): RawBuilder<unknown> {
  return sql.join(PRODUCT_COLUMNS.map((c) => sql.ref(`p.${c}`)));
}

function filterSql(input: ProductSearch): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`p.city_id = ${input.cityId}::uuid`];
  if (input.category) parts.push(sql`p.category = ${input.category}`);
  if (input.color) parts.push(sql`p.color = ${input.color}`);
  if (input.material) parts.push(sql`p.material = ${input.material}`);
  if (input.priceMin !== undefined && Number.isFinite(input.priceMin)) parts.push(sql`p.price >= ${input.priceMin}`);
  if (input.priceMax !== undefined && Number.isFinite(input.priceMax)) parts.push(sql`p.price <= ${input.priceMax}`);
  if (input.availableOnly) parts.push(sql`p.is_available`);
  return sql.join(parts, sql` AND `);
}

type Row = Parameters<typeof toProduct>[0] & { total: string | number };

async function run(db: Db, query: RawBuilder<unknown>): Promise<SearchResult> {
  const { rows } = await (query as RawBuilder<Row>).execute(db);
  return { items: rows.map(toProduct), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/**
 * For each token that is not itself a catalog word, the nearest catalog words by trigram distance
 * (GiST KNN on `search_terms`, a few thousand rows however large the catalog).
 */
async function typoCorrections(db: Db, tokens: string[]): Promise<Map<string, string[]>> {
  const candidates = tokens.filter((t) => t.length >= 3);
  const map = new Map<string, string[]>();
  if (candidates.length === 0) return map;
  const { rows } = await sql<{ tok: string; word: string; sim: number; known: boolean }>`
    SELECT t.tok, w.word, similarity(w.word, t.tok) AS sim,
           EXISTS (SELECT 1 FROM search_terms s WHERE s.word = t.tok) AS known
      FROM unnest(${sql.val(candidates)}::text[]) AS t(tok)
      CROSS JOIN LATERAL (SELECT word FROM search_terms ORDER BY word <-> t.tok LIMIT ${CORRECTIONS_PER_TOKEN}) w`.execute(db);
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.tok, Math.max(best.get(r.tok) ?? 0, Number(r.sim)));
  for (const r of rows) {
    if (r.known || r.word === r.tok || !/^[\p{L}\p{N}]+$/u.test(r.word)) continue;
    // only the closest words: «кроватей» means «кровать/кровати», not also «кроватка»
    const sim = Number(r.sim);
    if (sim < MIN_TYPO_SIMILARITY || sim < (best.get(r.tok) ?? 0) - 0.03) continue;
    map.set(r.tok, [...(map.get(r.tok) ?? []), r.word]);
  }
  return map;
}
