import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../testing.ts';
import { down, up } from './0027_search_lexemes.ts';

describe.each(TEST_BACKENDS)('migration 0027 on %s: the text indexes’ lexemes as a table', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  const lexemes = async () =>
    (await t.db.selectFrom('search_lexemes').select(['word', 'field']).execute())
      .map((r) => `${r.field}:${r.word}`)
      .sort();

  it('holds the words of the products already stored, then of every insert and of updates that change text', async () => {
    const raw = t.db as unknown as Kysely<unknown>;
    await down(raw);
    const [city] = await t.db
      .insertInto('cities')
      .values({ name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty' })
      .returning('id')
      .execute();
    await sql`INSERT INTO products (city_id, sku, sku_key, name, description, price, search_keywords)
      VALUES (${city!.id}, 'SH-1', 'SH1', 'Стеллаж Ёлка', 'Для книг', 1000, 'стеллажи')`.execute(raw);

    await up(raw);
    expect(await lexemes()).toEqual([
      'description:для',
      'description:книг',
      'title:елка',
      'title:стеллаж',
      'title:стеллажи',
    ]);

    await sql`INSERT INTO products (city_id, sku, sku_key, name, description, price)
      VALUES (${city!.id}, 'SH-2', 'SH2', 'Полка', 'Стеллаж навесной', 500)`.execute(raw);
    expect(await lexemes()).toEqual(expect.arrayContaining(['title:полка', 'description:стеллаж', 'title:стеллаж']));

    // a price or stock update tokenises nothing: only rows whose vectors changed bring their words
    await sql`DELETE FROM search_lexemes`.execute(raw);
    await sql`UPDATE products SET price = price + 1`.execute(raw);
    expect(await lexemes()).toEqual([]);
    await sql`UPDATE products SET description = 'Дубовый' WHERE sku = 'SH-1'`.execute(raw);
    expect(await lexemes()).toEqual(['description:дубовый', 'title:елка', 'title:стеллаж', 'title:стеллажи']);
  });
});
