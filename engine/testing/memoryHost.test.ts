import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog.ts';
import type { TranscriptHeader } from '../transcript/model.ts';
import { searchCatalog } from './catalogSearch.ts';
import { createMemoryHost } from './memoryHost.ts';

const p = (sku: string, price: number, extra: Partial<Product> = {}): Product => ({
  id: `p-${sku}`,
  sku,
  name: `Товар ${sku}`,
  price,
  currency: 'KZT',
  available: true,
  ...extra,
});
const catalog: Product[] = [
  p('SOFA-001', 250000, { category: 'sofa', color: 'red', material: 'velour', name: 'Диван угловой Монако' }),
  p('SOFA-002', 139900, { category: 'sofa', color: 'red', material: 'fabric', name: 'Диван прямой Верона' }),
  p('SOFA-003', 89000, { category: 'sofa', color: 'blue', material: 'leather', name: 'Диван Денвер кожаный' }),
  p('SOFA-004', 210000, { category: 'sofa', color: 'grey', available: false }),
  p('BED-001', 99000, { category: 'bed', color: 'white', name: 'Кровать Лайт' }),
];
const header: TranscriptHeader = {
  city: 'almaty',
  channel: 'telegram',
  lang: 'ru',
  at: '2026-11-26T10:00:00.000Z',
  vision: true,
  voice: true,
  extra: {},
};
const at = '2026-11-26T10:00:00.000Z';

describe('searchCatalog', () => {
  it('filters by category, colour, material and price, in stock only, cheapest first', () => {
    expect(searchCatalog(catalog, { category: 'sofa' }, 1, 10).items.map((x) => x.sku)).toEqual([
      'SOFA-003',
      'SOFA-002',
      'SOFA-001',
    ]);
    expect(
      searchCatalog(catalog, { category: 'sofa', color: 'red', priceMax: 150000 }, 1, 10).items.map((x) => x.sku),
    ).toEqual(['SOFA-002']);
    expect(searchCatalog(catalog, { material: 'leather' }, 1, 10).total).toBe(1);
    expect(searchCatalog(catalog, { priceMin: 100000, priceMax: 200000 }, 1, 10).items.map((x) => x.sku)).toEqual([
      'SOFA-002',
    ]);
  });

  it('pages from 1 and reports the total', () => {
    const second = searchCatalog(catalog, { category: 'sofa' }, 2, 2);
    expect(second).toMatchObject({ total: 3 });
    expect(second.items.map((x) => x.sku)).toEqual(['SOFA-001']);
  });

  it('matches free words by stem, the first stage with results wins, best match then cheapest first', () => {
    // every word in the title
    expect(searchCatalog(catalog, { query: 'кожаного дивана' }, 1, 10).items.map((x) => x.sku)).toEqual(['SOFA-003']);
    // no product has both words: any of them, more words matched first
    expect(searchCatalog(catalog, { query: 'диван кожаный лайт' }, 1, 10).items.map((x) => x.sku)).toEqual([
      'SOFA-003',
      'BED-001',
      'SOFA-002',
      'SOFA-001',
    ]);
    expect(searchCatalog(catalog, { query: 'диван фывапролдж' }, 1, 10).items.map((x) => x.sku)).toEqual([
      'SOFA-003',
      'SOFA-002',
      'SOFA-001',
    ]);
    expect(searchCatalog(catalog, { query: 'покажите sofa-001 или диван' }, 1, 10).items[0]?.sku).toBe('SOFA-001');
    expect(searchCatalog(catalog, { query: 'монако' }, 1, 10).items.map((x) => x.sku)).toEqual(['SOFA-001']);
    expect(searchCatalog(catalog, { query: 'холодильник' }, 1, 10).total).toBe(0);
    // a word no product has: within a category, the category alone with the word reported left out
    expect(searchCatalog(catalog, { category: 'sofa', query: 'раскладной' }, 1, 10)).toMatchObject({
      total: 3,
      relaxed: { dropped: ['раскладной'] },
    });
    // …but never for an audience alone («велосипед детский»)
    expect(searchCatalog(catalog, { category: 'kids', query: 'велосипед' }, 1, 10).total).toBe(0);
    expect(searchCatalog(catalog, { category: 'bed', query: 'хочу' }, 1, 10).total).toBe(1);
  });
});

describe('createMemoryHost', () => {
  it('answers effects deterministically', () => {
    const host = createMemoryHost({
      catalog,
      images: { 'tag.png': { ocr: 'Артикул: SOFA-001', vision: { category: 'sofa' } } },
      voices: { 'v.wav': { text: 'диван' } },
    });
    host.start(header);
    expect(host.execute({ type: 'lookupSku', sku: 'sofa-001' }, at)).toMatchObject({
      type: 'lookupSku.done',
      product: { sku: 'SOFA-001' },
    });
    expect(host.execute({ type: 'readImage', ref: 'fixtures/images/tag.png' }, at)).toEqual({
      type: 'readImage.done',
      text: 'Артикул: SOFA-001',
      at,
    });
    expect(host.execute({ type: 'readImage', ref: 'nope.png' }, at)).toMatchObject({
      type: 'effect.failed',
      effect: 'readImage',
    });
    expect(host.execute({ type: 'transcribe', ref: 'x/v.wav', lang: 'ru' }, at)).toEqual({
      type: 'transcribe.done',
      text: 'диван',
      at,
    });
    expect(host.execute({ type: 'escalate', reason: 'r', trigger: 'request', history: [] }, at)).toMatchObject({
      escalationId: 'esc-1',
    });
    expect(host.execute({ type: 'escalate', reason: 'r', trigger: 'request', history: [] }, at)).toMatchObject({
      escalationId: 'esc-2',
    });
    expect(
      host.execute({ type: 'understand', text: 'красный диван до 150 тысяч', lang: 'ru', history: [] }, at),
    ).toMatchObject({
      type: 'understand.done',
      understanding: {
        intent: { name: 'search_products', args: { category: 'sofa', color: 'red', price_max: 150000 } },
        source: 'rules',
      },
    });
    host.start({ ...header, vision: false, voice: false });
    expect(host.execute({ type: 'describeImage', ref: 'tag.png' }, at)).toEqual({
      type: 'describeImage.done',
      description: null,
      at,
    });
    expect(host.execute({ type: 'transcribe', ref: 'v.wav', lang: 'ru' }, at)).toEqual({
      type: 'transcribe.done',
      text: null,
      at,
    });
    expect(host.execute({ type: 'escalate', reason: 'r', trigger: 'request', history: [] }, at)).toMatchObject({
      escalationId: 'esc-1',
    });
  });

  it('recommends from what the shopper searched for and opened, as the platform does, and forgets', () => {
    const host = createMemoryHost({ catalog });
    host.start(header);
    const recommend = () =>
      (host.execute({ type: 'recommend', limit: 2 }, at) as { items: Product[] }).items.map((x) => x.sku);
    expect(recommend()).toEqual([]);
    host.execute({ type: 'track', name: 'search', props: { category: 'sofa', color: 'red', priceMax: 300000 } }, at);
    expect(recommend()).toEqual(['SOFA-002', 'SOFA-001']);
    // an opened product is not recommended again
    host.execute({ type: 'track', name: 'product_view', props: { sku: 'SOFA-002' } }, at);
    expect(recommend()).toEqual(['SOFA-001', 'SOFA-003']);
    host.execute({ type: 'forgetPreferences' }, at);
    expect(recommend()).toEqual([]);
    host.learn('search', { category: 'bed' });
    expect(recommend()).toEqual(['BED-001']);
    host.start(header);
    expect(recommend()).toEqual([]);
  });

  it('keeps timers by id and hands out the due ones in order', () => {
    const host = createMemoryHost({ catalog });
    host.start(header);
    host.execute({ type: 'schedule', timerId: 'idle:1', dueAt: '2026-11-26T10:30:00.000Z' }, at);
    host.execute({ type: 'schedule', timerId: 'sla:2', dueAt: '2026-11-26T10:10:00.000Z' }, at);
    host.execute({ type: 'schedule', timerId: 'idle:1', dueAt: '2026-11-26T10:40:00.000Z' }, at);
    host.execute({ type: 'schedule', timerId: 'x:3', dueAt: '2026-11-26T10:05:00.000Z' }, at);
    host.execute({ type: 'cancel', timerId: 'x:3' }, at);
    expect(host.takeDueTimers('2026-11-26T10:35:00.000Z')).toEqual([
      { timerId: 'sla:2', dueAt: '2026-11-26T10:10:00.000Z' },
    ]);
    expect(host.takeDueTimers('2026-11-26T11:00:00.000Z').map((t) => t.timerId)).toEqual(['idle:1']);
    expect(host.takeDueTimers('2026-11-27T00:00:00.000Z')).toEqual([]);
  });

  it("turns a catalog change into one digest of the alert hits it causes, by the platform's rules", async () => {
    const host = createMemoryHost({ catalog });
    host.start(header);
    host.execute(
      { type: 'createAlert', target: { kind: 'product', productId: 'p-SOFA-001', sku: 'SOFA-001', price: 250000 } },
      at,
    );
    host.execute(
      {
        type: 'createAlert',
        target: { kind: 'product', productId: 'p-SOFA-002', sku: 'SOFA-002', price: 139900, targetPrice: 100000 },
      },
      at,
    );
    host.execute(
      { type: 'createAlert', target: { kind: 'search', criteria: { category: 'sofa', color: 'grey' } } },
      at,
    );
    expect(host.admin({ kind: 'price', sku: 'SOFA-001', price: 260000 }, at)).toEqual([]);
    // told from the price the shopper was last told, not from the unannounced rise
    expect(host.admin({ kind: 'price', sku: 'SOFA-001', price: 220000 }, at)).toMatchObject([
      {
        type: 'alert.digest',
        hits: [
          {
            kind: 'product',
            reason: 'cheaper',
            oldPrice: 250000,
            alertId: 'alert-1',
            product: { sku: 'SOFA-001', price: 220000 },
          },
        ],
      },
    ]);
    expect(host.admin({ kind: 'price', sku: 'SOFA-001', price: 230000 }, at)).toEqual([]);
    expect(host.admin({ kind: 'price', sku: 'SOFA-002', price: 120000 }, at)).toEqual([]);
    expect(host.admin({ kind: 'price', sku: 'SOFA-002', price: 99000 }, at)).toMatchObject([
      { type: 'alert.digest', hits: [{ alertId: 'alert-2' }] },
    ]);
    expect(host.admin({ kind: 'stock', sku: 'SOFA-004', available: true }, at)).toMatchObject([
      {
        type: 'alert.digest',
        hits: [{ kind: 'search', reason: 'new', alertId: 'alert-3', product: { sku: 'SOFA-004' } }],
      },
    ]);
    // an import: unchanged rows say nothing; several hits at once are one event
    expect(host.admin({ kind: 'catalogImport', rows: [{ sku: 'SOFA-004' }, { sku: 'SOFA-001' }] }, at)).toEqual([]);
    const both = await host.admin(
      {
        kind: 'catalogImport',
        rows: [
          { sku: 'SOFA-001', price: 100000 },
          { sku: 'SOFA-004', price: 1000 },
        ],
      },
      at,
    );
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({
      type: 'alert.digest',
      hits: [{ alertId: 'alert-1' }, { alertId: 'alert-3', reason: 'cheaper' }],
    });
    host.execute(
      { type: 'createAlert', target: { kind: 'product', productId: 'p-BED-001', sku: 'BED-001', price: 99000 } },
      at,
    );
    host.execute({ type: 'cancelAlert', sku: 'BED-001' }, at);
    expect(host.admin({ kind: 'price', sku: 'BED-001', price: 50000 }, at)).toEqual([]);
    expect(host.admin({ kind: 'price', sku: 'NOPE-1', price: 1 }, at)).toEqual([]);
  });

  it('starts every conversation from the pristine catalog', () => {
    const host = createMemoryHost({ catalog });
    host.start(header);
    host.admin({ kind: 'price', sku: 'SOFA-001', price: 1 }, at);
    host.start(header);
    expect(host.findSku('SOFA-001')).toMatchObject({ price: 250000 });
  });
});
