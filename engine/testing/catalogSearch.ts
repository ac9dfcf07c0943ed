import { AUDIENCE_CATEGORIES, type Product, type SearchCriteria } from '../catalog.ts';

/**
 * The in-memory catalog search, ordered by the platform's rules: browsing by filters lists the
 * cheapest first; a free-text search takes the first of its stages that finds anything (every word
 * in the title, every word anywhere, any word in the title, any word anywhere) and ranks by words
 * matched (a SKU far above), then price, then SKU; when no stage finds anything and a category is
 * given (not the `kids` audience alone), the category's products, with the words reported dropped.
 * Word matching is crude (a shared five-letter prefix stands in for stemming and typo correction).
 * Out-of-stock products are left out, as the platform's catalog port leaves them out, unless the
 * shopper asked for them too.
 */

export function byPrice(a: Product, b: Product): number {
  return a.price - b.price || a.sku.localeCompare(b.sku);
}

/** Structured filters: category, colour, material, price window, in stock (unless asked for all). */
export function matches(product: Product, criteria: SearchCriteria): boolean {
  if (!product.available && criteria.includeUnavailable !== true) return false;
  const category = criteria.audience ?? criteria.category;
  if (category && product.category !== category) return false;
  if (criteria.color && product.color !== criteria.color) return false;
  if (criteria.material && product.material !== criteria.material) return false;
  if (criteria.priceMin !== undefined && product.price < criteria.priceMin) return false;
  if (criteria.priceMax !== undefined && product.price > criteria.priceMax) return false;
  return true;
}

/** Words that say nothing about a product; a free-text query made only of these matches nothing. */
const STOP = new Set([
  'хочу',
  'нужен',
  'нужна',
  'нужно',
  'нужны',
  'есть',
  'покажи',
  'покажите',
  'какой',
  'какие',
  'можно',
  'пожалуйста',
  'мне',
  'для',
  'ищу',
  'подберите',
  'керек',
  'бар',
  'маған',
  'want',
  'need',
  'show',
  'please',
  'have',
  'looking',
  'the',
  'for',
  'any',
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOP.has(w));
}

/** Crude stemming: a shared prefix of five letters (or the whole shorter word) is a match. */
function wordMatch(query: string, word: string): boolean {
  const stem = query.slice(0, Math.min(5, query.length));
  return word.startsWith(stem) || (word.length >= 4 && query.startsWith(word));
}

const titleWords = (p: Product) => words(`${p.name} ${p.sku} ${p.category ?? ''} ${p.color ?? ''} ${p.material ?? ''}`);
const skuAsked = (p: Product, query: string | undefined) => (query ?? '').toUpperCase().includes(p.sku);

/** every word of a free-text query (none: any product) appears in the product's text */
export function matchesWords(product: Product, query: string | undefined): boolean {
  const queryWords = words(query ?? '');
  if (skuAsked(product, query)) return true;
  const haystack = [...titleWords(product), ...words(product.description ?? '')];
  return queryWords.every((q) => haystack.some((w) => wordMatch(q, w)));
}

type Ranked = { p: Product; rank: number };

function wordStages(products: readonly Product[], query: string | undefined): Ranked[] {
  const queryWords = words(query ?? '');
  const found = (q: string, text: string[]) => text.some((w) => wordMatch(q, w));
  const scored = products.map((p) => {
    const title = titleWords(p);
    const description = words(p.description ?? '');
    const inTitle = queryWords.filter((q) => found(q, title)).length;
    const anywhere = queryWords.filter((q) => found(q, title) || found(q, description)).length;
    const inDescription = queryWords.filter((q) => found(q, description)).length;
    return { p, sku: skuAsked(p, query), inTitle, anywhere, inDescription };
  });
  const n = queryWords.length;
  const stages: { hit: (s: (typeof scored)[number]) => boolean; description: boolean }[] =
    n > 0
      ? [
          { hit: (s) => s.inTitle === n, description: false },
          { hit: (s) => s.anywhere === n, description: true },
        ]
      : [{ hit: () => false, description: false }];
  if (n > 1)
    stages.push({ hit: (s) => s.inTitle > 0, description: false }, { hit: (s) => s.anywhere > 0, description: true });
  for (const stage of stages) {
    const hits = scored.filter((s) => s.sku || stage.hit(s));
    if (hits.length > 0)
      return hits.map((s) => ({
        p: s.p,
        rank: (s.sku ? 10 : 0) + s.inTitle + (stage.description ? 0.5 * s.inDescription : 0),
      }));
  }
  return [];
}

/**
 * Beds for kids (`category` bed, `audience` kids): the audience's products named like the
 * catalog's products of that kind (their first name word: «Кровать детская» is a bed).
 */
function ofKind(catalog: readonly Product[], criteria: SearchCriteria): (p: Product) => boolean {
  const kind =
    criteria.audience !== undefined && criteria.audience !== criteria.category ? criteria.category : undefined;
  if (!kind) return () => true;
  const names = new Set(catalog.filter((p) => p.category === kind).map((p) => words(p.name)[0] ?? ''));
  return (p) => words(p.name).some((w) => [...names].some((n) => n !== '' && wordMatch(n, w)));
}

/** Filters, then ranks as the platform's search does. `page` counts from 1, as the search effect does. */
export function searchCatalog(
  catalog: readonly Product[],
  criteria: SearchCriteria,
  page: number,
  pageSize: number,
): { items: Product[]; total: number; relaxed?: { dropped: string[] } } {
  const filtered = catalog.filter((p) => matches(p, criteria) && ofKind(catalog, criteria)(p));
  const queryWords = words(criteria.query ?? '');
  const browsing = queryWords.length === 0 && !filtered.some((p) => skuAsked(p, criteria.query));
  let ranked = browsing ? filtered.map((p) => ({ p, rank: 0 })) : wordStages(filtered, criteria.query);
  // words are ranking signals: a category alone (never an audience alone), saying which words went
  const kindAsked = criteria.audience !== undefined && criteria.audience !== criteria.category;
  const relax =
    ranked.length === 0 &&
    !browsing &&
    criteria.category !== undefined &&
    (kindAsked || !AUDIENCE_CATEGORIES.has(criteria.category));
  if (relax) ranked = filtered.map((p) => ({ p, rank: 0 }));
  ranked.sort((a, b) => b.rank - a.rank || byPrice(a.p, b.p));
  const start = Math.max(0, page - 1) * pageSize;
  const items = ranked.slice(start, start + pageSize).map(({ p }) => ({ ...p }));
  return relax && items.length
    ? { items, total: ranked.length, relaxed: { dropped: queryWords } }
    : { items, total: ranked.length };
}
