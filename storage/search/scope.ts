import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';
import { familyPrefixes } from './families.ts';
import { STOP_WORDS } from './stopWords.ts';
import { fold } from './vocabulary.ts';

/**
 * What a category criterion covers. Understanding names a category in the words it knows
 * («стулья» → `chair`), while the retailer files its goods under categories of its own
 * («Кухонные стулья»). So a category is searched by
 *  1. `slugs`: the category and its descendants in the taxonomy tree — exact, as filters are;
 *  2. `words`, when the city files nothing under those: any product whose title or category words
 *     (names, synonyms) hold the category's names or synonyms, whatever category it is filed under.
 */
export type CategoryScope = {
  slugs: string[];
  /** tsquery alternatives for step 2 (letters, digits and prefix operators only; safe to bind) */
  words: { stemmed: string; exact: string };
};

export type ScopeMemo = TtlCache<string, CategoryScope>;

/**
 * Categories that say whom a product is for, not what it is. Next to one of them an unknown word is
 * the thing sought («велосипед детский»), so search never drops it to show the audience's goods.
 */
export const AUDIENCE_CATEGORIES: ReadonlySet<string> = new Set(['kids']);

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
  const phrases = new Set<string>();
  const exact = new Set<string>();
  for (const r of rows) {
    const synonyms = Array.isArray(r.synonyms) ? r.synonyms.filter((s): s is string => typeof s === 'string') : [];
    for (const name of [r.name_ru, r.name_kk, r.name_en, ...synonyms]) {
      const words = wordsOf(name);
      if (words.length === 0 || words.length > 3) continue;
      phrases.add(words.map((w) => `${w}:*`).join(' & '));
      if (words.length === 1) for (const p of familyPrefixes(words[0]!)) exact.add(`${p}:*`);
    }
  }
  const scope: CategoryScope = {
    slugs: rows.length ? rows.map((r) => r.slug) : [slug],
    words: {
      stemmed: [...phrases].map((p) => (p.includes('&') ? `(${p})` : p)).join(' | '),
      exact: [...exact].join(' | '),
    },
  };
  memo?.set(slug, scope);
  return scope;
}

function wordsOf(text: string | null): string[] {
  if (!text) return [];
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}
