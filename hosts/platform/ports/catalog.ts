import type { Db } from '../../../storage/repos/common.ts';
import { getProductBySku } from '../../../storage/repos/products.ts';
import {
  searchProducts,
  type CorrectionMemo,
  type FiledMemo,
  type PrefixMemo,
  type ScopeMemo,
  type SearchDb,
} from '../../../storage/search/index.ts';
import { TtlCache } from '../../../storage/ttlCache.ts';
import type { CatalogPort } from '../../runtime/ports.ts';
import type { CityDirectory } from '../cities.ts';
import { UnknownCityError } from '../errors.ts';

type CatalogProduct = NonNullable<Awaited<ReturnType<CatalogPort['bySku']>>>;

/**
 * How long a product read by SKU (a card's «Подробнее», a price tag's SKU) is reused. Admin edits
 * clear it at once through `invalidate` (the `catalog` hot-reload message); this bounds what a
 * change made elsewhere (a CLI import, SQL) can leave stale.
 */
const PRODUCT_CACHE_MS = 5_000;
/** how long a word's typo corrections are reused (they change only with the vocabulary) */
const CORRECTIONS_CACHE_MS = 10 * 60_000;

/**
 * The engine's catalog: full-text + trigram search and SKU lookup in the conversation's city.
 * `invalidate()` forgets what was cached after the catalog changed.
 */
export function catalogPort(
  database: { db: Db; search: SearchDb },
  cities: CityDirectory,
  onSearch?: (total: number) => void,
): CatalogPort & { invalidate(): void } {
  const { db } = database;
  const products = new TtlCache<string, CatalogProduct | null>(PRODUCT_CACHE_MS, 10_000);
  const corrections: CorrectionMemo = new TtlCache(CORRECTIONS_CACHE_MS, 20_000);
  // what a category covers (its subtree and words) changes only with the taxonomy
  const scopes: ScopeMemo = new TtlCache(CORRECTIONS_CACHE_MS, 2_000);
  // the catalog's words a prefix stands for: a new product may bring a new one, so as briefly as products
  const prefixes: PrefixMemo = new TtlCache(PRODUCT_CACHE_MS, 5_000);
  // whether the city files anything under a category: its products decide, so as briefly as products
  const filed: FiledMemo = new TtlCache(PRODUCT_CACHE_MS, 2_000);
  const cityId = async (slug: string) => {
    const city = await cities.resolve(slug);
    if (!city) throw new UnknownCityError(slug);
    return city.id;
  };
  const readBySku = async (city: string, sku: string): Promise<CatalogProduct | null> => {
    const row = await getProductBySku(db, await cityId(city), sku);
    if (!row) return null;
    const { cityId: _city, dimensions: _dimensions, createdAt: _created, updatedAt: _updated, ...product } = row;
    // shared by every conversation that reads it from the cache
    return Object.freeze(product);
  };
  return {
    async search(city, criteria, page, pageSize) {
      const result = await searchProducts(
        database.search,
        // goods out of stock are offered only when the shopper asked for them
        { cityId: await cityId(city), ...criteria, availableOnly: criteria.includeUnavailable !== true },
        { limit: pageSize, offset: Math.max(0, page - 1) * pageSize },
        { corrections, scopes, prefixes, filed },
      );
      onSearch?.(result.total);
      return result;
    },
    async bySku(city, sku) {
      const upper = sku.toUpperCase();
      return products.through(`${city}\u0000${upper}`, () => readBySku(city, upper));
    },
    invalidate() {
      products.clear();
      corrections.clear();
      scopes.clear();
      prefixes.clear();
      filed.clear();
    },
  };
}
