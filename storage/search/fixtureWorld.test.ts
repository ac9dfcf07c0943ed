import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product, SearchCriteria } from '../../engine/catalog.ts';
import { searchCatalog } from '../../engine/testing/catalogSearch.ts';
import { createCity, createProduct } from '../repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { searchProducts } from './search.ts';

/**
 * The transcripts' fixture world must list what the platform lists: the in-memory search and this
 * SQL search, over the fixture catalog, give the same products in the same order for the searches
 * the shipped transcripts make (and a few one-word free-text ones: the fixture world's word ranking
 * is cruder than the text rank, so several free words may order differently). It leaves
 * out-of-stock products out, as `availableOnly` does here.
 */
const catalog = JSON.parse(
  readFileSync(new URL('../../scenarios/fixtures/catalog.json', import.meta.url), 'utf8'),
) as Product[];

const SEARCHES: SearchCriteria[] = [
  {},
  { category: 'sofa' },
  { category: 'bed' },
  { category: 'armchair', color: 'black' },
  { category: 'armchair', color: 'green', material: 'velvet' },
  { category: 'bed', color: 'red' },
  { category: 'bed', priceMax: 100000 },
  { category: 'bed', priceMin: 50000, priceMax: 100000 },
  { category: 'sofa', color: 'blue', material: 'fabric' },
  { category: 'sofa', color: 'blue', priceMax: 100000, material: 'leather' },
  { category: 'sofa', color: 'blue', priceMax: 100000 },
  { category: 'sofa', color: 'blue', priceMax: 150000 },
  { category: 'sofa', color: 'blue', priceMax: 63999 },
  { category: 'sofa', color: 'grey', priceMax: 100000 },
  { category: 'sofa', color: 'pink' },
  { category: 'sofa', color: 'red', priceMax: 120000 },
  { category: 'sofa', color: 'red', priceMax: 150000 },
  { category: 'sofa', color: 'red' },
  { category: 'sofa', material: 'leather' },
  { category: 'sofa', material: 'velour' },
  { category: 'sofa', priceMax: 100000 },
  { category: 'sofa', priceMax: 60000 },
  { category: 'wardrobe', color: 'red' },
  { category: 'wardrobe', color: 'white' },
  { category: 'wardrobe', material: 'glass' },
  { color: 'red', priceMin: 100000, priceMax: 300000 },
  { query: 'раскладной', category: 'sofa', material: 'fabric' },
  { query: 'угловой', category: 'sofa', color: 'grey', priceMin: 200000 },
  { query: 'угловой', category: 'sofa' },
  { query: 'Монако' },
  { query: 'SOFA-007' },
];

describe.each(TEST_BACKENDS)('the fixture world and the search on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    for (const { id: _id, ...product } of catalog) await createProduct(t.db, cityId, product);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(SEARCHES.map((criteria) => [JSON.stringify(criteria), criteria] as const))(
    'list the same products in the same order: %s',
    async (_name, criteria) => {
      const live = await searchProducts(
        t.search,
        { cityId, ...criteria, availableOnly: true },
        { limit: 100, offset: 0 },
      );
      const fixture = searchCatalog(catalog, criteria, 1, 100);
      expect(fixture.items.map((p) => p.sku)).toEqual(live.items.map((p) => p.sku));
      expect(fixture.total).toBe(live.total);
    },
  );
});
