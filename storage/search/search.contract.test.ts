import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { seedDemoData } from '../seed/seed.ts';
import { getCityBySlug, countProducts } from '../repos/index.ts';
import { TtlCache } from '../ttlCache.ts';
import { searchProducts, type ProductSearch } from './search.ts';

describe.each(TEST_BACKENDS)('product search on %s', (kind) => {
  let t: TestDatabase;
  let almaty: string;
  let astana: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await seedDemoData(t.db);
    almaty = (await getCityBySlug(t.db, 'almaty'))!.id;
    astana = (await getCityBySlug(t.db, 'astana'))!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  // through the handle openDatabase gives for searches (PostgreSQL: the pool of hinted sessions)
  const search = (q: Omit<ProductSearch, 'cityId'>, limit = 10, offset = 0) =>
    searchProducts(t.search, { cityId: almaty, ...q }, { limit, offset });
  const top3Prefixes = async (query: string) => (await search({ query }, 3)).items.map((p) => p.sku.split('-')[0]);
  const top3PrefixesWith = async (query: string, corrections: TtlCache<string, readonly string[]>) =>
    (await searchProducts(t.search, { cityId: almaty, query }, { limit: 3, offset: 0 }, { corrections })).items.map(
      (p) => p.sku.split('-')[0],
    );

  it('typos find the intended category («крвать», «дтван», «крсло»)', async () => {
    expect(await top3Prefixes('крвать')).toEqual(['BED', 'BED', 'BED']);
    expect(await top3Prefixes('дтван')).toEqual(['SOFA', 'SOFA', 'SOFA']);
    expect(await top3Prefixes('крсло')).toEqual(['ARM', 'ARM', 'ARM']);
    expect(await top3Prefixes('матрсс')).toEqual(['MATR', 'MATR', 'MATR']);
  });

  it('inflected forms match their stems («диванов», «кресла», «кроватей»)', async () => {
    const sofas = await search({ query: 'диван' });
    expect(sofas.total).toBeGreaterThan(0);
    expect((await search({ query: 'диванов' })).total).toBe(sofas.total);
    expect(await top3Prefixes('кресла')).toEqual(['ARM', 'ARM', 'ARM']);
    expect(await top3Prefixes('кроватей')).toEqual(['BED', 'BED', 'BED']);
  });

  it('ё and е are the same letter', async () => {
    const withYo = await search({ query: 'зелёный диван' });
    const withE = await search({ query: 'зеленый диван' });
    expect(withYo.total).toBeGreaterThan(0);
    expect(withE.items.map((p) => p.sku)).toEqual(withYo.items.map((p) => p.sku));
    expect(withYo.items.every((p) => p.color === 'green' && p.category === 'sofa')).toBe(true);
    expect((await search({ query: 'Елка' })).total).toBe((await search({ query: 'ёлка' })).total);
  });

  it('Kazakh and Latin words', async () => {
    const kk = await search({ query: 'қызыл диван' });
    expect(kk.items.length).toBeGreaterThan(0);
    expect(kk.items.slice(0, 3).every((p) => p.color === 'red' && p.category === 'sofa')).toBe(true);
    expect(await top3Prefixes('sofa')).toEqual(['SOFA', 'SOFA', 'SOFA']);
    const leather = await search({ query: 'leather sofa' });
    // real leather first; the taxonomy's eco-leather synonym «leatherette» begins with "leather", so
    // eco-leather may follow (its «faux leather», «eco leather» no longer count as "leather": terms.ts)
    expect(leather.items[0]).toMatchObject({ material: 'leather', category: 'sofa' });
    expect(
      leather.items.slice(0, 3).every((p) => ['leather', 'eco_leather'].includes(p.material!) && p.category === 'sofa'),
    ).toBe(true);
    expect(await top3Prefixes('кереует')).toEqual(['BED', 'BED', 'BED']);
  });

  it('structured filters, availability and city', async () => {
    const r = await search({ category: 'sofa', color: 'grey', priceMax: 300_000 }, 100);
    expect(r.total).toBeGreaterThan(0);
    expect(r.items.every((p) => p.category === 'sofa' && p.color === 'grey' && p.price <= 300_000)).toBe(true);
    const ranged = await search({ query: 'кровать', priceMin: 100_000, priceMax: 200_000, availableOnly: true }, 100);
    expect(ranged.items.every((p) => p.price >= 100_000 && p.price <= 200_000 && p.available)).toBe(true);
    expect((await search({ material: 'leather' }, 100)).items.every((p) => p.material === 'leather')).toBe(true);
    const other = await searchProducts(t.db, { cityId: astana, query: 'SOFA-001' });
    expect(other.items[0]?.id).not.toBe((await search({ query: 'SOFA-001' })).items[0]?.id);
    expect((await search({ category: 'sofa', priceMax: 1 })).total).toBe(0);
    expect(await searchProducts(t.db, { cityId: 'almaty', query: 'диван' })).toEqual({ items: [], total: 0 });
    // beyond the window the total is a lower bound, flagged
    expect(await search({}, 5)).toMatchObject({ total: 200, totalCapped: true });
  });

  it('paging: pages are disjoint, ordered and share one total', async () => {
    const all = await search({ query: 'стол' }, 100);
    const p1 = await search({ query: 'стол' }, 5, 0);
    const p2 = await search({ query: 'стол' }, 5, 5);
    expect(p1.total).toBe(all.total);
    expect(p2.total).toBe(all.total);
    expect([...p1.items, ...p2.items].map((p) => p.sku)).toEqual(all.items.slice(0, 10).map((p) => p.sku));
    expect((await search({ query: 'стол' }, 5, all.total)).items).toEqual([]);
    const cheap = await search({ category: 'chair' }, 50);
    expect(cheap.items.filter((p) => p.available).map((p) => p.price)).toEqual(
      cheap.items
        .filter((p) => p.available)
        .map((p) => p.price)
        .sort((a, b) => a - b),
    );
  });

  it('SKUs and model names', async () => {
    const bySku = await search({ query: 'sofa-001' });
    expect(bySku.items[0]?.sku).toBe('SOFA-001');
    expect((await search({ query: 'покажите BED-014 пожалуйста' })).items[0]?.sku).toBe('BED-014');
    const model = await search({ query: 'диван Милан' });
    expect(model.items[0]?.name).toMatch(/Диван.*Милан/);
  });

  it('SQL metacharacters and tsquery syntax are plain text', async () => {
    const before = await countProducts(t.db);
    for (const query of [
      "'; DROP TABLE products; --",
      "диван' OR 1=1 --",
      'a:* & !b | (c)',
      '\\',
      '%_%',
      '"диван"',
      'диван & | ! :* <-> ()',
      '$1 $$ ::text',
      '\u0000диван',
    ]) {
      await expect(search({ query })).resolves.toBeDefined();
    }
    expect(await countProducts(t.db)).toBe(before);
    expect((await search({ query: "диван'; --" })).items[0]?.category).toBe('sofa');
  });

  it("a plain database handle (hint per transaction, also inside a caller's transaction) finds the same", async () => {
    const queries: Omit<ProductSearch, 'cityId'>[] = [
      { query: 'крвать' },
      { query: 'зелёный диван', priceMax: 400_000 },
      { query: 'leather sofa' },
      { category: 'sofa', color: 'grey' },
      { query: 'покажите BED-014' },
    ];
    for (const q of queries) {
      const expected = await search(q);
      expect(await searchProducts(t.db, { cityId: almaty, ...q })).toEqual(expected);
      expect(await t.db.transaction().execute((tx) => searchProducts(tx, { cityId: almaty, ...q }))).toEqual(expected);
    }
  });

  it('remembers typo corrections by word and finds the same with them', async () => {
    const corrections = new TtlCache<string, readonly string[]>(60_000, 100);
    for (const query of ['крвать', 'диван крвать', 'крвать']) {
      expect(
        await searchProducts(t.search, { cityId: almaty, query }, { limit: 10, offset: 0 }, { corrections }),
      ).toEqual(await search({ query }));
    }
    expect(corrections.lookup('крвать')?.value).toContain('кровать');
    expect(corrections.lookup('диван')?.value).toEqual([]);
    // a remembered correction is used as is: the database is not asked again
    corrections.set('крвать', ['кресло']);
    expect(await top3PrefixesWith('крвать', corrections)).toEqual(['ARM', 'ARM', 'ARM']);
  });

  it('an unknown extra word does not hide the results; stop words are ignored', async () => {
    expect(await top3Prefixes('хочу диван пожалуйста')).toEqual(['SOFA', 'SOFA', 'SOFA']);
    expect(await top3Prefixes('диван фывапролдж')).toEqual(['SOFA', 'SOFA', 'SOFA']);
    expect((await search({ query: 'фывапролдж' })).total).toBe(0);
  });
});
