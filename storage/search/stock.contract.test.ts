import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity, createProduct, getProductBySku } from '../repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { searchProducts } from './search.ts';

/**
 * Stock and prices as shops have them: a product with zero stock is not offered when the search
 * asks for available goods (the catalog port always does unless the shopper asked for all), and
 * search results carry the old price, every image and the stock quantity.
 */
describe.each(TEST_BACKENDS)('stock and prices in search results on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    const sofa = { category: 'sofa', description: 'Прямой диван', currency: 'KZT' };
    await createProduct(t.db, cityId, { ...sofa, sku: 'SOFA-101', name: 'Диван «Осло»', price: 150000 });
    await createProduct(t.db, cityId, { ...sofa, sku: 'SOFA-102', name: 'Диван «Рим»', price: 160000 });
    await createProduct(t.db, cityId, { ...sofa, sku: 'SOFA-103', name: 'Диван «Мадрид»', price: 170000 });
    await createProduct(t.db, cityId, {
      ...sofa,
      sku: 'SOFA-104',
      name: 'Диван «Кельн»',
      price: 180000,
      available: false,
    });
    // Осло: in stock, price fell from 200 000, two pictures; Рим: stock ran out; Мадрид: stock not tracked
    await sql`UPDATE products SET stock_quantity = 3, old_price = 200000,
      images = ${JSON.stringify(['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'])}::jsonb
      WHERE sku = 'SOFA-101'`.execute(t.db);
    await sql`UPDATE products SET stock_quantity = 0, old_price = 100000 WHERE sku = 'SOFA-102'`.execute(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leaves out zero stock and unavailable goods when only available ones are asked for', async () => {
    for (const query of [{}, { query: 'диван' }, { category: 'sofa' }]) {
      const inStock = await searchProducts(t.search, { cityId, ...query, availableOnly: true });
      expect(inStock.items.map((p) => p.sku)).toEqual(['SOFA-101', 'SOFA-103']);
      expect(inStock.total).toBe(2);
    }
  });

  it('lists every product, those out of stock last, when all are asked for', async () => {
    const all = await searchProducts(t.search, { cityId, query: 'диван' });
    expect(all.items.map((p) => p.sku)).toEqual(['SOFA-101', 'SOFA-103', 'SOFA-102', 'SOFA-104']);
    expect(all.items.map((p) => p.available)).toEqual([true, true, false, false]);
  });

  it('carries the old price while above the price, every image and the stock quantity', async () => {
    const all = await searchProducts(t.search, { cityId, category: 'sofa' });
    const bySku = new Map(all.items.map((p) => [p.sku, p]));
    expect(bySku.get('SOFA-101')).toMatchObject({
      oldPrice: 200000,
      stockQuantity: 3,
      images: ['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'],
      available: true,
    });
    // an «old» price below the price is no discount
    expect(bySku.get('SOFA-102')).toMatchObject({ stockQuantity: 0, available: false });
    expect(bySku.get('SOFA-102')!.oldPrice).toBeUndefined();
    expect(bySku.get('SOFA-103')!.stockQuantity).toBeUndefined();
    // a code typed by the shopper still finds the product, saying it is out of stock
    expect(await getProductBySku(t.db, cityId, 'SOFA-102')).toMatchObject({ available: false, stockQuantity: 0 });
  });
});
