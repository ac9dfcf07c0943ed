import type { EngineEvent, Product } from '../../../engine/index.ts';
import { productHandle } from '../../../engine/machine/handles.ts';

/**
 * A purchase as the engine sees it, one shopper message (turn) at a time, with the shop's answers
 * the host would feed back: «🛒 В корзину» on a card, «🧾 Оформить заказ», then the checkout flow's
 * questions of the shipped scenario (delivery, address, name, phone, payment) and the confirmation
 * that places the order. Each turn starts where the one before left the conversation.
 */
export const PURCHASE_KINDS = ['cart', 'checkout', 'delivery', 'address', 'name', 'phone', 'payment', 'place'] as const;
export type PurchaseKind = (typeof PURCHASE_KINDS)[number];

/** the turns that answer a checkout question (not the start, which waits for the shop, nor the placing) */
export const ANSWER_KINDS: readonly PurchaseKind[] = ['delivery', 'address', 'name', 'phone', 'payment'];

export function purchaseTurns(product: Product, at: string): { kind: PurchaseKind; events: EngineEvent[] }[] {
  const line = {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    price: product.price,
    currency: product.currency,
    available: true,
  };
  const events: Record<PurchaseKind, EngineEvent[]> = {
    cart: [
      { type: 'choice', id: `c:${productHandle(product.sku)}`, at },
      { type: 'lookupSku.done', sku: product.sku, product, at },
    ],
    checkout: [
      { type: 'choice', id: 'checkout', at },
      {
        type: 'checkout.ready',
        lines: [line],
        stores: [{ id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' }],
        methods: ['kaspi', 'on_delivery', 'at_pickup'],
        at,
      },
    ],
    delivery: [{ type: 'choice', id: 'f:delivery', at }],
    address: [{ type: 'text', text: 'Абая 10, кв. 5', at }],
    name: [{ type: 'text', text: 'Айгерим', at }],
    phone: [{ type: 'text', text: '8 701 123 45 67', at }],
    payment: [{ type: 'choice', id: 'f:kaspi', at }],
    place: [
      { type: 'choice', id: 'f:confirm', at },
      {
        type: 'order.placed',
        orderId: 'order-1',
        number: 17,
        total: product.price,
        currency: product.currency,
        payment: { kind: 'kaspi_manual' },
        at,
      },
    ],
  };
  return PURCHASE_KINDS.map((kind) => ({ kind, events: events[kind] }));
}
