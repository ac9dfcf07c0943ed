import { sql, type RawBuilder } from 'kysely';
import type { Product } from '../../engine/catalog.ts';
import { inTransaction, type Db } from '../repos/common.ts';
import { isUuid, PRODUCT_COLUMNS, toProduct } from '../repos/products.ts';
import { estimateTerms, indexedTerms, type TermEstimate } from './estimates.ts';
import { handleMemo, type HandleMemo } from './handleMemo.ts';
import { lexemesOf } from './lexemes.ts';
import { fieldQuery, prefixWords, type PrefixMemo, type PrefixWords } from './prefixWords.ts';
import { parseQuery, type ParsedQuery } from './query.ts';
import { AUDIENCE_CATEGORIES, resolveScopes, type FiledMemo, type Scope, type ScopeMemo } from './scope.ts';
import { anyPrefixes, termQuery, termsOf, wordsOf, type Term } from './terms.ts';
import { typoCorrections, type CorrectionMemo } from './typos.ts';

export type { CorrectionMemo } from './typos.ts';
export type { FiledMemo, ScopeMemo } from './scope.ts';

export type ProductSearch = {
  cityId: string;
  query?: string;
  category?: string;
  color?: string;
  material?: string;
  priceMin?: number;
  priceMax?: number;
  /** whom for, beside `category` (what it is): searched as the audience's goods of that kind */
  audience?: string;
  availableOnly?: boolean;
};

/** ts_rank weights {D, C, B, A}: name A, category/colour/material synonyms C above description B */
const WEIGHTS = sql`'{0.05, 0.6, 0.2, 1.0}'::float4[]`;

/**
 * At most this many matches are read and ranked per query (more when paging deeper). Up to it the
 * total is exact; beyond it `total` is the window size and `totalCapped` is set («200+»).
 */
export const SEARCH_WINDOW = 200;

/** zero stock is out of stock whatever the flag says (a 1C exchange may send only quantities) */
const IN_STOCK = sql`(p.is_available AND (p.stock_quantity IS NULL OR p.stock_quantity > 0))`;

/**
 * Where a search runs: any database handle (the planner hint is then set per transaction), or
 * `{ hinted }`, a handle whose sessions were opened with `enable_seqscan=off` (PostgreSQL's
 * search pool from `openDatabase`), where every search is plain statements.
 */
export type SearchDb = Db | { readonly hinted: Db };

/**
 * `relaxed`: nothing matched every word the shopper wrote, so these `dropped` words (as the shopper
 * wrote them) were left out — the bot says it broadened the search.
 */
export type SearchResult = {
  items: Product[];
  total: number;
  totalCapped?: boolean;
  relaxed?: { dropped: string[] };
};

/** remembered per bot: typo corrections by word, category scopes by slug (both change only with the catalog) */
export type SearchOptions = {
  corrections?: CorrectionMemo;
  scopes?: ScopeMemo;
  prefixes?: PrefixMemo;
  filed?: FiledMemo;
};

/**
 * Catalog search in SQL that PostgreSQL 15 and PGlite both run:
 * - structured filters (category, colour, material, price, in stock) must hold; a category is its
 *   taxonomy subtree, and when the city files nothing under it, any product filed under a category
 *   of the retailer's own whose words say it is one (scope.ts: `chair` finds «Кухонные стулья»);
 * - words are full-text terms over the generated `title_tsv` (name A, category/colour/material
 *   words C) and `desc_tsv` (description B): `russian` stem prefixes («диванов» finds «диван»),
 *   typo corrections by trigram distance over `search_terms` («крвать» → «кровать»), word families
 *   («для кухни» finds «кухонный», «тумбочка» «тумба»; families.ts), sizes and counts as phrases
 *   («160 на 200», «на 6 человек»; measures.ts); ё→е on both sides; Kazakh and Latin through `simple`;
 * - stages, first with results wins: every word in the title; every word anywhere; any word in the
 *   title; any word anywhere; then, when a category is given, the category alone — words are
 *   ranking signals, and the words no shown product matches are reported as `relaxed.dropped`. A
 *   search with no category never falls back that far, so nonsense finds nothing;
 * - SKUs in the text (`sofa-001`) match exactly and rank first;
 * - one GIN bitmap scan per stage reads at most SEARCH_WINDOW matches, ranks them (text rank, then
 *   availability, then price) and counts them — bounded work however large the catalog; each prefix
 *   is said once (lexemes.ts) and, in an index condition, as the exact words the catalog has
 *   (prefixWords.ts) — a stage that needs a word no product has in that index is not run; of three
 *   or more words needed together only the two rarest are read from the index, the others checked
 *   on the rows found (estimates.ts).
 */
export async function searchProducts(
  target: SearchDb,
  input: ProductSearch,
  page: { limit: number; offset: number } = { limit: 10, offset: 0 },
  options: SearchOptions = {},
): Promise<SearchResult> {
  if (!isUuid(input.cityId)) return { items: [], total: 0 };
  if ('hinted' in target) return search(target.hinted, input, page, options, handleMemo(target.hinted));
  const db = target;
  const memo = handleMemo(db);
  // most of a bot's searches are filters only («красный диван до 150 тысяч» is category + colour +
  // price): the btree plan needs no planner hint, so they go as one statement, no transaction
  const parsed = parseQuery(input.query);
  if (parsed.tokens.length === 0 && parsed.codes.length === 0 && parsed.phrases.length === 0)
    return search(db, input, page, options, memo);
  const nested = db.isTransaction;
  return inTransaction(db, async (tx) => {
    // The planner cannot estimate prefix tsqueries and, under LIMIT, gambles on a sequential or
    // price-ordered scan that reads most of the table when matches are rare or expensive.
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    try {
      return await search(tx, input, page, options, memo);
    } finally {
      if (nested) await sql`SET LOCAL enable_seqscan = on`.execute(tx);
    }
  });
}

type Paging = { limit: number; offset: number; window: number };

async function search(
  db: Db,
  input: ProductSearch,
  page: { limit: number; offset: number },
  options: SearchOptions,
  memo: HandleMemo,
): Promise<SearchResult> {
  const limit = Math.min(Math.max(Math.floor(page.limit), 1), 100);
  const offset = Math.max(Math.floor(page.offset), 0);
  const paging: Paging = { limit, offset, window: Math.max(SEARCH_WINDOW, offset + limit) };
  const parsed = parseQuery(input.query);
  const corrections = parsed.tokens.length
    ? await typoCorrections(db, parsed.tokens, options.corrections)
    : new Map<string, readonly string[]>();
  const lexemes = await lexemesOf(db, wordsOf(parsed, corrections), memo.lexemes);
  const terms = termsOf(parsed, corrections, lexemes);
  // which of three or more words are rare enough to look up in the index (estimates.ts)
  const estimates = terms.length > 2 ? await estimateTerms(db, terms, memo.estimates) : null;
  const words: Words = { terms, estimates, exact: await prefixWords(db, anyPrefixes(terms), options.prefixes) };
  // beds for kids: the audience's goods (its subtree or words) that are of the kind asked for
  const category = input.audience ?? input.category;
  const kind = input.audience && input.category !== input.audience ? input.category : undefined;
  if (!category) return find(db, input, null, words, parsed, paging, false);
  const scopes = await resolveScopes(db, input.cityId, category, terms, options.scopes, kind, options.filed);
  // words are ranking signals: the category alone may be shown, saying which words were left out —
  // but never for an audience alone («велосипед детский»: the unknown word is the thing sought)
  const relax = kind !== undefined || !AUDIENCE_CATEGORIES.has(category);
  const found = await find(db, input, scopes.subtree, words, parsed, paging, relax);
  if (found.total > 0) return found;
  const byWords = await scopes.byWords();
  return byWords ? find(db, input, byWords, words, parsed, paging, relax) : found;
}

/**
 * the shopper's words as terms, (for three or more) how many products each is expected to match,
 * and the catalog's exact words for their prefixes
 */
type Words = { terms: Term[]; estimates: TermEstimate[] | null; exact: PrefixWords };

/** the products of one scope: by filters alone, or by words, then (`relax`) by filters with the words reported left out */
async function find(
  db: Db,
  input: ProductSearch,
  scope: Scope | null,
  words: Words,
  { codes, skus }: Pick<ParsedQuery, 'codes' | 'skus'>,
  paging: Paging,
  relax: boolean,
): Promise<SearchResult> {
  const { terms } = words;
  if (terms.length === 0 && codes.length === 0) return browse(db, input, scope, paging);
  const found = await matchWords(db, input, scope, words, codes, paging);
  if (found.total > 0) return found;
  if (terms.length === 0)
    // an SKU asked for alone is the only answer; a number no product is coded as says nothing
    return skus.length > 0 ? found : browse(db, input, scope, paging);
  if (!relax) return found;
  const relaxed = await browse(db, input, scope, paging);
  return relaxed.total > 0 ? { ...relaxed, relaxed: { dropped: terms.map((t) => t.label) } } : found;
}

/** browsing by filters: the cheapest matches straight off the (city, [category,] price) btrees */
async function browse(db: Db, input: ProductSearch, scope: Scope | null, paging: Paging): Promise<SearchResult> {
  const where = scope ? sql`${filterSql(input, true)} AND ${scope.browse}` : filterSql(input, true);
  const first = scope?.order.length ? sql`${sql.join(scope.order)},` : sql``;
  const { result } = await windowed(
    db,
    paging,
    sql`SELECT * FROM products p WHERE ${where} ORDER BY p.price ASC, p.sku ASC LIMIT ${paging.window + 1}`,
    sql`${first} ${IN_STOCK} DESC, p.price ASC, p.sku ASC`,
  );
  return result;
}

async function matchWords(
  db: Db,
  input: ProductSearch,
  scope: Scope | null,
  { terms, estimates, exact }: Words,
  codes: string[],
  paging: Paging,
): Promise<SearchResult> {
  const ownWords = terms
    .filter((t) => t.own.russian.length || t.own.simple.length)
    .map((t) => ({ ...t, family: [], phrase: undefined }));
  const rankExact = termQuery(...ownWords);
  const rankWide = termQuery(...terms);
  const skuMatch = codes.length ? sql`p.sku_key IN (${sql.join(codes)})` : sql`false`;
  // checked on a row (a prefix is as good as its words there)
  const rowTitle = (q: RawBuilder<unknown>) => sql`p.title_tsv @@ ${q}`;
  const rowAnywhere = (q: RawBuilder<unknown>) => sql`(${rowTitle(q)} OR p.desc_tsv @@ ${q})`;
  // index conditions, each prefix as the catalog's exact words; null where the terms can match nothing
  type Condition = RawBuilder<unknown> | null;
  const inTitle = (ts: Term[]): Condition => {
    const title = fieldQuery(ts, exact, 'title');
    return title && sql`p.title_tsv @@ ${title}`;
  };
  const inEither = (ts: Term[]): Condition => {
    const title = inTitle(ts);
    const description = fieldQuery(ts, exact, 'description');
    if (!description) return title;
    return title ? sql`(${title} OR p.desc_tsv @@ ${description})` : sql`p.desc_tsv @@ ${description}`;
  };
  // every term: the rarest in the index, the others checked on the rows found (`IS TRUE` is no index condition)
  const all = (
    condition: (ts: Term[]) => Condition,
    check: (q: RawBuilder<unknown>) => RawBuilder<unknown>,
    size: (e: TermEstimate) => number,
  ): Condition => {
    const indexed = indexedTerms(estimates, size);
    const parts = terms.map((t, i) => {
      const c = condition([t]);
      return c && (indexed(i) ? c : sql`(${check(termQuery(t))}) IS TRUE`);
    });
    return parts.every((c) => c !== null) ? sql.join(parts, sql` AND `) : null;
  };

  type Stage = { match: Condition; description: boolean; partial: boolean; where: RawBuilder<unknown> };
  // products filed under the category first, then those named so (scope.ts); every word before any word
  const wheres = scope ? [...new Set([scope.browse, scope.where])] : [sql`true`];
  const stages: Stage[] = [];
  for (const where of wheres) {
    if (terms.length === 0) stages.push({ match: sql`false`, description: false, partial: false, where });
    else
      stages.push(
        { match: all(inTitle, rowTitle, (e) => e.title), description: false, partial: false, where },
        { match: all(inEither, rowAnywhere, (e) => e.anywhere), description: true, partial: false, where },
      );
  }
  if (terms.length > 1) {
    for (const where of wheres)
      stages.push(
        { match: inTitle(terms), description: false, partial: true, where },
        { match: inEither(terms), description: true, partial: true, where },
      );
  }
  // the city is compared as text so that the text indexes, not the city btree, drive the scan
  const filters = filterSql(input, false);
  const scopeOrder = scope?.order.length ? sql`${sql.join(scope.order)},` : sql``;
  // which words each shown product matches, to say which were left out by a partial stage
  const matched = sql`ARRAY[${sql.join(terms.map((t) => rowAnywhere(termQuery(t))))}]::boolean[]`;
  for (const stage of stages) {
    // words no product has in the index a stage needs: nothing to read (an SKU may still match)
    if (!stage.match && codes.length === 0) continue;
    const descriptionRank = stage.description ? sql`+ 0.5 * ts_rank(${WEIGHTS}, p.desc_tsv, ${rankWide})` : sql``;
    const order = sql`(CASE WHEN ${skuMatch} THEN 10 ELSE 0 END)
        + ts_rank(${WEIGHTS}, p.title_tsv, ${rankExact})
        + ts_rank(${WEIGHTS}, p.title_tsv, ${rankWide}) ${descriptionRank} DESC,
        ${scopeOrder} ${IN_STOCK} DESC, p.price ASC, p.sku ASC`;
    const found = await windowed(
      db,
      paging,
      sql`SELECT * FROM products p WHERE ${filters} AND ${stage.where} AND (${skuMatch} OR ${stage.match ?? sql`false`})
        LIMIT ${paging.window + 1}`,
      order,
      stage.partial && terms.length ? matched : undefined,
    );
    if (found.result.total === 0) continue;
    if (!stage.partial || !found.matched) return found.result;
    const dropped = terms.filter((_, i) => !found.matched!.some((flags) => flags[i] === true)).map((t) => t.label);
    return dropped.length ? { ...found.result, relaxed: { dropped } } : found.result;
  }
  return { total: 0, items: [] };
}

type Windowed = { result: SearchResult; matched?: boolean[][] };

/**
 * Ranks and pages the candidate rows of `candidates` (at most window + 1) in one statement;
 * `matched`, when given, is read for each shown row (which words it matches).
 */
async function windowed(
  db: Db,
  paging: Paging,
  candidates: RawBuilder<unknown>,
  order: RawBuilder<unknown>,
  matched?: RawBuilder<unknown>,
): Promise<Windowed> {
  const flags = matched ? sql`, ${matched} AS matched` : sql``;
  const { rows: found } = await sql<Row & { n: string | number; matched?: boolean[] }>`
    SELECT ${columns()}, count(*) OVER () AS n ${flags} FROM (${candidates}) p
     ORDER BY ${order} LIMIT ${paging.limit} OFFSET ${paging.offset}`.execute(db);
  let n = Number(found[0]?.n ?? 0);
  if (found.length === 0 && paging.offset > 0) {
    const { rows: c } = await sql<{ n: string | number }>`SELECT count(*) AS n FROM (${candidates}) p`.execute(db);
    n = Number(c[0]?.n ?? 0);
  }
  const items = found.map(toProduct);
  const result: SearchResult =
    n > paging.window ? { items, total: paging.window, totalCapped: true } : { items, total: n };
  return matched ? { result, matched: found.map((r) => r.matched ?? []) } : { result };
}

function columns(): RawBuilder<unknown> {
  return sql.join(PRODUCT_COLUMNS.map((c) => sql.ref(`p.${c}`)));
}

function filterSql(input: ProductSearch, cityIndexed: boolean): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [
    cityIndexed ? sql`p.city_id = ${input.cityId}::uuid` : sql`p.city_id::text = ${input.cityId.toLowerCase()}`,
  ];
  if (input.color) parts.push(sql`p.color = ${input.color}`);
  if (input.material) parts.push(sql`p.material = ${input.material}`);
  if (input.priceMin !== undefined && Number.isFinite(input.priceMin)) parts.push(sql`p.price >= ${input.priceMin}`);
  if (input.priceMax !== undefined && Number.isFinite(input.priceMax)) parts.push(sql`p.price <= ${input.priceMax}`);
  if (input.availableOnly) parts.push(IN_STOCK);
  return sql.join(parts, sql` AND `);
}

type Row = Parameters<typeof toProduct>[0];
