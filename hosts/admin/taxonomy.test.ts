import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initialContext } from '../../engine/context.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAlert, listAlerts } from '../../storage/repos/alerts.ts';
import { RELOAD_CHANNEL, type ReloadMessage } from './http/context.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Json = Record<string, unknown> & {
  error?: { code: string; message: string; details?: { path: string; message: string }[] };
};
const json = async (res: Response) => (await res.json()) as Json;
type Category = {
  slug: string;
  parent?: string;
  names: { ru: string };
  products: number;
  total: number;
  depth: number;
};

describe.each(TEST_BACKENDS)('taxonomy routes on %s', (kind) => {
  let h: AdminHarness;
  const reloads: ReloadMessage[] = [];
  const taxonomyReloads = () => reloads.filter((r) => r.kind === 'taxonomy');
  beforeAll(async () => {
    h = await createAdminHarness(kind);
    await h.pubsub.subscribe(RELOAD_CHANNEL, (m) => void reloads.push(JSON.parse(m) as ReloadMessage));
    const res = await h.call('POST', '/cities', { as: 'admin', body: { name: 'Алматы', slug: 'almaty' } });
    expect(res.status).toBe(201);
  });
  afterAll(async () => h.close());

  const categories = async (query = '') =>
    (await json(await h.call('GET', `/categories${query}`, { as: 'manager' }))).items as Category[];

  it('edits the category tree: create under a parent, refuse a loop by name, delete an empty one', async () => {
    const created = await h.call('POST', '/categories', {
      as: 'admin',
      body: { names: { ru: 'Стеллажи для книг', en: 'Bookcases' }, parent: 'shelf', synonyms: ['книжный стеллаж'] },
    });
    expect(created.status).toBe(201);
    expect((await json(created)).category).toMatchObject({ slug: 'stellazhi-dlya-knig', parent: 'shelf', products: 0 });
    expect((await h.call('POST', '/categories', { as: 'manager', body: { names: { ru: 'Нельзя' } } })).status).toBe(
      403,
    );

    const loop = await h.call('PATCH', '/categories/shelf', { as: 'admin', body: { parent: 'stellazhi-dlya-knig' } });
    expect(loop.status).toBe(400);
    expect((await json(loop)).error!.message).toMatch(/«Стеллажи и полки» cannot go under «Стеллажи для книг»/);
    const renamed = await h.call('PATCH', '/categories/stellazhi-dlya-knig', {
      as: 'admin',
      body: { names: { ru: 'Книжные стеллажи', kk: 'Кітап сөрелері', en: 'Bookcases' } },
    });
    expect((await json(renamed)).category).toMatchObject({ names: { ru: 'Книжные стеллажи', kk: 'Кітап сөрелері' } });
    expect((await h.call('PATCH', '/categories/nope', { as: 'admin', body: { position: 1 } })).status).toBe(404);

    const tree = await categories();
    const shelf = tree.findIndex((c) => c.slug === 'shelf');
    expect(tree[shelf + 1]).toMatchObject({ slug: 'stellazhi-dlya-knig', depth: 1, parent: 'shelf' });

    await h.call('POST', '/categories', { as: 'admin', body: { slug: 'tmp', names: { ru: 'Временная' } } });
    expect((await h.call('DELETE', '/categories/tmp', { as: 'admin' })).status).toBe(204);
    expect((await h.call('DELETE', '/categories/tmp', { as: 'admin' })).status).toBe(404);
    const audit = (await json(await h.call('GET', '/audit?entity=category', { as: 'admin' }))).items as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['category.create', 'category.update', 'category.delete']),
    );
    await vi.waitFor(() => expect(taxonomyReloads().length).toBeGreaterThanOrEqual(4));
    expect(taxonomyReloads()[0]).toEqual({ kind: 'taxonomy', reason: 'edit' });
  });

  it('products take any category, colour or attribute the taxonomy has, and lists name them for people', async () => {
    await h.call('POST', '/attributes', {
      as: 'admin',
      body: { key: 'width', kind: 'number', names: { ru: 'Ширина' }, unit: 'см' },
    });
    const res = await h.call('POST', '/products', {
      as: 'admin',
      body: {
        city: 'almaty',
        sku: 'СТ-1/А',
        name: 'Стеллаж «Книжник»',
        price: 45000,
        category: 'stellazhi-dlya-knig',
        color: 'white',
        attributes: { width: 80 },
      },
    });
    expect(res.status).toBe(201);
    expect((await json(res)).product).toMatchObject({ category: 'stellazhi-dlya-knig', attributes: { width: 80 } });
    const wrong = await h.call('POST', '/products', {
      as: 'admin',
      body: { city: 'almaty', sku: 'X-2', name: 'X', price: 1, attributes: { width: 'широкий', nope: 'x' } },
    });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error!.details).toEqual([
      { path: 'attributes.width', message: 'width is a number' },
      { path: 'attributes.nope', message: 'unknown attribute "nope"' },
    ]);

    const list = await json(
      await h.call('GET', '/products?city=almaty&category=stellazhi-dlya-knig', { as: 'viewer' }),
    );
    expect(list.items).toEqual([
      expect.objectContaining({ sku: 'СТ-1/А', categoryName: 'Книжные стеллажи', colorName: 'Белый' }),
    ]);
    const en = await json(await h.call('GET', '/products?city=almaty&lang=en', { as: 'viewer' }));
    expect(en.items).toEqual([expect.objectContaining({ categoryName: 'Bookcases', colorName: 'White' })]);
    expect((await categories('?city=almaty')).find((c) => c.slug === 'shelf')).toMatchObject({ products: 0, total: 1 });
  });

  it('merges two categories: products, alerts and persisted conversations follow, with an audit entry', async () => {
    const { snapshots } = h.deps.state;
    const context = { ...initialContext('telegram', 'ru'), criteria: { category: 'stellazhi-dlya-knig' } };
    const stored = { p: { scenarioId: 'default', scenarioVersion: 1, snapshot: { value: 'idle', context } } };
    await snapshots!.write('telegram:almaty:5', JSON.stringify(stored), 0, 600);
    const cityId = (await h.t.db.selectFrom('cities').select('id').executeTakeFirstOrThrow()).id;
    await createAlert(h.t.db, {
      cityId,
      channel: 'telegram',
      chatId: '5',
      conversationKey: 'telegram:almaty:5',
      criteria: { category: 'stellazhi-dlya-knig' as never },
    });

    const self = await h.call('POST', '/categories/merge', {
      as: 'admin',
      body: { from: 'shelf', into: 'shelf' },
    });
    expect(self.status).toBe(400);
    const res = await h.call('POST', '/categories/merge', {
      as: 'admin',
      body: { from: 'stellazhi-dlya-knig', into: 'shelf' },
    });
    expect(res.status).toBe(200);
    expect((await json(res)).merged).toEqual({
      from: 'stellazhi-dlya-knig',
      into: 'shelf',
      products: 1,
      children: 0,
      alerts: 1,
      conversations: { conversations: 1, preferences: 0, skipped: [] },
    });
    const list = await json(await h.call('GET', '/products?city=almaty', { as: 'viewer' }));
    expect(list.items).toEqual([expect.objectContaining({ sku: 'СТ-1/А', category: 'shelf' })]);
    const shelf = (await categories()).find((c) => c.slug === 'shelf')!;
    expect(shelf).toMatchObject({ products: 1, synonyms: expect.arrayContaining(['Книжные стеллажи', 'Bookcases']) });
    expect((await listAlerts(h.t.db, { cityId }))[0]?.criteria).toEqual({ category: 'shelf' });
    const conversation = JSON.parse((await snapshots!.read('telegram:almaty:5'))!.data) as typeof stored;
    expect(conversation.p.snapshot.context.criteria).toEqual({ category: 'shelf' });
    const [entry] = (await json(await h.call('GET', '/audit?action=category.merge', { as: 'admin' }))).items as {
      before: { slug: string };
      after: { products: number };
    }[];
    expect(entry).toMatchObject({ before: { slug: 'stellazhi-dlya-knig' }, after: { products: 1 } });
    await vi.waitFor(() => expect(taxonomyReloads()).toContainEqual({ kind: 'taxonomy', reason: 'merge' }));
  });

  it('edits attributes: enumerations with values and synonyms, numbers with units, text', async () => {
    const created = await h.call('POST', '/attributes', {
      as: 'admin',
      body: {
        kind: 'enum',
        names: { ru: 'Стиль', en: 'Style' },
        values: [{ names: { ru: 'Лофт' }, synonyms: ['loft'] }],
      },
    });
    expect(created.status).toBe(201);
    expect((await json(created)).attribute).toMatchObject({ key: 'stil', kind: 'enum', values: [{ value: 'loft' }] });
    const value = await h.call('POST', '/attributes/stil/values', {
      as: 'admin',
      body: { names: { ru: 'Прованс' }, synonyms: ['французский'] },
    });
    expect((await json(value)).value).toEqual({
      value: 'provans',
      names: { ru: 'Прованс' },
      synonyms: ['французский'],
    });
    const edited = await h.call('PATCH', '/attributes/stil/values/provans', {
      as: 'admin',
      body: { synonyms: ['французский', 'кантри'] },
    });
    expect((await json(edited)).value).toMatchObject({ synonyms: ['французский', 'кантри'] });
    expect(
      (await h.call('POST', '/attributes/width/values', { as: 'admin', body: { names: { ru: 'x' } } })).status,
    ).toBe(400);
    expect((await h.call('DELETE', '/attributes/stil/values/provans', { as: 'admin' })).status).toBe(204);
    expect((await h.call('DELETE', '/attributes/color', { as: 'admin' })).status).toBe(400);
    const unit = await h.call('PATCH', '/attributes/width', { as: 'admin', body: { unit: 'мм' } });
    expect((await json(unit)).attribute).toMatchObject({ unit: 'мм' });
    const items = (await json(await h.call('GET', '/attributes', { as: 'manager' }))).items as { key: string }[];
    expect(items.map((a) => a.key)).toEqual(expect.arrayContaining(['color', 'material', 'width', 'stil']));
    expect((await h.call('DELETE', '/attributes/stil', { as: 'admin' })).status).toBe(204);
    expect((await h.call('PATCH', '/attributes/stil', { as: 'admin', body: { unit: 'x' } })).status).toBe(404);
  });

  it('an import that creates terms says the taxonomy changed', async () => {
    const before = taxonomyReloads().length;
    const res = await h.call('POST', '/products/import?city=almaty', {
      as: 'admin',
      raw: 'sku,name,price,category,width_cm\n7701-55,Полка,300,Полки для обуви,60',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    // the taxonomy's «width» is kept in millimetres by now: centimetres are another attribute
    expect((await json(res)).created).toEqual([
      { kind: 'category', slug: 'polki-dlya-obuvi', name: 'Полки для обуви' },
      { kind: 'attribute', slug: 'width-cm', name: 'width', type: 'number', unit: 'cm' },
    ]);
    const row = await h.t.db
      .selectFrom('products')
      .select('attributes')
      .where('sku', '=', '7701-55')
      .executeTakeFirstOrThrow();
    expect(row.attributes).toEqual({ 'width-cm': 60 });
    await vi.waitFor(() => expect(taxonomyReloads().length).toBe(before + 1));
    expect(taxonomyReloads().at(-1)).toMatchObject({ kind: 'taxonomy', reason: 'import' });
  });
});
