import { isUuid } from '../repos/products.ts';
import type { OrderStatus } from '../db/types.ts';
import { clampPage, type Db, type Page, type Paged } from '../repos/common.ts';
import {
  toEvent,
  toItem,
  toOrder,
  toPayment,
  type Order,
  type OrderDetail,
  type OrderEvent,
  type OrderWithItems,
  type Payment,
} from './types.ts';

export type OrderFilter = {
  cityId?: string;
  status?: OrderStatus;
  /** created at or after */
  from?: Date;
  /** created before */
  to?: Date;
  /** only test orders (true) or only shoppers' (false); both when unset */
  test?: boolean;
};

export type OrderListItem = OrderWithItems & { payments: Payment[] };

/** Orders newest first, each with its lines and payments. */
export async function listOrders(db: Db, filter: OrderFilter, page?: Partial<Page>): Promise<Paged<OrderListItem>> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('orders');
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.to) q = q.where('created_at', '<', filter.to);
  if (filter.test !== undefined) q = q.where('is_test', '=', filter.test);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('number', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [items, payments] = ids.length
    ? await Promise.all([
        db.selectFrom('order_items').selectAll().where('order_id', 'in', ids).orderBy('position').execute(),
        db.selectFrom('payments').selectAll().where('order_id', 'in', ids).orderBy('created_at').execute(),
      ])
    : [[], []];
  return {
    items: rows.map((r) => ({
      ...toOrder(r),
      items: items.filter((i) => i.order_id === r.id).map(toItem),
      payments: payments.filter((p) => p.order_id === r.id).map(toPayment),
    })),
    total: Number(count.n),
  };
}

/** One order with its lines, its history (oldest first) and its payments. */
export async function getOrder(db: Db, orderId: string): Promise<OrderDetail | undefined> {
  if (!isUuid(orderId)) return undefined;
  const row = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!row) return undefined;
  const [items, events, payments] = await Promise.all([
    db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).orderBy('position').execute(),
    db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute(),
    db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute(),
  ]);
  return { ...toOrder(row), items: items.map(toItem), events: events.map(toEvent), payments: payments.map(toPayment) };
}

export type PendingNotification = { event: OrderEvent; order: Order };

/** Status changes the shopper has not been told yet, oldest first. */
export async function pendingOrderNotifications(db: Db, limit = 200): Promise<PendingNotification[]> {
  const events = await db
    .selectFrom('order_events')
    .selectAll()
    .where('notified_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  if (events.length === 0) return [];
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where(
      'id',
      'in',
      events.map((e) => e.order_id),
    )
    .execute();
  const byId = new Map(orders.map((o) => [o.id, toOrder(o)]));
  return events.map((e) => ({ event: toEvent(e), order: byId.get(e.order_id)! }));
}

export async function markOrderEventNotified(db: Db, eventId: string, at: Date): Promise<void> {
  await db.updateTable('order_events').set({ notified_at: at }).where('id', '=', eventId).execute();
}

/** The order an inbound message placed (its idempotency key), with its lines, history and payments. */
export async function orderByIdempotencyKey(db: Db, key: string): Promise<OrderDetail | undefined> {
  const row = await db.selectFrom('orders').select('id').where('idempotency_key', '=', key).executeTakeFirst();
  return row ? getOrder(db, row.id) : undefined;
}

/** A conversation's orders, newest first; `number`: only the one with that number (numbers are per city). */
export async function conversationOrders(
  db: Db,
  conversationKey: string,
  options: { cityId: string; number?: number; limit: number },
): Promise<Order[]> {
  let q = db
    .selectFrom('orders')
    .selectAll()
    .where('conversation_key', '=', conversationKey)
    .where('city_id', '=', options.cityId);
  if (options.number !== undefined) q = q.where('number', '=', options.number);
  const rows = await q.orderBy('created_at', 'desc').orderBy('number', 'desc').limit(options.limit).execute();
  return rows.map(toOrder);
}
