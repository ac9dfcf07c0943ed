import type { Product, SearchCriteria } from './catalog.ts';
import * as v from 'valibot';
import { SlugSchema } from './taxonomy.ts';

/**
 * A shopper's learned preferences, from what they searched for and which products they opened:
 * counts per category / colour / material, the budget they stated, the prices they looked at,
 * and the SKUs already seen (not recommended again). Plain JSON, bounded.
 */
export type Preferences = {
  categories: Record<string, number>;
  colors: Record<string, number>;
  materials: Record<string, number>;
  /** the price range of interest: a stated budget replaces it, an opened product widens it */
  priceMin?: number;
  priceMax?: number;
  /** recently viewed SKUs, newest last */
  viewed: string[];
  /** signals learned so far */
  signals: number;
};

export const MAX_VIEWED = 30;
const VIEW_WEIGHT = 2;
const SEARCH_WEIGHT = 1;

export const emptyPreferences = (): Preferences => ({
  categories: {},
  colors: {},
  materials: {},
  viewed: [],
  signals: 0,
});

export const isEmpty = (p: Preferences | undefined): boolean =>
  !p ||
  (Object.keys(p.categories).length === 0 &&
    Object.keys(p.colors).length === 0 &&
    p.viewed.length === 0 &&
    p.priceMin === undefined &&
    p.priceMax === undefined);

/** a taxonomy slug, or nothing */
const known = (value: unknown): string | undefined => (v.is(SlugSchema, value) ? value : undefined);

const money = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

function bump(counts: Record<string, number>, key: string | undefined, by: number): Record<string, number> {
  if (!key) return counts;
  return { ...counts, [key]: (counts[key] ?? 0) + by };
}

/** `search` / `zero_results` track props: the criteria the shopper asked for. */
export function learnSearch(p: Preferences, props: Record<string, unknown>): Preferences {
  const category = known(props.category);
  const color = known(props.color);
  const material = known(props.material);
  const min = money(props.priceMin);
  const max = money(props.priceMax);
  if (!category && !color && !material && min === undefined && max === undefined) return p;
  const stated = min !== undefined || max !== undefined;
  return {
    ...(stated ? withoutRange(p) : p),
    categories: bump(p.categories, category, SEARCH_WEIGHT),
    colors: bump(p.colors, color, SEARCH_WEIGHT),
    materials: bump(p.materials, material, SEARCH_WEIGHT),
    ...(stated ? budget(min, max) : {}),
    signals: p.signals + 1,
  };
}

/** a stated budget replaces the range (an open end stays open) */
function budget(min: number | undefined, max: number | undefined): Pick<Preferences, 'priceMin' | 'priceMax'> {
  const out: Pick<Preferences, 'priceMin' | 'priceMax'> = {};
  if (min !== undefined) out.priceMin = min;
  if (max !== undefined) out.priceMax = max;
  return out;
}

/** around the first product opened; later ones widen the range to include their price */
function widen(p: Preferences, price: number): Pick<Preferences, 'priceMin' | 'priceMax'> {
  if (p.priceMin === undefined && p.priceMax === undefined)
    return { priceMin: Math.floor(price * 0.7), priceMax: Math.ceil(price * 1.3) };
  return {
    ...(p.priceMin !== undefined ? { priceMin: Math.min(p.priceMin, price) } : {}),
    ...(p.priceMax !== undefined ? { priceMax: Math.max(p.priceMax, price) } : {}),
  };
}

/** A product the shopper opened (looked up in the catalog by its SKU). */
export function learnView(p: Preferences, product: Product): Preferences {
  return {
    ...withoutRange(p),
    ...widen(p, product.price),
    categories: bump(p.categories, known(product.category), VIEW_WEIGHT),
    colors: bump(p.colors, known(product.color), VIEW_WEIGHT),
    materials: bump(p.materials, known(product.material), VIEW_WEIGHT),
    viewed: [...p.viewed.filter((s) => s !== product.sku), product.sku].slice(-MAX_VIEWED),
    signals: p.signals + 1,
  };
}

const top = (counts: Record<string, number>, n: number): string[] =>
  Object.entries(counts)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k]) => k);

function withoutRange(p: Preferences): Preferences {
  const { priceMin: _min, priceMax: _max, ...rest } = p;
  return rest;
}

/** The price range to recommend in. */
export function priceRange(p: Preferences): { priceMin?: number; priceMax?: number } {
  return {
    ...(p.priceMin !== undefined ? { priceMin: p.priceMin } : {}),
    ...(p.priceMax !== undefined ? { priceMax: p.priceMax } : {}),
  };
}

/** Searches to try, most specific first; the port fills the list from them in order. */
export function recommendationQueries(p: Preferences): SearchCriteria[] {
  if (isEmpty(p)) return [];
  const categories = top(p.categories, 2);
  const color = top(p.colors, 1)[0] as SearchCriteria['color'];
  const range = priceRange(p);
  const queries: SearchCriteria[] = [];
  for (const c of categories) {
    const category = c as SearchCriteria['category'];
    if (color) queries.push({ category, color, ...range });
    queries.push({ category, ...range });
  }
  if (categories.length === 0 && color) queries.push({ color, ...range });
  if (categories[0]) queries.push({ category: categories[0] as SearchCriteria['category'] });
  return queries;
}
