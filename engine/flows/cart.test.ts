import { describe, expect, it } from 'vitest';
import {
  Convo,
  loadDefaultScenario,
  product,
  texts,
  types,
  understood,
  type EventInput,
} from '../../scenarios/engine-testkit.ts';
import { initialContext, type CartLine, type ConversationContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { Intent } from '../intent.ts';
import { productHandle } from '../machine/handles.ts';
import type { Persisted } from '../step.ts';

/**
 * The cart and «где мой заказ» as a table run through `step`: from a state and a context, these
 * events lead to a state, the last of them asks for these effects, leaves this cart and says this.
 */
const s = loadDefaultScenario();

const line = (sku: string, quantity: number, price = 100_000): CartLine => ({
  productId: `id-${sku}`,
  sku,
  name: `Товар ${sku}`,
  price,
  currency: 'KZT',
  quantity,
});
const onScreen = { focus: { productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Товар SOFA-001', price: 100_000 } };
const brain = (intent: Intent): EventInput => ({ type: 'understand.done', understanding: understood(intent) });
const add = (args: { sku?: string; quantity?: number; more?: true } = {}) => brain({ name: 'add_to_cart', args });
const found = (sku: string, extra: Parameters<typeof product>[2] = {}): EventInput => ({
  type: 'lookupSku.done',
  sku,
  product: product(sku, 100_000, extra),
});
const tap = (id: string): EventInput => ({ type: 'choice', id });
const MENU = 'Чем могу помочь? Выберите в меню:';

type Row = {
  what: string;
  from?: unknown;
  ctx?: Partial<ConversationContext>;
  /** the snapshot's scenario version, when it is not the scenario's own */
  version?: number;
  events: EventInput[];
  to: unknown;
  effects: Effect['type'][];
  cart: [sku: string, quantity: number][];
  /** the answers the shopper gave to remembered questions, when the row is about them */
  known?: Record<string, string>;
  says?: string;
};

const TABLE: Row[] = [
  // adding: a card's «🛒 В корзину», then the catalog's answer
  { what: 'a card tapped', events: [tap('c:SOFA-001')], to: { cart: 'adding' }, effects: ['lookupSku'], cart: [] },
  {
    what: 'added from a card',
    events: [tap('c:SOFA-001'), found('SOFA-001')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [['SOFA-001', 1]],
    says: '🛒 «Товар SOFA-001» × 1 в корзине. Всего товаров: 1 на 100 000 ₸.',
  },
  {
    what: 'the same card again: one more',
    // the button's handle resolves through the cards shown lately
    ctx: { cart: [line('SOFA-001', 1)], shownSkus: ['SOFA-001'] },
    events: [tap(`c:${productHandle('SOFA-001')}`), found('SOFA-001')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [['SOFA-001', 2]],
  },
  {
    what: '«2 штуки» of the product on screen',
    from: 'understanding',
    ctx: { ...onScreen, cart: [line('SOFA-001', 1)] },
    events: [add({ quantity: 2 }), found('SOFA-001')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [['SOFA-001', 2]],
    says: '🛒 «Товар SOFA-001» × 2 в корзине. Всего товаров: 2 на 200 000 ₸.',
  },
  {
    what: '«беру ещё два»: two more on top of the line',
    from: 'understanding',
    ctx: { ...onScreen, cart: [line('SOFA-001', 1)] },
    events: [add({ quantity: 2, more: true }), found('SOFA-001')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [['SOFA-001', 3]],
    says: '🛒 «Товар SOFA-001» × 3 в корзине. Всего товаров: 3 на 300 000 ₸.',
  },
  {
    what: '«ещё два» of a product not in the cart yet: two',
    from: 'understanding',
    ctx: onScreen,
    events: [add({ quantity: 2, more: true }), found('SOFA-001')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [['SOFA-001', 2]],
  },
  {
    what: '«ещё 99» past the line limit: told, nothing changes',
    from: 'understanding',
    ctx: { ...onScreen, cart: [line('SOFA-001', 1)] },
    events: [add({ quantity: 99, more: true }), found('SOFA-001')],
    to: 'idle',
    effects: ['reply'],
    cart: [['SOFA-001', 1]],
    says: 'Количество — целое число от 1 до 99. Напишите, например, «2 штуки».',
  },
  {
    what: '«беру» with nothing on screen: asked which',
    from: 'understanding',
    events: [add()],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: 'Какой товар добавить? Нажмите «🛒 В корзину» на карточке или напишите артикул.',
  },
  ...[0, -1, 2.5, 10_000].map(
    (quantity): Row => ({
      what: `quantity ${quantity}: told, nothing looked up`,
      from: 'understanding',
      ctx: { ...onScreen, cart: [line('SOFA-001', 1)] },
      events: [add({ quantity })],
      to: 'idle',
      effects: ['reply'],
      cart: [['SOFA-001', 1]],
      says: 'Количество — целое число от 1 до 99. Напишите, например, «2 штуки».',
    }),
  ),
  {
    what: 'more than the stock: told how many there are',
    from: 'understanding',
    ctx: onScreen,
    events: [add({ quantity: 3 }), found('SOFA-001', { stockQuantity: 2 })],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: '«Товар SOFA-001»: в наличии только 2 шт. Укажите количество не больше.',
  },
  {
    what: 'sold out: not added, an alert offered',
    events: [tap('c:SOFA-001'), found('SOFA-001', { available: false })],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: '«Товар SOFA-001» сейчас нет в наличии — в корзину не добавил. Могу сообщить, когда появится 🔔',
  },
  {
    what: 'a product the catalog no longer has',
    events: [tap('c:SOFA-404'), { type: 'lookupSku.done', sku: 'SOFA-404', product: null }],
    to: 'idle',
    effects: ['reply'],
    cart: [],
  },
  // editing the cart it shows
  {
    what: '➕',
    ctx: { cart: [line('SOFA-001', 1)] },
    events: [tap(`c+:${productHandle('SOFA-001')}`)],
    to: 'idle',
    effects: ['track', 'reply'],
    cart: [['SOFA-001', 2]],
  },
  {
    what: '➖ to zero removes the line',
    ctx: { cart: [line('SOFA-001', 1), line('SOFA-002', 2)] },
    events: [tap(`c-:${productHandle('SOFA-001')}`)],
    to: 'idle',
    effects: ['track', 'reply'],
    cart: [['SOFA-002', 2]],
  },
  {
    what: '➖ the last one: the cart is empty',
    ctx: { cart: [line('SOFA-001', 1)] },
    events: [tap(`c-:${productHandle('SOFA-001')}`)],
    to: 'idle',
    effects: ['track', 'reply'],
    cart: [],
    says: 'Корзина пока пуста. Найдите товар и нажмите «🛒 В корзину» на карточке.',
  },
  {
    what: '➕ beyond the line limit: told',
    ctx: { cart: [line('SOFA-001', 99)] },
    events: [tap(`c+:${productHandle('SOFA-001')}`)],
    to: 'idle',
    effects: ['reply'],
    cart: [['SOFA-001', 99]],
  },
  {
    what: 'cleared',
    ctx: { cart: [line('SOFA-001', 1), line('SOFA-002', 2)] },
    events: [tap('cart:clear')],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [],
    says: 'Корзина очищена. Чем ещё помочь?',
  },
  // a scenario published meanwhile: the state is gone, the cart stays
  {
    what: 'a reset to a new scenario version keeps the cart (and the known answers)',
    from: { flows: { gone: 'step' } },
    version: s.version + 1,
    ctx: { cart: [line('SOFA-001', 2)], known: { phone: '+77011234567' } },
    known: { phone: '+77011234567' },
    events: [tap('menu')],
    to: 'idle',
    effects: ['warning', 'reply'],
    cart: [['SOFA-001', 2]],
    says: MENU,
  },
  {
    what: 'checkout of an empty cart: told, nothing asked of the shop',
    events: [tap('checkout')],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: 'Корзина пока пуста. Найдите товар и нажмите «🛒 В корзину» на карточке.',
  },
  // «где мой заказ»
  {
    what: 'order status asked',
    from: 'understanding',
    events: [brain({ name: 'order_status', args: {} })],
    to: { orders: 'finding' },
    effects: ['findOrders'],
    cart: [],
  },
  {
    what: 'no orders yet',
    from: 'understanding',
    events: [brain({ name: 'order_status', args: {} }), { type: 'orders.found', orders: [] }],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: 'В этом чате заказов пока нет. Найдите товар и нажмите «🛒 В корзину».',
  },
  {
    what: 'a number not found',
    from: 'understanding',
    events: [brain({ name: 'order_status', args: { number: 7 } }), { type: 'orders.found', orders: [] }],
    to: 'idle',
    effects: ['reply'],
    cart: [],
    says: 'Заказ № 7 в этом чате не нашёл. Проверьте номер или спросите менеджера.',
  },
  {
    what: 'an order found',
    from: 'understanding',
    events: [
      brain({ name: 'order_status', args: { number: 3 } }),
      {
        type: 'orders.found',
        orders: [
          {
            number: 3,
            status: 'awaiting_payment',
            total: 125_000,
            currency: 'KZT',
            createdAt: '2026-03-01T08:00:00.000Z',
          },
        ],
      },
    ],
    to: 'idle',
    effects: ['reply', 'track'],
    cart: [],
    says: 'Заказ № 3 на 125 000 ₸: ждёт оплаты.',
  },
];

function persisted(row: Row): Persisted {
  return {
    scenarioId: s.id,
    scenarioVersion: row.version ?? s.version,
    snapshot: { value: row.from ?? 'idle', context: { ...initialContext('telegram', 'ru'), ...row.ctx } },
  };
}

describe('the cart and order status: state table', () => {
  it.each(TABLE.map((row) => [row.what, row] as const))('%s', (_what, row) => {
    const c = new Convo(s);
    c.persisted = persisted(row);
    let effects: Effect[] = [];
    for (const event of row.events) effects = c.send(event);
    expect(c.value).toEqual(row.to);
    expect(types(effects)).toEqual(row.effects);
    expect((c.ctx.cart ?? []).map((l) => [l.sku, l.quantity])).toEqual(row.cart);
    if (row.known) expect(c.ctx.known).toEqual(row.known);
    if (row.says) expect(texts(effects)).toContain(row.says);
  });

  it('an unreadable snapshot still gives the cart back', () => {
    const c = new Convo(s);
    const row = TABLE.find((r) => r.what.startsWith('a reset'))!;
    const broken = persisted(row) as unknown as { snapshot: { context: Record<string, unknown> } };
    broken.snapshot.context.history = 'not a history';
    c.persisted = broken as unknown as Persisted;
    expect(types(c.send(tap('menu')))).toEqual(['warning', 'reply']);
    expect(c.ctx.cart).toEqual([line('SOFA-001', 2)]);
  });
});
