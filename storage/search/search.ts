import { sql, type RawBuilder } from 'kysely';
import { skuKey } from '../../engine/skuKey.ts';
import type { Product } from '../../engine/catalog.ts';
import { inTransaction, type Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';
import { CARD_COLUMNS, isUuid, toProduct } from '../repos/products.ts';
import { parseQuery, prefixTerm, type ParsedQuery } from './query.ts';

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

/** similarity below this is not a plausible typo of a catalog word */
const MIN_TYPO_SIMILARITY = 0.3;
const CORRECTIONS_PER_TOKEN = 3;
/** ts_rank weights {D, C, B, A}: name A, category/colour/material synonyms C above description B */
const WEIGHTS = sql`'{0.05, 0.6, 0.2, 1.0}'::float4[]`;

/**
 * At most this many matches are read and ranked per query (more when paging deeper). Up to it the
 * total is exact; beyond it `total` is the window size and `totalCapped` is set («200+»).
 */
export const SEARCH_WINDOW = 200;

/**
 * Where a search runs: any database handle (the planner hint is then set per transaction), or
 * `{ hinted }`, a handle whose sessions were opened with `enable_seqscan=off` (PostgreSQL's
 * search pool from `openDatabase`), where every search is plain statements.
 */
export type SearchDb = Db | { readonly hinted: Db };

export type SearchResult = { items: Product[]; total: number; totalCapped?: boolean };

/**
 * Typo corrections by word (an empty list: no correction). They depend only on the catalog
 * vocabulary, which changes with imports, not between a shopper's messages: a bot remembers them
 * for a while instead of asking the database for every search with the same words.
 */
export type CorrectionMemo = TtlCache<string, readonly string[]>;
export type SearchOptions = { corrections?: CorrectionMemo };

/**
 * Catalog search in SQL that PostgreSQL 15 and PGlite both run:
 * - full-text search over the generated `title_tsv` (name weight A in the `russian` and `simple`
 *   configurations, category/colour/material synonyms C) and `desc_tsv` (description), with prefix
 *   terms on stems so «диванов» finds «диван»;
 * - typos: each word unknown to the catalog vocabulary is widened with its nearest catalog words by
 *   trigram distance (`pg_trgm` KNN over `search_terms`), so «крвать» also searches «кровать»;
 * - ё→е folding on both sides; Kazakh and Latin words through the `simple` configuration;
 * - stages, first with results wins: every word in the title; every word in title or description;
 *   any word in the title; any word anywhere;
 * - SKUs in the text (`sofa-001`) match exactly and rank first;
 * - one GIN bitmap scan per stage reads at most SEARCH_WINDOW matches, ranks them (text rank, then
 *   availability, then price) and counts them — bounded work however large the catalog.
 */
export async function searchProducts(
  target: SearchDb,
  input: ProductSearch,
  page: { limit: number; offset: number } = { limit: 10, offset: 0 },
  options: SearchOptions = {},
): Promise<SearchResult> {
  if (!isUuid(input.cityId)) return { items: [], total: 0 };
  const parsed = parseQuery(input.query);
  if ('hinted' in target) return search(target.hinted, input, parsed, page, options);
  const db = target;
  // most of a bot's searches are filters only («красный диван до 150 тысяч» is category + colour +
  // price): the btree plan needs no planner hint, so they go as one statement, no transaction
  if (parsed.tokens.length === 0 && parsed.skus.length === 0) return search(db, input, parsed, page, options);
  const nested = db.isTransaction;
  return inTransaction(db, async (tx) => {
    // The planner cannot estimate prefix tsqueries and, under LIMIT, gambles on a sequential or
    // price-ordered scan that reads most of the table when matches are rare or expensive.
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    try {
      return await search(tx, input, parsed, page, options);
    } finally {
      if (nested) await sql`SET LOCAL enable_seqscan = on`.execute(tx);
    }
  });
}

async function search(
  db: Db,
  input: ProductSearch,
  { tokens, skus }: ParsedQuery,
  page: { limit: number; offset: number },
  options: SearchOptions,
): Promise<SearchResult> {
  const limit = Math.min(Math.max(Math.floor(page.limit), 1), 100);
  const offset = Math.max(Math.floor(page.offset), 0);
  const window = Math.max(SEARCH_WINDOW, offset + limit);

  if (tokens.length === 0 && skus.length === 0) {
    // browsing by filters: the cheapest matches straight off the (city, [category,] price) btrees
    return windowed(
      db,
      window,
      sql`SELECT * FROM products p WHERE ${filterSql(input, true)}
      ORDER BY p.price ASC, p.sku ASC LIMIT ${window + 1}`,
      sql`p.is_available DESC, p.price ASC, p.sku ASC`,
      limit,
      offset,
    );
  }

  const corrections = tokens.length
    ? await typoCorrections(db, tokens, options.corrections)
    : new Map<string, readonly string[]>();
  const widened = tokens.map((t) => [t, ...(corrections.get(t) ?? [])].map(prefixTerm).join(' | '));
  const rankExact = tsquery(tokens.map(prefixTerm).join(' | ') || 'x');
  const rankWide = tsquery(widened.join(' | ') || 'x');
  const skuMatch = skus.length ? sql`p.sku_key IN (${sql.join(skus.map(skuKey))})` : sql`false`;
  const inTitle = (q: string) => sql`p.title_tsv @@ ${tsquery(q)}`;
  const anywhere = (q: string) => sql`(p.title_tsv @@ ${tsquery(q)} OR p.desc_tsv @@ ${tsquery(q)})`;
  const all = (f: (q: string) => RawBuilder<unknown>) => sql.join(widened.map(f), sql` AND `);

  const stages: { match: RawBuilder<unknown>; description: boolean }[] = widened.length
    ? [
        { match: all(inTitle), description: false },
        { match: all(anywhere), description: true },
      ]
    : [{ match: sql`false`, description: false }];
  if (widened.length > 1) {
    const any = widened.join(' | ');
    stages.push({ match: inTitle(any), description: false }, { match: anywhere(any), description: true });
  }
  // the city is compared as text so that the text indexes, not the city btree, drive the scan
  const filters = filterSql(input, false);
  for (const stage of stages) {
    const descriptionRank = stage.description ? sql`+ 0.5 * ts_rank(${WEIGHTS}, p.desc_tsv, ${rankWide})` : sql``;
    const order = sql`(CASE WHEN ${skuMatch} THEN 10 ELSE 0 END)
        + ts_rank(${WEIGHTS}, p.title_tsv, ${rankExact})
        + ts_rank(${WEIGHTS}, p.title_tsv, ${rankWide}) ${descriptionRank} DESC,
        p.is_available DESC, p.price ASC, p.sku ASC`;
    const found = await windowed(
      db,
      window,
      sql`SELECT * FROM products p WHERE ${filters} AND (${skuMatch} OR ${stage.match}) LIMIT ${window + 1}`,
      order,
      limit,
      offset,
    );
    if (found.total > 0) return found;
  }
  return { total: 0, items: [] };
}

/** ranks and pages the candidate rows of `candidates` (at most window + 1) in one statement */
async function windowed(
  db: Db,
  window: number,
  candidates: RawBuilder<unknown>,
  order: RawBuilder<unknown>,
  limit: number,
  offset: number,
): Promise<SearchResult> {
  const { rows: found } = await sql<Row & { n: string | number }>`
    SELECT ${RESULT_COLUMNS}, count(*) OVER () AS n FROM (${candidates}) p
     ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(db);
  let n = Number(found[0]?.n ?? 0);
  if (found.length === 0 && offset > 0) {
    const { rows: c } = await sql<{ n: string | number }>`SELECT count(*) AS n FROM (${candidates}) p`.execute(db);
    n = Number(c[0]?.n ?? 0);
  }
  const items = found.map(toProduct);
  return n > window ? { items, total: window, totalCapped: true } : { items, total: n };
}

/**
 * For Russian words the `russian` stem prefix already covers the `simple` form («дива:*» ⊇ «диван:*»),
 * so the second scan is skipped; Kazakh letters and Latin need both configurations.
 */
function tsquery(text: string): RawBuilder<unknown> {
  if (/^[а-я0-9:*| ]+$/.test(text)) return sql`to_tsquery('russian'::regconfig, ${text})`;
  return sql`(to_tsquery('russian'::regconfig, ${text}) || to_tsquery('simple'::regconfig, ${text}))`;
}

/** what a result row needs (not the timestamps, dimensions or city every row would carry), built once */
const RESULT_COLUMNS = sql.join(CARD_COLUMNS.map((c) => sql.ref(`p.${c}`)));

function filterSql(input: ProductSearch, cityIndexed: boolean): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    cityIndexed ? sql`p.city_id = ${input.cityId}::uuid` : sql`p.city_id::text = ${input.cityId.toLowerCase()}`,
  ];
  if (input.category) parts.push(sql`p.category = ${input.category}`);
  if (input.color) parts.push(sql`p.color = ${input.color}`);
  if (input.material) parts.push(sql`p.material = ${input.material}`);
  if (input.priceMin !== undefined && Number.isFinite(input.priceMin)) parts.push(sql`p.price >= ${input.priceMin}`);
  if (input.priceMax !== undefined && Number.isFinite(input.priceMax)) parts.push(sql`p.price <= ${input.priceMax}`);
  if (input.availableOnly) parts.push(sql`p.is_available`);
  return sql.join(parts, sql` AND `);
}

type Row = Parameters<typeof toProduct>[0];

/**
 * For each token that is not itself a catalog word, the nearest catalog words by trigram distance
 * (GiST KNN on `search_terms`, a few thousand rows however large the catalog).
 */
async function typoCorrections(
  db: Db,
  tokens: string[],
  memo?: CorrectionMemo,
): Promise<Map<string, readonly string[]>> {
  const map = new Map<string, readonly string[]>();
  const candidates: string[] = [];
  for (const token of tokens) {
    if (token.length < 3) continue;
    const known = memo?.lookup(token);
    if (!known) candidates.push(token);
    else if (known.value.length > 0) map.set(token, known.value);
  }
  if (candidates.length === 0) return map;
  const { rows } = await sql<{ tok: string; word: string; sim: number; known: boolean }>`
    SELECT t.tok, w.word, similarity(w.word, t.tok) AS sim,
           EXISTS (SELECT 1 FROM search_terms s WHERE s.word = t.tok) AS known
      FROM unnest(${sql.val(candidates)}::text[]) AS t(tok)
      CROSS JOIN LATERAL (SELECT word FROM search_terms ORDER BY word <-> t.tok LIMIT ${CORRECTIONS_PER_TOKEN}) w`.execute(
    db,
  );
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.tok, Math.max(best.get(r.tok) ?? 0, Number(r.sim)));
  for (const r of rows) {
    if (r.known || r.word === r.tok || !/^[\p{L}\p{N}]+$/u.test(r.word)) continue;
    // only the closest words: «кроватей» means «кровать/кровати», not also «кроватка»
    const sim = Number(r.sim);
    if (sim < MIN_TYPO_SIMILARITY || sim < (best.get(r.tok) ?? 0) - 0.03) continue;
    map.set(r.tok, [...(map.get(r.tok) ?? []), r.word]);
  }
  if (memo) for (const token of candidates) memo.set(token, map.get(token) ?? []);
  return map;
}
