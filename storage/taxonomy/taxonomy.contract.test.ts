import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { createAlert, createCity, createProduct, getProductBySku, listAlerts } from '../repos/index.ts';
import {
  createAttribute,
  createAttributeValue,
  createCategory,
  deleteAttribute,
  deleteAttributeValue,
  deleteCategory,
  getAttribute,
  getCategory,
  listCategories,
  loadTaxonomy,
  mergeCategories,
  updateAttribute,
  updateAttributeValue,
  updateCategory,
} from './index.ts';

const refusal = (code: string, message: RegExp) =>
  expect.objectContaining({ name: 'TaxonomyError', code, message: expect.stringMatching(message) });

describe.each(TEST_BACKENDS)('taxonomy editing on %s', (kind) => {
  let t: TestDatabase;
  let almaty: string;
  let astana: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    almaty = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    astana = (await createCity(t.db, { name: 'Астана', slug: 'astana' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the categories a tree: made from names, filed under parents, never inside themselves', async () => {
    const shelving = await createCategory(t.db, {
      names: { ru: 'Стеллажи', en: 'Shelving' },
      synonyms: [' стеллаж ', 'Стеллаж', ''],
    });
    expect(shelving).toMatchObject({
      slug: 'stellazhi',
      names: { ru: 'Стеллажи', en: 'Shelving' },
      synonyms: ['стеллаж'],
      products: 0,
    });
    const books = await createCategory(t.db, { names: { ru: 'Стеллажи для книг' }, parent: 'stellazhi' });
    expect(books).toMatchObject({ slug: 'stellazhi-dlya-knig', parent: 'stellazhi' });
    const deep = await createCategory(t.db, {
      slug: 'kids-books',
      names: { ru: 'Детские книжные' },
      parent: books.slug,
    });

    await expect(updateCategory(t.db, 'stellazhi', { parent: deep.slug })).rejects.toEqual(
      refusal('invalid', /«Стеллажи» cannot go under «Детские книжные»: «Детские книжные» is inside «Стеллажи»/),
    );
    await expect(updateCategory(t.db, 'stellazhi', { parent: 'stellazhi' })).rejects.toEqual(
      refusal('invalid', /its own parent/),
    );
    await expect(createCategory(t.db, { names: { ru: 'Стеллажи' } })).rejects.toEqual(refusal('conflict', /stellazhi/));
    await expect(createCategory(t.db, { names: { ru: 'x' }, parent: 'nope' })).rejects.toEqual(
      refusal('not_found', /parent category "nope"/),
    );
    await expect(updateCategory(t.db, 'nope', { names: { ru: 'x' } })).rejects.toEqual(refusal('not_found', /"nope"/));

    const moved = await updateCategory(t.db, deep.slug, {
      parent: 'stellazhi',
      names: { ru: 'Детские', kk: 'Балалар' },
    });
    expect(moved).toMatchObject({ parent: 'stellazhi', names: { ru: 'Детские', kk: 'Балалар' } });
    expect(await updateCategory(t.db, deep.slug, { parent: null })).not.toHaveProperty('parent');

    // a category that holds products is merged, not deleted; an empty one hands its children to its parent
    await createProduct(t.db, almaty, { sku: 'СТ-1/А', name: 'Стеллаж', price: 1000, category: books.slug });
    await expect(deleteCategory(t.db, books.slug)).rejects.toEqual(
      refusal('conflict', /1 product\(s\) are in «Стеллажи для книг»: merge it/),
    );
    await updateCategory(t.db, deep.slug, { parent: books.slug });
    await t.db.updateTable('products').set({ category: 'shelf' }).where('sku', '=', 'СТ-1/А').execute();
    expect(await deleteCategory(t.db, books.slug)).toMatchObject({ slug: books.slug });
    expect(await getCategory(t.db, deep.slug)).toMatchObject({ parent: 'stellazhi' });
    const counts = new Map((await listCategories(t.db)).map((c) => [c.slug, c.products]));
    expect(counts.get('shelf')).toBe(1);
    expect((await listCategories(t.db, { cityId: astana })).find((c) => c.slug === 'shelf')?.products).toBe(0);
  });

  it('keeps attributes as data: enumerations with synonyms, numbers with units, free text', async () => {
    const style = await createAttribute(t.db, {
      kind: 'enum',
      names: { ru: 'Стиль', en: 'Style' },
      values: [
        { names: { ru: 'Лофт' }, synonyms: ['loft', 'индустриальный'] },
        { value: 'scandi', names: { ru: 'Скандинавский' } },
      ],
    });
    expect(style).toEqual({
      key: 'stil',
      kind: 'enum',
      names: { ru: 'Стиль', en: 'Style' },
      values: [
        { value: 'loft', names: { ru: 'Лофт' }, synonyms: ['loft', 'индустриальный'] },
        { value: 'scandi', names: { ru: 'Скандинавский' }, synonyms: [] },
      ],
    });
    expect(
      await createAttribute(t.db, { key: 'width_cm', kind: 'number', names: { ru: 'Ширина' }, unit: 'см' }),
    ).toEqual({
      key: 'width_cm',
      kind: 'number',
      names: { ru: 'Ширина' },
      unit: 'см',
    });
    expect(await createAttribute(t.db, { kind: 'text', names: { ru: 'Страна', en: 'Country' } })).toMatchObject({
      key: 'strana',
      kind: 'text',
    });
    await expect(createAttribute(t.db, { key: 'stil', kind: 'text', names: { ru: 'x' } })).rejects.toEqual(
      refusal('conflict', /"stil"/),
    );
    await expect(createAttributeValue(t.db, 'strana', { names: { ru: 'Казахстан' } })).rejects.toEqual(
      refusal('invalid', /only an enumeration/),
    );

    expect(await createAttributeValue(t.db, 'stil', { names: { ru: 'Классика' }, synonyms: ['классический'] })).toEqual(
      {
        value: 'klassika',
        names: { ru: 'Классика' },
        synonyms: ['классический'],
      },
    );
    expect(await updateAttributeValue(t.db, 'stil', 'loft', { synonyms: ['лофт-стиль'] })).toMatchObject({
      synonyms: ['лофт-стиль'],
    });
    expect(await updateAttribute(t.db, 'width_cm', { unit: 'мм', names: { ru: 'Ширина', en: 'Width' } })).toMatchObject(
      {
        unit: 'мм',
        names: { en: 'Width' },
      },
    );
    await expect(updateAttribute(t.db, 'stil', { unit: 'см' })).rejects.toEqual(
      refusal('invalid', /only a number has a unit/),
    );

    // colour values are edited like any other; one a product holds stays
    expect(await createAttributeValue(t.db, 'color', { names: { ru: 'Терракотовый' } })).toMatchObject({
      value: 'terrakotovyy',
    });
    await createProduct(t.db, almaty, { sku: 'TER-1', name: 'Кресло', price: 1, color: 'terrakotovyy' });
    await expect(deleteAttributeValue(t.db, 'color', 'terrakotovyy')).rejects.toEqual(
      refusal('conflict', /1 product\(s\) have цвет «Терракотовый»/),
    );
    await expect(deleteAttribute(t.db, 'color')).rejects.toEqual(refusal('invalid', /built in/));
    expect(await deleteAttributeValue(t.db, 'stil', 'scandi')).toMatchObject({ value: 'scandi' });

    // deleting an attribute takes every product's value for it along
    await t.db
      .updateTable('products')
      .set({ attributes: JSON.stringify({ stil: 'loft', width_cm: 80 }) })
      .where('sku', '=', 'TER-1')
      .execute();
    await expect(deleteAttributeValue(t.db, 'stil', 'loft')).rejects.toEqual(refusal('conflict', /1 product/));
    await deleteAttribute(t.db, 'stil');
    expect(await getAttribute(t.db, 'stil')).toBeUndefined();
    const row = await t.db
      .selectFrom('products')
      .select('attributes')
      .where('sku', '=', 'TER-1')
      .executeTakeFirstOrThrow();
    expect(row.attributes).toEqual({ width_cm: 80 });
  });

  it('merges one category into another in every city, with its subcategories, synonyms, alerts and 1C id', async () => {
    const from = await createCategory(t.db, {
      slug: 'taburety',
      names: { ru: 'Табуреты', kk: 'Табуреттер', en: 'Stools' },
      synonyms: ['табуретка'],
    });
    await createCategory(t.db, { slug: 'bar-stools', names: { ru: 'Барные табуреты' }, parent: from.slug });
    await t.db.updateTable('categories').set({ external_id: 'grp-42' }).where('slug', '=', from.slug).execute();
    await createProduct(t.db, almaty, { sku: 'TB-1', name: 'Табурет', price: 5000, category: from.slug });
    await createProduct(t.db, astana, { sku: 'TB-2', name: 'Табурет высокий', price: 7000, category: from.slug });
    const { alert } = await createAlert(t.db, {
      cityId: almaty,
      channel: 'telegram',
      chatId: '7',
      conversationKey: 'telegram:almaty:7',
      criteria: { category: from.slug as never, priceMax: 10_000 },
    });
    // a saved search for kids' goods of this kind: the audience moves as the category does
    const { alert: forWhom } = await createAlert(t.db, {
      cityId: almaty,
      channel: 'telegram',
      chatId: '8',
      conversationKey: 'telegram:almaty:8',
      criteria: { category: 'bed', audience: from.slug as never },
    });

    const result = await mergeCategories(t.db, { from: from.slug, into: 'chair' });
    expect(result).toEqual({ from: 'taburety', into: 'chair', products: 2, children: 1, alerts: 2 });
    const moved = (await listAlerts(t.db, { conversationKey: 'telegram:almaty:8' })).find((a) => a.id === forWhom.id);
    expect(moved?.criteria).toEqual({ category: 'bed', audience: 'chair' });
    expect(await getCategory(t.db, 'taburety')).toBeUndefined();
    expect((await getProductBySku(t.db, almaty, 'TB-1'))?.category).toBe('chair');
    expect((await getProductBySku(t.db, astana, 'TB-2'))?.category).toBe('chair');
    expect(await getCategory(t.db, 'bar-stools')).toMatchObject({ parent: 'chair' });
    const chair = (await getCategory(t.db, 'chair'))!;
    expect(chair.synonyms).toEqual(expect.arrayContaining(['Табуреты', 'Табуреттер', 'Stools', 'табуретка']));
    const chairRow = await t.db
      .selectFrom('categories')
      .select('external_id')
      .where('slug', '=', 'chair')
      .executeTakeFirstOrThrow();
    expect(chairRow.external_id).toBe('grp-42');
    const saved = (await listAlerts(t.db, { conversationKey: 'telegram:almaty:7' })).find((a) => a.id === alert.id);
    expect(saved?.criteria).toEqual({ category: 'chair', priceMax: 10_000 });
    // the moved products are found by the words of their new category, old names included
    const keywords = await t.db
      .selectFrom('products')
      .select('search_keywords')
      .where('sku', '=', 'TB-1')
      .executeTakeFirstOrThrow();
    expect(keywords.search_keywords).toMatch(/стул/);
    expect(keywords.search_keywords).toMatch(/табуретка/);

    await expect(mergeCategories(t.db, { from: 'chair', into: 'chair' })).rejects.toEqual(
      refusal('invalid', /into itself/),
    );
    await expect(mergeCategories(t.db, { from: 'taburety', into: 'chair' })).rejects.toEqual(
      refusal('not_found', /"taburety"/),
    );
  });

  it('merges a category into its own subcategory without closing a loop', async () => {
    await createCategory(t.db, { slug: 'top', names: { ru: 'Верх' }, parent: 'sofa' });
    await createCategory(t.db, { slug: 'middle', names: { ru: 'Середина' }, parent: 'top' });
    await createCategory(t.db, { slug: 'bottom', names: { ru: 'Низ' }, parent: 'middle' });
    await createCategory(t.db, { slug: 'side', names: { ru: 'Бок' }, parent: 'top' });
    expect(await mergeCategories(t.db, { from: 'top', into: 'bottom' })).toMatchObject({ children: 2 });
    const tree = new Map((await loadTaxonomy(t.db)).categories.map((c) => [c.slug, c.parent]));
    expect(tree.get('bottom')).toBe('sofa');
    expect(tree.get('middle')).toBe('bottom');
    expect(tree.get('side')).toBe('bottom');
    expect(tree.has('top')).toBe(false);
  });
});
