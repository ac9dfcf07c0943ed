import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../testing.ts';
import { down, up } from './0017_taxonomy.ts';

describe.each(TEST_BACKENDS)('migration 0017 on %s: the taxonomy becomes data', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  it('seeds the lists that lived in code, keeps every stored value as a row, and moves the picture into images', async () => {
    const raw = t.db as unknown as Kysely<unknown>;
    await down(raw);
    const [city] = await t.db
      .insertInto('cities')
      .values({ name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty' })
      .returning('id')
      .execute();
    // a row as an older release could hold it: a category and a colour no list knows
    await sql`INSERT INTO products (city_id, sku, sku_key, name, price, category, color, material, image_url)
      VALUES (${city!.id}, 'SH-1', 'SH1', 'Стеллаж', 1000, 'bookcases', 'terracotta', 'oak', '/img/sh-1.png')`.execute(
      raw,
    );

    await up(raw);

    const categories = await t.db.selectFrom('categories').select(['slug', 'name_ru', 'synonyms']).execute();
    expect(categories.map((c) => c.slug)).toEqual(expect.arrayContaining(['sofa', 'kids', 'bookcases']));
    expect(categories.find((c) => c.slug === 'sofa')).toMatchObject({ name_ru: 'Диваны' });
    expect(categories.find((c) => c.slug === 'sofa')!.synonyms).toContain('диван');
    const colors = await t.db
      .selectFrom('attribute_values')
      .where('attribute_key', '=', 'color')
      .select('value')
      .execute();
    expect(colors.map((c) => c.value)).toEqual(expect.arrayContaining(['red', 'walnut', 'terracotta']));
    const product = await t.db
      .selectFrom('products')
      .select(['images', 'attributes', 'stock_quantity', 'old_price'])
      .executeTakeFirstOrThrow();
    expect(product).toEqual({ images: ['/img/sh-1.png'], attributes: {}, stock_quantity: null, old_price: null });
    // a merge rewrites products through the foreign key
    await t.db.updateTable('categories').set({ slug: 'shelves' }).where('slug', '=', 'bookcases').execute();
    expect((await t.db.selectFrom('products').select('category').executeTakeFirstOrThrow()).category).toBe('shelves');
  });
});
