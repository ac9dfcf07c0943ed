import type { Product } from '../catalog.ts';
import type { CartRef, OrderRequest } from '../effects.ts';
import type { OrderSummary, PaymentMethod, PricedLine, ResultEvent, Store } from '../events.ts';
import type { TranscriptHeader } from '../transcript/model.ts';

/**
 * The shop of the in-memory world: carts priced from the product array, orders numbered from 1,
 * placed once per message, paid by a link or on receipt. A transcript's header may set the city's
 * pickup stores (`@ stores dostyk=Dostyk Plaza; mega=Mega Park`) and payment methods
 * (`@ payments kaspi, cloudpayments, on_delivery`); these defaults otherwise.
 */
export type MemoryOrder = OrderSummary & { request: OrderRequest; key: string };

const DEFAULT_STORES: Store[] = [
  { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
  { id: 'mega', name: 'MEGA Park', address: 'ул. Макатаева, 127' },
];
const DEFAULT_METHODS: PaymentMethod[] = ['kaspi', 'cloudpayments', 'on_delivery', 'at_pickup'];

export function createMemoryShop(catalog: () => readonly Product[]) {
  const orders: MemoryOrder[] = [];
  let stores = DEFAULT_STORES;
  let methods = DEFAULT_METHODS;

  const priced = (ref: CartRef): PricedLine => {
    const p = catalog().find((x) => x.id === ref.productId);
    if (!p)
      return { productId: ref.productId, sku: ref.sku, name: ref.sku, price: 0, currency: 'KZT', available: false };
    return {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      price: p.price,
      currency: p.currency,
      available: p.available && (p.stockQuantity === undefined || p.stockQuantity >= ref.quantity),
      ...(p.stockQuantity !== undefined ? { stock: p.stockQuantity } : {}),
    };
  };

  return {
    orders,
    start(header: TranscriptHeader) {
      orders.length = 0;
      stores = parseStores(header.extra.stores) ?? DEFAULT_STORES;
      methods = parseMethods(header.extra.payments) ?? DEFAULT_METHODS;
    },
    prepare(lines: CartRef[], at: string): ResultEvent {
      return { type: 'checkout.ready', lines: lines.map(priced), stores, methods, at };
    },
    place(order: OrderRequest, key: string, at: string): ResultEvent {
      const done = orders.find((o) => o.key === key);
      if (done) return placedEvent(done, at);
      if (order.lines.length === 0) return { type: 'order.refused', reason: 'empty', lines: [], at };
      const now = order.lines.map((l) => ({ ref: l, line: priced(l) }));
      if (now.some(({ ref, line }) => !line.available || line.price !== ref.price))
        return { type: 'order.refused', reason: 'changed', lines: now.map((x) => x.line), at };
      const total = now.reduce((sum, { ref, line }) => sum + line.price * ref.quantity, 0);
      const placed: MemoryOrder = {
        number: orders.length + 1,
        status: order.method === 'on_delivery' || order.method === 'at_pickup' ? 'new' : 'awaiting_payment',
        total,
        currency: now[0]?.line.currency ?? 'KZT',
        createdAt: at,
        ...(order.delivery.kind === 'pickup' ? { store: order.delivery.store } : {}),
        request: order,
        key,
      };
      orders.push(placed);
      return placedEvent(placed, at);
    },
    find(number: number | undefined, at: string): ResultEvent {
      const mine = [...orders].reverse().filter((o) => number === undefined || o.number === number);
      return {
        type: 'orders.found',
        orders: mine.slice(0, 5).map(({ request: _r, key: _k, ...summary }) => summary),
        at,
      };
    },
  };
}

function placedEvent(o: MemoryOrder, at: string): ResultEvent {
  const method = o.request.method;
  const payment =
    method === 'on_delivery' || method === 'at_pickup'
      ? ({ kind: 'on_receipt' } as const)
      : method === 'kaspi'
        ? ({ kind: 'kaspi_manual' } as const)
        : ({ kind: 'link', url: `https://pay.example.test/${method}/${o.number}` } as const);
  return {
    type: 'order.placed',
    orderId: `order-${o.number}`,
    number: o.number,
    total: o.total,
    currency: o.currency,
    payment,
    at,
  };
}

function parseStores(text: string | undefined): Store[] | null {
  if (!text) return null;
  const stores = text.split(';').flatMap((part) => {
    const m = /^\s*([a-z0-9_-]{1,32})\s*=\s*(.+?)\s*$/.exec(part);
    return m ? [{ id: m[1]!, name: m[2]! }] : [];
  });
  return stores;
}

const METHODS: readonly string[] = ['kaspi', 'cloudpayments', 'stripe', 'on_delivery', 'at_pickup'];
function parseMethods(text: string | undefined): PaymentMethod[] | null {
  if (!text) return null;
  return text
    .split(',')
    .map((m) => m.trim())
    .filter((m): m is PaymentMethod => METHODS.includes(m));
}
