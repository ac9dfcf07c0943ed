import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity, createProduct, updateProduct } from '../../../storage/repos/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../storage/testing.ts';
import { createCategory } from '../../../storage/taxonomy/categories.ts';
import { CityDirectory } from '../cities.ts';
import { catalogPort } from './catalog.ts';

/**
 * The bots' catalog remembers what searches read (typo corrections, category scopes, the words a
 * prefix stands for) and forgets it when told the catalog changed (the `catalog` hot reload).
 */
describe('the catalog port', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => t?.close());

  it('finds a word a product brought once the catalog is said to have changed', async () => {
    const city = await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    const bench = await createProduct(t.db, city.id, {
      sku: 'BN-1',
      name: 'Банкетка Ортензия',
      description: 'Обивка из велюра',
      price: 1000,
    });
    const cities = new CityDirectory(t.db);
    await cities.reload();
    const catalog = catalogPort(t, cities);
    const find = async (query: string) => (await catalog.search('almaty', { query }, 1, 5)).items.map((p) => p.sku);
    expect(await find('плиссированная банкетка')).toEqual(['BN-1']);
    expect(await find('плиссированная')).toEqual([]);
    await updateProduct(t.db, bench.id, { description: 'Плиссированная обивка из велюра' });
    catalog.invalidate();
    expect(await find('плиссированная')).toEqual(['BN-1']);
  });

  it('a city that files nothing under a category is searched by the category’s words until it does', async () => {
    const city = await createCity(t.db, { name: 'Астана', slug: 'astana' });
    // the retailer's own category, outside the «sofa» subtree, whose name says what it holds
    await createCategory(t.db, {
      slug: 'retail-sofas',
      names: { ru: 'Диваны угловые', kk: 'Бұрыштық диван', en: 'Corner sofas' },
    });
    await createProduct(t.db, city.id, { sku: 'UN-1', name: 'Лион', category: 'retail-sofas', price: 1000 });
    const cities = new CityDirectory(t.db);
    await cities.reload();
    const catalog = catalogPort(t, cities);
    const sofas = async (priceMax?: number) =>
      (await catalog.search('astana', { category: 'sofa', ...(priceMax ? { priceMax } : {}) }, 1, 5)).items
        .map((p) => p.sku)
        .sort();
    expect(await sofas(1500)).toEqual(['UN-1']);
    await createProduct(t.db, city.id, { sku: 'SF-1', name: 'Честерфилд', category: 'sofa', price: 2000 });
    catalog.invalidate();
    // now the city files sofas: the category is its subtree, where none is that cheap
    expect(await sofas(1500)).toEqual([]);
    expect(await sofas()).toEqual(['SF-1']);
  });
});
