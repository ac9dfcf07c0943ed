import type { Product, SearchCriteria } from '../catalog.ts';

/** The in-memory catalog search: structured filters plus crude word matching, deterministic order. */

export function byPrice(a: Product, b: Product): number {
  return a.price - b.price || a.sku.localeCompare(b.sku);
}

/** Structured filters: category, colour, material, price window, in stock. */
export function matches(product: Product, criteria: SearchCriteria): boolean {
  if (!product.available) return false;
  if (criteria.category && product.category !== criteria.category) return false;
  if (criteria.color && product.color !== criteria.color) return false;
  if (criteria.material && product.material !== criteria.material) return false;
  if (criteria.priceMin !== undefined && product.price < criteria.priceMin) return false;
  if (criteria.priceMax !== undefined && product.price > criteria.priceMax) return false;
  return true;
}

/** Words that say nothing about a product; a free-text query made only of these matches nothing. */
const STOP = new Set([
  'хочу', 'нужен', 'нужна', 'нужно', 'нужны', 'есть', 'покажи', 'покажите', 'какой', 'какие', 'можно', 'пожалуйста', 'мне', 'для',
  'ищу', 'подберите', 'керек', 'бар', 'маған', 'want', 'need', 'show', 'please', 'have', 'looking', 'the', 'for', 'any',
]);

function words(text: string): string[] {
  return text.toLowerCase().replace(/ё/g, 'е').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w));
}

/** Crude stemming: a shared prefix of five letters (or the whole shorter word) is a match. */
function wordMatch(query: string, word: string): boolean {
  const stem = query.slice(0, Math.min(5, query.length));
  return word.startsWith(stem) || (word.length >= 4 && query.startsWith(word));
}

/** every word of a free-text query (none: any product) appears in the product's text */
export function matchesWords(product: Product, query: string | undefined): boolean {
  const queryWords = words(query ?? '');
  if ((query ?? '').toUpperCase().includes(product.sku)) return true;
  const haystack = words(`${product.name} ${product.description ?? ''} ${product.sku} ${product.category ?? ''} ${product.color ?? ''} ${product.material ?? ''}`);
  return queryWords.every((q) => haystack.some((w) => wordMatch(q, w)));
}

/**
 * Filters, then ranks by query-word hits; ties keep the catalog's own order (the shop's default
 * ranking), so a page is not simply the cheapest items. `page` counts from 1, as the search effect does.
 */
export function searchCatalog(catalog: readonly Product[], criteria: SearchCriteria, page: number, pageSize: number): { items: Product[]; total: number } {
  const queryWords = words(criteria.query ?? '');
  const structured = Boolean(criteria.category || criteria.color || criteria.material || criteria.priceMin !== undefined || criteria.priceMax !== undefined);
  const scored = catalog
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => matches(p, criteria))
    .map(({ p, index }) => {
      const haystack = words(`${p.name} ${p.description ?? ''} ${p.sku} ${p.category ?? ''} ${p.color ?? ''} ${p.material ?? ''}`);
      const sku = (criteria.query ?? '').toUpperCase().includes(p.sku) ? 10 : 0;
      const score = sku + queryWords.filter((q) => haystack.some((w) => wordMatch(q, w))).length;
      return { p, score, index };
    })
    .filter(({ score }) => structured || queryWords.length === 0 || score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const start = Math.max(0, page - 1) * pageSize;
  return { items: scored.slice(start, start + pageSize).map(({ p }) => ({ ...p })), total: scored.length };
}
