import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../import/index.ts';
import { createCity } from '../repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { TtlCache } from '../ttlCache.ts';
import { estimateTerms, indexedTerms } from './estimates.ts';
import { lexemesOf } from './lexemes.ts';
import { parseQuery } from './query.ts';
import { searchProducts, type ProductSearch } from './search.ts';
import { termQuery, termsOf, wordsOf } from './terms.ts';

/**
 * Search over a retailer's own catalog (scenarios/fixtures/retailer-catalog.csv, imported as
 * `npm run import` does): understanding names the built-in categories («стулья» → `chair`) while
 * the retailer files goods under its own («Кухонные стулья»); shoppers write purposes, sizes and
 * counts the catalog words differently; words nothing matches are left out and reported, but
 * never to show unrelated goods.
 */
describe.each(TEST_BACKENDS)('search over a retailer catalog on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    const source = readFileSync(new URL('../../scenarios/fixtures/retailer-catalog.csv', import.meta.url));
    const result = await importCatalog(t.db, { cityId, source, format: 'csv' });
    expect(result.errors).toEqual([]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const search = (q: Omit<ProductSearch, 'cityId'>, limit = 10) =>
    searchProducts(t.search, { cityId, availableOnly: true, ...q }, { limit, offset: 0 });
  const names = async (q: Omit<ProductSearch, 'cityId'>, limit = 3) =>
    (await search(q, limit)).items.map((p) => p.name);

  it('finds the retailer’s own categories by the built-in ones, with purpose words («стулья для кухни»)', async () => {
    for (const name of await names({ category: 'chair', query: 'кухни' })) expect(name).toMatch(/^Стул кухонный/);
    for (const name of await names({ category: 'shelf', query: 'книг' })) expect(name).toMatch(/^Стеллаж для книг/);
    for (const name of await names({ category: 'nightstand', query: 'кровати' }, 5))
      expect(name).toMatch(/^Тумба прикроватная/);
    // a word that narrows finds goods named so in another category: the bathroom's «Тумба под раковину»
    for (const name of await names({ category: 'nightstand', query: 'раковину' })) expect(name).toMatch(/раковин/);
  });

  it('orders by how well the category fits: dining tables before desks, adult beds before children’s', async () => {
    expect(await names({ category: 'table', query: 'обеденный' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Стол обеденный/)]),
    );
    const beds = await search({ category: 'bed' }, 18);
    expect(beds.items.slice(0, 15).every((p) => p.name.startsWith('Кровать'))).toBe(true);
    // «Кресло-кровать» is no bed
    expect(beds.items.some((p) => p.name.startsWith('Кресло'))).toBe(false);
    expect((await search({ category: 'bed', priceMax: 50_000 })).total).toBe(0);
  });

  it('reads sizes and counts as the catalog writes them', async () => {
    const large = await names({ category: 'bed', query: '160 на 200' }, 6);
    expect(large).toHaveLength(6);
    for (const name of large) expect(name).toContain('160×200');
    for (const p of (await search({ category: 'table', query: 'на 6 человек' })).items)
      expect(p.description).toContain('на 6 персон');
    for (const p of (await search({ category: 'wardrobe', query: 'на три двери' })).items)
      expect(p.description).toContain('3 двери');
  });

  it('leaves out words nothing matches, says which, and keeps the category', async () => {
    const wardrobes = await search({ category: 'wardrobe', query: 'для одежды в спальню' });
    expect(wardrobes.relaxed).toEqual({ dropped: ['одежды', 'спальню'] });
    for (const p of wardrobes.items) expect(p.name).toMatch(/^Шкаф-купе/);
    // a partial match names the word it could not use
    const partial = await search({ category: 'sofa', query: 'угловой зал' });
    expect(partial.relaxed).toEqual({ dropped: ['зал'] });
    for (const p of partial.items) expect(p.name).toMatch(/^Угловой диван/);
  });

  it('never shows unrelated goods for words nobody sells', async () => {
    expect((await search({ query: 'qwerty' })).total).toBe(0);
    expect((await search({ query: 'холодильник' })).total).toBe(0);
    // next to an audience alone, the unknown word is the thing sought
    expect((await search({ category: 'kids', query: 'велосипед' })).total).toBe(0);
  });

  it('finds an audience’s goods of the kind asked for (beds for kids)', async () => {
    const pink = await search({ category: 'bed', audience: 'kids', color: 'pink' });
    expect(pink.total).toBeGreaterThan(0);
    for (const p of pink.items) expect(p.name).toMatch(/^Детская кровать/);
  });

  it('finds the retailer’s own codes in any script, alone or in a sentence, and only as codes', async () => {
    const first = async (query: string) => (await search({ query }, 1)).items[0]?.sku;
    expect(await first('ДЕ-0001')).toBe('ДЕ-0001');
    expect(await first('де 0001')).not.toBe('ДЕ-0001'); // two words, not a code
    expect(await first('есть ли ПС/03 в наличии?')).toBe('ПС/03');
    expect(await first('пс.03')).toBe('ПС/03');
    expect(await first('7701-56')).toBe('7701-56');
    expect(await first('000123411')).toBe('000123411');
    // a code no product has changes nothing: a size is still a size, a number alone no filter
    const beds = await search({ query: 'кровать 2-спальная' }, 3);
    expect(beds.items.length).toBe(3);
    for (const p of beds.items) expect(p.name).toMatch(/кровать/i);
    expect((await search({ query: '999999999' })).total).toBe((await search({})).total);
  });

  it('of several words needed together, scans the index for the rarest and checks the others on what they find', async () => {
    const query = 'кровать с ящиком для белья';
    const before = await search({ query }, 20);
    await sql`ANALYZE products`.execute(t.db);
    const parsed = parseQuery(query);
    const none = new Map<string, readonly string[]>();
    const terms = termsOf(parsed, none, await lexemesOf(t.db, wordsOf(parsed, none), new TtlCache(60_000, 100)));
    const indexed = indexedTerms(await estimateTerms(t.db, terms, new TtlCache(60_000, 100)), (e) => e.anywhere);
    // «ящиком» is in over a third of the descriptions: not worth reading from the index
    expect(terms.filter((_, i) => !indexed(i)).map((term) => term.label)).toEqual(['ящиком']);
    // the same rows in the same order: the index finds candidates, the ranking is unchanged
    const after = await search({ query }, 20);
    expect(after).toEqual(before);
    expect(after.items.length).toBeGreaterThan(0);
    for (const p of after.items) expect(`${p.name} ${p.description}`).toMatch(/кроват.*ящик.*бель/is);
  });

  it('says each prefix once: a word, its typo corrections and its family share one stem', async () => {
    const parsed = parseQuery('прихожя');
    const corrections = new Map([['прихожя', ['прихожей', 'прихожая']]]);
    const terms = termsOf(
      parsed,
      corrections,
      await lexemesOf(t.db, wordsOf(parsed, corrections), new TtlCache(60_000, 100)),
    );
    expect(termQuery(...terms).compile(t.db).parameters).toEqual([
      'прихож:* | коридор:* | hallway:* | кіреберіс:* | дәліз:*',
    ]);
  });
});
