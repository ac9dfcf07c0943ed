import { isUuid } from '../repos/products.ts';
import { sql } from 'kysely';
import type { DeliveryKind, OrderChannel } from '../db/types.ts';
import { enqueueCrmSync } from '../crm/outbox.ts';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { OrderInputError } from './errors.ts';
import { actorColumns, toItem, toMinor, toOrder, type OrderActor, type OrderWithItems } from './types.ts';

export const MAX_ITEM_QUANTITY = 999;
export const MAX_ORDER_LINES = 100;

export type NewOrder = {
  cityId: string;
  channel: OrderChannel;
  /** where status changes are told (`<channel>:<city>:<chat>`); none for orders made in the panel */
  conversationKey?: string | null;
  userId?: string | null;
  customer: { name: string; phone: string };
  delivery: { kind: 'delivery'; address: string } | { kind: 'pickup'; store: string };
  paymentMethod: string;
  items: ReadonlyArray<{ productId: string; quantity: number }>;
  /** who placed it (the shopper in a chat, a manager in the panel) */
  actor?: OrderActor;
  /** the inbound message that placed it: a second order with the same key is refused (unique violation) */
  idempotencyKey?: string | null;
  /** the designer's own checkout questions and their answers (floor, lift …) */
  details?: Record<string, string>;
  /**
   * Paid online: the order starts `awaiting_payment` (new → awaiting_payment, recorded). The
   * checkout's own confirmation tells the shopper how to pay, so this change is recorded as told.
   */
  awaitPayment?: boolean;
  /** placed by staff talking to the bot (the playground, API tokens): kept out of the CRM, 1C and revenue */
  test?: boolean;
};

export const MAX_DETAILS = 30;

type Line = { productId: string; quantity: number };

/** the same product twice is one line with both quantities */
function mergeLines(items: NewOrder['items']): Line[] {
  if (items.length === 0) throw new OrderInputError('empty', 'an order needs at least one item');
  const lines = new Map<string, number>();
  for (const item of items) {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_ITEM_QUANTITY)
      throw new OrderInputError(
        'bad_quantity',
        `quantity must be a whole number from 1 to ${MAX_ITEM_QUANTITY}, not ${item.quantity}`,
        [item.productId],
      );
    lines.set(item.productId, (lines.get(item.productId) ?? 0) + item.quantity);
  }
  if (lines.size > MAX_ORDER_LINES) throw new OrderInputError('bad_quantity', `at most ${MAX_ORDER_LINES} lines`);
  const merged = [...lines].map(([productId, quantity]) => ({ productId, quantity }));
  const tooMany = merged.filter((l) => l.quantity > MAX_ITEM_QUANTITY);
  if (tooMany.length)
    throw new OrderInputError(
      'bad_quantity',
      `quantity must be at most ${MAX_ITEM_QUANTITY}`,
      tooMany.map((l) => l.productId),
    );
  return merged;
}

/** the columns' limits, said in words before the database refuses them */
function checkContact(input: NewOrder): void {
  if (input.customer.name.length > 200) throw new OrderInputError('bad_customer', 'the name is at most 200 characters');
  if (input.customer.phone.length > 32) throw new OrderInputError('bad_customer', 'the phone is at most 32 characters');
  const place = input.delivery.kind === 'delivery' ? input.delivery.address : input.delivery.store;
  const max = input.delivery.kind === 'delivery' ? 500 : 200;
  if (place.trim() === '' || place.length > max)
    throw new OrderInputError(
      'bad_delivery',
      `the ${input.delivery.kind === 'delivery' ? 'address' : 'store'} must be 1 to ${max} characters`,
    );
  if (!/^[a-z0-9_]{1,32}$/.test(input.paymentMethod))
    throw new OrderInputError('bad_payment_method', `unknown payment method "${input.paymentMethod}"`);
  const details = Object.entries(input.details ?? {});
  if (details.length > MAX_DETAILS) throw new OrderInputError('bad_details', `at most ${MAX_DETAILS} details`);
  const long = details.filter(([name, answer]) => name.length > 64 || answer.length > 500);
  if (long.length)
    throw new OrderInputError(
      'bad_details',
      'a detail is named in at most 64 characters and answered in at most 500',
      long.map(([name]) => name.slice(0, 64)),
    );
}

/**
 * Places an order: prices, names, SKUs and 1C ids are read from the catalog now (never taken from
 * the caller) and the total is their sum; a product of another city, missing, unavailable or
 * short of stock refuses the whole order (OrderInputError). The number is the city's next, taken
 * in the same transaction (see migration 0021).
 */
export async function createOrder(db: Db, input: NewOrder): Promise<OrderWithItems> {
  const lines = mergeLines(input.items);
  checkContact(input);
  return inTransaction(db, async (tx) => {
    const ids = lines.map((l) => l.productId);
    const wellFormed = ids.filter(isUuid);
    const products = wellFormed.length
      ? await tx
          .selectFrom('products')
          .select(['id', 'sku', 'name', 'price', 'currency', 'external_id', 'is_available', 'stock_quantity'])
          .where('city_id', '=', input.cityId)
          .where('id', 'in', wellFormed)
          .execute()
      : [];
    const byId = new Map(products.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new OrderInputError('unknown_product', 'no such product in this city', missing);
    const unavailable = lines.filter((l) => {
      const p = byId.get(l.productId)!;
      return !p.is_available || (p.stock_quantity !== null && Number(p.stock_quantity) < l.quantity);
    });
    if (unavailable.length)
      throw new OrderInputError(
        'unavailable',
        'sold out or not enough in stock',
        unavailable.map((l) => byId.get(l.productId)!.sku),
      );
    const currencies = new Set(products.map((p) => p.currency));
    if (currencies.size > 1) throw new OrderInputError('mixed_currency', 'items are priced in different currencies');
    const totalMinor = lines.reduce((sum, l) => sum + toMinor(byId.get(l.productId)!.price) * l.quantity, 0);

    const { last_number: number } = await tx
      .insertInto('order_numbers')
      .values({ city_id: input.cityId, last_number: 1 })
      .onConflict((oc) => oc.column('city_id').doUpdateSet({ last_number: sql<number>`order_numbers.last_number + 1` }))
      .returning('last_number')
      .executeTakeFirstOrThrow();

    const delivery = input.delivery as { kind: DeliveryKind; address?: string; store?: string };
    const row = await tx
      .insertInto('orders')
      .values({
        city_id: input.cityId,
        number,
        channel: input.channel,
        conversation_key: input.conversationKey ?? null,
        user_id: input.userId ?? null,
        customer_name: input.customer.name,
        customer_phone: input.customer.phone,
        delivery_kind: delivery.kind,
        address: delivery.kind === 'delivery' ? (delivery.address ?? '') : null,
        store: delivery.kind === 'pickup' ? (delivery.store ?? '') : null,
        payment_method: input.paymentMethod,
        total: (totalMinor / 100).toFixed(2),
        currency: [...currencies][0] ?? 'KZT',
        idempotency_key: input.idempotencyKey ?? null,
        details: json(input.details ?? {}),
        is_test: input.test === true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const items = await tx
      .insertInto('order_items')
      .values(
        lines.map((l, position) => {
          const p = byId.get(l.productId)!;
          return {
            order_id: row.id,
            position,
            product_id: p.id,
            sku: p.sku,
            external_id: p.external_id,
            name: p.name,
            quantity: l.quantity,
            price: p.price,
          };
        }),
      )
      .returningAll()
      .execute();
    // the order's first entry; the checkout itself tells the shopper, so nothing is left to notify
    const actor = actorColumns(input.actor ?? { kind: 'shopper' });
    const now = new Date();
    await tx
      .insertInto('order_events')
      .values({ order_id: row.id, to_status: 'new', ...actor, created_at: now, notified_at: now })
      .execute();
    let placed = row;
    if (input.awaitPayment) {
      // told too: the confirmation that names the order says how to pay it (see docs/orders.md)
      placed = await tx
        .updateTable('orders')
        .set({ status: 'awaiting_payment' })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('order_events')
        .values({
          order_id: row.id,
          from_status: 'new',
          to_status: 'awaiting_payment',
          ...actor,
          // a millisecond later, so the history (ordered by time) reads new → awaiting_payment
          created_at: new Date(now.getTime() + 1),
          notified_at: now,
        })
        .execute();
    }
    // the CRM hears of it only if the order commits (the outbox row is in this transaction), and
    // never of a test order
    if (!row.is_test) await enqueueCrmSync(tx, 'order', row.id);
    return { ...toOrder(placed), items: items.sort((a, b) => a.position - b.position).map(toItem) };
  });
}
