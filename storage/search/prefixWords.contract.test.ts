import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity, createProduct, updateProduct } from '../repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { TtlCache } from '../ttlCache.ts';
import { fieldQuery, prefixWords, type PrefixMemo, type PrefixWords } from './prefixWords.ts';
import { searchProducts } from './search.ts';
import type { Term } from './terms.ts';

const term = (russian: string[], family: string[] = [], phrase?: string): Term => ({
  label: russian[0] ?? phrase ?? '',
  own: { russian, simple: [] },
  foreign: false,
  family,
  ...(phrase ? { phrase } : {}),
});

describe.each(TEST_BACKENDS)('prefixes as the catalog’s exact words on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
  });
  afterAll(async () => t?.close());

  const skus = async (query: string) =>
    (await searchProducts(t.search, { cityId, query })).items.map((p) => p.sku).sort();

  it('reads a prefix as the words each index holds, and finds a word the moment a product brings it', async () => {
    const bench = await createProduct(t.db, cityId, {
      sku: 'BN-1',
      name: 'Банкетка Ортензия',
      description: 'Обивка из велюра',
      price: 1000,
    });
    await createProduct(t.db, cityId, { sku: 'BN-2', name: 'Банкетки в прихожую', price: 2000 });
    expect(await prefixWords(t.db, ['банкетк', 'велюр', 'плиссир'])).toEqual(
      new Map([
        ['банкетк', { title: ['банкетка', 'банкетки'], description: [] }],
        ['велюр', { title: [], description: ['велюра'] }],
        ['плиссир', { title: [], description: [] }],
      ]),
    );
    expect(await skus('банкетку')).toEqual(['BN-1', 'BN-2']);
    expect(await skus('плиссированная')).toEqual([]);

    await updateProduct(t.db, bench.id, { description: 'Плиссированная обивка из велюра' });
    expect((await prefixWords(t.db, ['плиссир'])).get('плиссир')).toEqual({
      title: [],
      description: ['плиссированная'],
    });
    expect(await skus('плиссированная')).toEqual(['BN-1']);
  });

  it('remembers what it read in a memo, and asks only for the prefixes the memo lacks', async () => {
    const memo: PrefixMemo = new TtlCache(60_000, 100);
    await createProduct(t.db, cityId, { sku: 'MM-1', name: 'Пуфик Мемо', price: 500 });
    expect((await prefixWords(t.db, ['пуфик'], memo)).get('пуфик')).toEqual({ title: ['пуфик'], description: [] });
    // a word a product brought later is not in the memo's answer until the memo is cleared
    await createProduct(t.db, cityId, { sku: 'MM-2', name: 'Пуфики Мемо', price: 600 });
    memo.set('мемо', { title: ['не-из-базы'], description: [] });
    const remembered = await prefixWords(t.db, ['пуфик', 'мемо'], memo);
    expect(remembered.get('пуфик')).toEqual({ title: ['пуфик'], description: [] });
    expect(remembered.get('мемо')).toEqual({ title: ['не-из-базы'], description: [] });
    memo.clear();
    expect((await prefixWords(t.db, ['пуфик'], memo)).get('пуфик')).toEqual({
      title: ['пуфик', 'пуфики'],
      description: [],
    });
  });

  it('keeps a prefix with more words than a query should list', async () => {
    for (let i = 0; i < 40; i++)
      await createProduct(t.db, cityId, { sku: `PF-${i}`, name: `Пуф zeta${i.toString(36)}x`, price: 100 + i });
    const words = await prefixWords(t.db, ['zeta']);
    expect(words.get('zeta')).toBeNull();
    const query = fieldQuery([term(['zeta'])], words, 'title')!;
    expect((await sql<{ q: string }>`SELECT (${query})::text AS q`.execute(t.db)).rows[0]!.q).toBe("'zeta':*");
    expect((await searchProducts(t.search, { cityId, query: 'zeta' })).total).toBe(40);
  });

  it('quotes the lexemes, keeps size phrases, and is null where nothing can match', async () => {
    const words: PrefixWords = new Map([
      ['о', { title: ["о'нил", 'о\\б'], description: [] }],
      ['двер', { title: [], description: [] }],
    ]);
    const text = async (q: ReturnType<typeof fieldQuery>) =>
      (await sql<{ q: string }>`SELECT (${q})::text AS q`.execute(t.db)).rows[0]!.q;
    expect(await text(fieldQuery([term(['о'])], words, 'title'))).toBe("'о''нил' | 'о\\\\б'");
    expect(fieldQuery([term(['о'])], words, 'description')).toBeNull();
    expect(fieldQuery([term(['двер'])], words, 'title')).toBeNull();
    expect(await text(fieldQuery([term([], [], '3 <-> двер:*'), term(['двер'])], words, 'description'))).toBe(
      "'3' <-> 'двер':*",
    );
  });
});
