import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';
import { AUDIENCE_CATEGORIES } from '../../engine/catalog.ts';
import { AUDIENCE_PREFIXES, familyPrefixes } from './families.ts';
import { STOP_WORDS } from './stopWords.ts';
import { stemmedQuery, type Term } from './terms.ts';
import { fold } from './fold.ts';

/**
 * What a category criterion covers. Understanding names a category in the words it knows
 * («стулья» → `chair`), while the retailer files its goods under categories of its own
 * («Кухонные стулья»). So a category is searched by
 *  1. `slugs`: the category and its descendants in the taxonomy tree — exact, as filters are;
 *  2. `words`, when the city files nothing under those: products whose category words (names,
 *     synonyms: weight C of `title_tsv`) hold the category's names or synonyms — or, when the
 *     shopper's words narrow the search, whose name does («Тумба под раковину» is a `nightstand`
 *     for «тумба под раковину», while «Кресло-кровать» is no bed when a bed is all that was asked).
 */
export type CategoryScope = {
  slugs: string[];
  /** tsquery text (letters, digits, prefix operators; safe to bind): `filed` for weight C only */
  words: { filed: string; named: string; familyFiled: string; familyNamed: string };
};

export type ScopeMemo = TtlCache<string, CategoryScope>;
/** whether a city files any product under a category's subtree, by `city|category`: changes with its products */
export type FiledMemo = TtlCache<string, boolean>;

export { AUDIENCE_CATEGORIES };

type Row = { slug: string; name_ru: string; name_kk: string | null; name_en: string | null; synonyms: unknown };

export async function categoryScope(db: Db, slug: string, memo?: ScopeMemo): Promise<CategoryScope> {
  const known = memo?.lookup(slug);
  if (known) return known.value;
  const { rows } = await sql<Row>`
    WITH RECURSIVE tree(slug) AS (
      SELECT ${slug}::text
      UNION SELECT c.slug FROM categories c JOIN tree ON c.parent_slug = tree.slug
    )
    SELECT c.slug, c.name_ru, c.name_kk, c.name_en, c.synonyms FROM categories c JOIN tree USING (slug)`.execute(db);
  const phrases = new Set<string[]>();
  const family = new Set<string>();
  for (const r of rows) {
    const synonyms = Array.isArray(r.synonyms) ? r.synonyms.filter((s): s is string => typeof s === 'string') : [];
    for (const name of [r.name_ru, r.name_kk, r.name_en, ...synonyms]) {
      const words = wordsOf(name);
      if (words.length === 0 || words.length > 3) continue;
      phrases.add(words);
      if (words.length === 1) for (const p of familyPrefixes(words[0]!)) family.add(p);
    }
  }
  const text = (weight: string) => ({
    words: [...phrases]
      .map((ws) => (ws.length > 1 ? `(${ws.map((w) => `${w}:*${weight}`).join(' & ')})` : `${ws[0]}:*${weight}`))
      .join(' | '),
    family: [...family].map((p) => `${p}:*${weight}`).join(' | '),
  });
  const filed = text('C');
  const named = text('');
  const scope: CategoryScope = {
    slugs: rows.length ? rows.map((r) => r.slug) : [slug],
    words: { filed: filed.words, named: named.words, familyFiled: filed.family, familyNamed: named.family },
  };
  memo?.set(slug, scope);
  return scope;
}

/**
 * Where a category criterion's products come from — `where` when the shopper's words narrow the
 * search, `browse` when the category alone is asked — and how they are ordered before anything
 * else: products found by words first by how much of their category's name the category's words
 * cover («Обеденные столы» before «Письменные столы» for `table`), children's goods after the rest
 * unless the shopper asked for them («кровать» is not «кроватка»).
 */
export type Scope = { where: RawBuilder<unknown>; browse: RawBuilder<unknown>; order: RawBuilder<unknown>[] };

/**
 * The category's subtree first; `byWords` is asked only when that finds nothing, and gives the
 * words scope when the city files nothing at all under the subtree (null otherwise), so a catalog
 * that uses the category pays no more than a filter.
 */
export type Scopes = { subtree: Scope; byWords: () => Promise<Scope | null> };

export async function resolveScopes(
  db: Db,
  cityId: string,
  category: string,
  terms: readonly Term[],
  memo?: ScopeMemo,
  kind?: string,
  filed?: FiledMemo,
): Promise<Scopes> {
  const scope = await categoryScope(db, category, memo);
  // with the city as its btree's leading column: the (city, category, price) index reads the
  // category's rows alone instead of the whole index (word searches compare the city as text)
  const subtree = sql`p.city_id = ${cityId}::uuid AND p.category IN (${sql.join(scope.slugs)})`;
  return {
    subtree: await ofKind(db, { where: subtree, browse: subtree, order: [] }, kind, memo),
    async byWords() {
      const any = async () =>
        (await sql`SELECT 1 FROM products p WHERE ${subtree} LIMIT 1`.execute(db)).rows.length > 0;
      const files = filed ? await filed.through(`${cityId}|${category}`, any) : await any();
      const words = files ? null : wordsScope(category, scope, terms);
      return words && ofKind(db, words, kind, memo);
    },
  };
}

/** narrowed to products of `kind`: filed under its subtree, or named by its words */
async function ofKind(db: Db, scope: Scope, kind: string | undefined, memo?: ScopeMemo): Promise<Scope> {
  if (!kind) return scope;
  const { slugs, words } = await categoryScope(db, kind, memo);
  const named = words.named ? sql` OR p.title_tsv @@ ${wordsQuery(words.named, words.familyNamed)}` : sql``;
  const isKind = sql`(p.category IN (${sql.join(slugs)})${named})`;
  return { where: sql`${scope.where} AND ${isKind}`, browse: sql`${scope.browse} AND ${isKind}`, order: scope.order };
}

const wordsQuery = (words: string, family: string): RawBuilder<unknown> =>
  family ? sql`(${stemmedQuery(words)} || to_tsquery('simple'::regconfig, ${family}))` : stemmedQuery(words);

function wordsScope(category: string, scope: CategoryScope, terms: readonly Term[]): Scope | null {
  const { filed, named, familyFiled, familyNamed } = scope.words;
  if (!filed) return null;
  const query = wordsQuery;
  const order: RawBuilder<unknown>[] = [];
  const askedAudience =
    AUDIENCE_CATEGORIES.has(category) || terms.some((t) => t.family.some((p) => AUDIENCE_PREFIXES.includes(p)));
  if (!askedAudience) {
    const audience = AUDIENCE_PREFIXES.map((p) => `${p}:*`).join(' | ');
    order.push(sql`(p.title_tsv @@ to_tsquery('simple'::regconfig, ${audience})) ASC`);
  }
  const categoryName = sql`(SELECT to_tsvector('simple'::regconfig, translate(lower(c.name_ru), 'ё', 'е'))
    FROM categories c WHERE c.slug = p.category)`;
  order.push(sql`coalesce(ts_rank_cd(${categoryName}, ${query(named, familyNamed)}, 2), 0) DESC`);
  return {
    where: sql`p.title_tsv @@ ${query(named, familyNamed)}`,
    browse: sql`p.title_tsv @@ ${query(filed, familyFiled)}`,
    order,
  };
}

function wordsOf(text: string | null): string[] {
  if (!text) return [];
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}
