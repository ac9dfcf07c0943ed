import { describe, expect, it } from 'vitest';
import { productHandle } from '../machine/handles.ts';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  product,
  replies,
  search,
  texts,
} from '../../scenarios/engine-testkit.ts';

const s = loadDefaultScenario();
const page = (n: number, from = 0, price = 100_000) =>
  Array.from({ length: n }, (_, i) =>
    product(`SOFA-${String(from + i + 1).padStart(3, '0')}`, price + (from + i) * 10_000),
  );

describe('search flow', () => {
  it('searches, shows a page with cards and buttons, tracks, schedules a follow-up', () => {
    const c = new Convo(s);
    const asked = c.say('синий диван до 200к', search({ category: 'sofa', color: 'blue', price_max: 200_000 }));
    expect(ofType(asked, 'search')).toEqual([
      { type: 'search', criteria: { category: 'sofa', color: 'blue', priceMax: 200_000 }, page: 1, pageSize: 5 },
    ]);
    expect(c.value).toEqual({ search: 'searching' });
    const shown = c.send({ type: 'search.done', items: page(5), total: 12 });
    expect(texts(shown)[0]).toBe('Нашёл 12 — страница 1 из 3:');
    const list = replies(shown).find((r) => r.type === 'products');
    expect(list).toMatchObject({ type: 'products', view: 'list' });
    // details, «🛒 В корзину» and the price alert on every card that can be bought
    expect(list?.type === 'products' && list.items[0]?.options?.map((o) => o.id)).toEqual([
      `p:${productHandle('SOFA-001')}`,
      `c:${productHandle('SOFA-001')}`,
      `a:${productHandle('SOFA-001')}`,
    ]);
    expect(optionIds(shown)).toEqual(expect.arrayContaining(['more', 'menu', 'm']));
    expect(ofType(shown, 'track')[0]).toMatchObject({
      name: 'search',
      props: { category: 'sofa', color: 'blue', priceMax: 200_000, total: 12 },
    });
    expect(ofType(shown, 'schedule')).toEqual([
      { type: 'schedule', timerId: 'idle:1', dueAt: '2026-03-01T09:30:00.000Z' },
    ]);
    expect(c.value).toBe('idle');
    expect(c.ctx.shownMin).toBe(100_000);
  });

  it('card buttons carry a short handle, never the raw SKU, and a tap finds the product shown', () => {
    const long = 'АРТИКУЛ-ДИВАН/УГЛОВОЙ-СЕРЫЙ 001'.slice(0, 31);
    expect(long).toHaveLength(31);
    const c = new Convo(s);
    c.say('диваны', search({ category: 'sofa' }));
    const shown = c.send({ type: 'search.done', items: [product(long, 300_000), ...page(2)], total: 3 });
    const ids = optionIds(shown).filter((id) => id.startsWith('p:') || id.startsWith('a:'));
    expect(ids).toHaveLength(6);
    for (const id of ids) {
      expect(new TextEncoder().encode(id).length).toBeLessThanOrEqual(12);
      expect(id).not.toContain('SOFA');
    }
    expect(ofType(c.send({ type: 'choice', id: ids[0]! }), 'lookupSku')).toEqual([{ type: 'lookupSku', sku: long }]);
    // the handles outlive a restart: they resolve from the persisted context alone
    const restored = new Convo(s);
    restored.persisted = JSON.parse(JSON.stringify(c.persisted));
    expect(ofType(restored.send({ type: 'choice', id: ids[2]! }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: 'SOFA-001' },
    ]);
    // a handle of a card never shown is no product
    expect(ofType(new Convo(s).send({ type: 'choice', id: ids[0]! }), 'lookupSku')).toEqual([]);
  });

  it('a lone bare number is looked up as an article code first, and read as a price when the catalog has no such code', () => {
    const found = new Convo(s);
    const intent = search({ price_max: 123_456 });
    expect(ofType(found.say('есть 000123456?', intent, { skuOrPrice: '000123456' }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: '000123456' },
    ]);
    const card = found.send({ type: 'lookupSku.done', sku: '000123456', product: product('000123456', 70_000) });
    expect(replies(card).some((r) => r.type === 'products')).toBe(true);
    expect(ofType(card, 'search')).toEqual([]);

    const price = new Convo(s);
    price.say('есть 000123456?', intent, { skuOrPrice: '000123456' });
    const searched = price.send({ type: 'lookupSku.done', sku: '000123456', product: null });
    expect(ofType(searched, 'search')).toEqual([
      { type: 'search', criteria: { priceMax: 123_456 }, page: 1, pageSize: 5 },
    ]);
    expect(texts(searched)).toEqual([]);
    expect(texts(price.send({ type: 'search.done', items: page(2), total: 2 }))[0]).toMatch(/^Нашёл 2/);
  });

  it('pages with «ещё» (intent) and the more button until the end', () => {
    const c = new Convo(s);
    c.say('диваны', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: page(5), total: 12 });
    expect(ofType(c.send({ type: 'text', text: 'ещё' }), 'cancel')).toEqual([{ type: 'cancel', timerId: 'idle:1' }]);
    const p2 = c.send({ type: 'understand.done', understanding: { intent: { name: 'more' }, source: 'rules' } });
    expect(ofType(p2, 'search')[0]).toMatchObject({ page: 2 });
    expect(texts(c.send({ type: 'search.done', items: page(5, 5), total: 12 }))[0]).toBe('Нашёл 12 — страница 2 из 3:');
    expect(ofType(c.send({ type: 'choice', id: 'more' }), 'search')[0]).toMatchObject({ page: 3 });
    const last = c.send({ type: 'search.done', items: page(2, 10), total: 12 });
    expect(optionIds(last)).not.toContain('more');
    expect(texts(c.send({ type: 'choice', id: 'more' }))).toEqual([s.texts.ru.noMoreResults]);
    expect(texts(new Convo(s).say('more', { name: 'more' }))).toEqual([s.texts.ru.noMoreResults]);
  });

  it('a count the catalog capped is shown as a lower bound, and paging goes on past it', () => {
    const c = new Convo(s);
    c.say('диваны', search({ category: 'sofa' }));
    const shown = c.send({ type: 'search.done', items: page(5), total: 10, totalCapped: true });
    expect(texts(shown)[0]).toBe('Нашёл 10+ — страница 1 из 2+:');
    expect(optionIds(shown)).toContain('more');
    c.send({ type: 'choice', id: 'more' });
    // the last page of the counted window: there are still more
    const second = c.send({ type: 'search.done', items: page(5, 5), total: 10, totalCapped: true });
    expect(optionIds(second)).toContain('more');
    expect(ofType(c.send({ type: 'choice', id: 'more' }), 'search')[0]).toMatchObject({ page: 3 });
    const exact = c.send({ type: 'search.done', items: page(2, 10), total: 12 });
    expect(texts(exact)[0]).toBe('Нашёл 12 — страница 3 из 3:');
    expect(optionIds(exact)).not.toContain('more');
    expect(texts(c.send({ type: 'choice', id: 'more' }))).toEqual([s.texts.ru.noMoreResults]);
  });

  it('refines: keeps earlier criteria («а синий есть?», «до 100к», «а кожаный?»)', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: page(3), total: 3 });
    expect(ofType(c.say('а синий есть?', search({ color: 'blue' }, 'refine')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      color: 'blue',
    });
    c.send({ type: 'search.done', items: page(3), total: 3 });
    expect(ofType(c.say('до 100к', search({ price_max: 100_000 }, 'refine')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      color: 'blue',
      priceMax: 100_000,
    });
    c.send({ type: 'search.done', items: page(3), total: 3 });
    expect(ofType(c.say('а кожаный?', search({ material: 'leather' }, 'refine')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      color: 'blue',
      priceMax: 100_000,
      material: 'leather',
    });
    // a new search replaces
    expect(ofType(c.say('покажи кровати', search({ category: 'bed' })), 'search')[0]?.criteria).toEqual({
      category: 'bed',
    });
  });

  it('«подешевле» goes below the cheapest shown; «подороже» above the dearest', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: [product('SOFA-001', 150_000), product('SOFA-002', 210_000)], total: 2 });
    expect(ofType(c.say('подешевле', search({}, 'refine', 'cheaper')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      priceMax: 149_999,
    });
    c.send({ type: 'search.done', items: [product('SOFA-003', 90_000)], total: 1 });
    expect(ofType(c.say('подороже', search({}, 'refine', 'pricier')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      priceMin: 90_001,
    });
    // without anything on screen: 80 % of the old ceiling
    const d = new Convo(s);
    d.say('диван до 200к', search({ category: 'sofa', price_max: 200_000 }));
    d.send({ type: 'search.done', items: [], total: 0 });
    expect(ofType(d.say('подешевле', search({}, 'refine', 'cheaper')), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      priceMax: 160_000,
    });
  });

  it('a search with nothing to search for asks what', () => {
    const c = new Convo(s);
    expect(texts(c.say('покажи', search({})))).toEqual([s.texts.ru.askWhat]);
    expect(c.value).toBe('idle');
  });

  it('zero results: suggest relaxing, an alert or a manager; relax drops colour, then material, then price', () => {
    const c = new Convo(s);
    c.say(
      'синий кожаный диван до 50к',
      search({ category: 'sofa', color: 'blue', material: 'leather', price_max: 50_000 }),
    );
    const zero = c.send({ type: 'search.done', items: [], total: 0 });
    expect(texts(zero)).toEqual([s.texts.ru.noResults]);
    expect(optionIds(zero)).toEqual(['relax', 'alert:search', 'm']);
    expect(ofType(zero, 'track')[0]).toMatchObject({ name: 'zero_results', props: { category: 'sofa' } });
    expect(ofType(c.send({ type: 'choice', id: 'relax' }), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      material: 'leather',
      priceMax: 50_000,
    });
    c.send({ type: 'search.done', items: [], total: 0 });
    expect(ofType(c.send({ type: 'choice', id: 'relax' }), 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      priceMax: 50_000,
    });
    c.send({ type: 'search.done', items: [], total: 0 });
    expect(ofType(c.send({ type: 'choice', id: 'relax' }), 'search')[0]?.criteria).toEqual({ category: 'sofa' });
    const found = c.send({ type: 'search.done', items: page(2), total: 2 });
    expect(texts(found)).toEqual([s.texts.ru.searchRelaxed, 'Нашёл 2 — страница 1 из 1:']);
    const none = c.send({ type: 'choice', id: 'relax' });
    expect(ofType(none, 'search')).toEqual([]);
    // a manager asked for after zero results knows why
    const d = new Convo(s);
    d.say('розовый диван', search({ category: 'sofa', color: 'pink' }));
    d.send({ type: 'search.done', items: [], total: 0 });
    expect(ofType(d.send({ type: 'choice', id: 'm' }), 'escalate')[0]?.trigger).toBe('no_results');
  });

  it('product details on tap and by SKU intent; not found', () => {
    const c = new Convo(s);
    expect(ofType(c.send({ type: 'choice', id: 'p:SOFA-001' }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: 'SOFA-001' },
    ]);
    expect(c.value).toEqual({ search: 'details' });
    const card = c.send({
      type: 'lookupSku.done',
      sku: 'SOFA-001',
      product: product('SOFA-001', 250_000, { description: 'Велюр, 3 места' }),
    });
    expect(replies(card)[0]).toMatchObject({
      type: 'products',
      view: 'detail',
      items: [{ sku: 'SOFA-001', description: 'Велюр, 3 места' }],
    });
    expect(optionIds(card)).toEqual([`c:${productHandle('SOFA-001')}`, `a:${productHandle('SOFA-001')}`, 'm']);
    expect(ofType(card, 'track')[0]).toMatchObject({ name: 'product_view', props: { sku: 'SOFA-001' } });
    expect(c.ctx.focus).toEqual({ productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Товар SOFA-001', price: 250_000 });
    expect(ofType(c.say('BED-002', { name: 'get_product', args: { sku: 'BED-002' } }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: 'BED-002' },
    ]);
    expect(texts(c.send({ type: 'lookupSku.done', sku: 'BED-002', product: null }))).toEqual([
      'Товар с артикулом BED-002 не нашёлся. Проверьте артикул или спросите менеджера.',
    ]);
  });

  it('a failed search apologises and offers the menu', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    expect(c.send({ type: 'effect.failed', effect: 'track', reason: 'x' })).toEqual([]);
    expect(c.value).toEqual({ search: 'searching' });
    expect(texts(c.send({ type: 'effect.failed', effect: 'search', reason: 'db down' }))).toEqual([s.texts.ru.error]);
    expect(c.value).toBe('idle');
  });

  it('idle follow-up: fires once when the shopper went quiet; stale ids are harmless', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: page(5), total: 9 });
    const follow = c.send({ type: 'timer.fired', timerId: 'idle:1' }, 30);
    expect(texts(follow)).toEqual([s.texts.ru.idleFollowUp]);
    expect(optionIds(follow)).toEqual(['more', 'menu', 'm']);
    expect(c.send({ type: 'timer.fired', timerId: 'idle:1' })).toEqual([]);
    expect(c.send({ type: 'timer.fired', timerId: 'idle:99' })).toEqual([]);
    // shopper wrote again: the old timer is cancelled and, if it fires anyway, ignored
    c.say('диван', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: page(5), total: 9 });
    const again = c.send({ type: 'text', text: 'хм' });
    expect(ofType(again, 'cancel')).toEqual([{ type: 'cancel', timerId: 'idle:2' }]);
    expect(c.send({ type: 'timer.fired', timerId: 'idle:2' })).toEqual([]);
  });
});
