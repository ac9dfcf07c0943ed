import type { Db } from '../../../storage/repos/common.ts';
import { getProductBySku } from '../../../storage/repos/products.ts';
import { searchProducts, type SearchDb } from '../../../storage/search/index.ts';
import type { CatalogPort } from '../../runtime/ports.ts';
import type { CityDirectory } from '../cities.ts';
import { UnknownCityError } from '../errors.ts';

/** The engine's catalog: full-text + trigram search and SKU lookup in the conversation's city. */
export function catalogPort(database: { db: Db; search: SearchDb }, cities: CityDirectory, onSearch?: (total: number) => void): CatalogPort {
  const { db } = database;
  const cityId = async (slug: string) => {
    const city = await cities.resolve(slug);
    if (!city) throw new UnknownCityError(slug);
    return city.id;
  };
  return {
    async search(city, criteria, page, pageSize) {
      const result = await searchProducts(database.search, { cityId: await cityId(city), ...criteria }, { limit: pageSize, offset: Math.max(0, page - 1) * pageSize });
      onSearch?.(result.total);
      return result;
    },
    async bySku(city, sku) {
      const row = await getProductBySku(db, await cityId(city), sku.toUpperCase());
      if (!row) return null;
      const { cityId: _city, dimensions: _dimensions, createdAt: _created, updatedAt: _updated, ...product } = row;
      return product;
    },
  };
}
