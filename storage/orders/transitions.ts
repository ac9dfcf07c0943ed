import { isUuid } from '../repos/products.ts';
import type { OrderStatus } from '../db/types.ts';
import { enqueueCrmSync } from '../crm/outbox.ts';
import { inTransaction, type Db } from '../repos/common.ts';
import { OrderNotFoundError } from './errors.ts';
import { assertTransition } from './status.ts';
import { actorColumns, toEvent, toOrder, type Order, type OrderActor, type OrderEvent } from './types.ts';

export type StatusChange = { order: Order; event: OrderEvent };

/** the order row, locked until the transaction ends: concurrent changes of one order queue up */
export async function lockOrder(tx: Db, orderId: string) {
  if (!isUuid(orderId)) return undefined;
  return tx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
}

/**
 * Moves a locked order to `to`, records who did it and queues the CRM update (a test order has no
 * deal). The caller has checked the transition; the event waits for the shopper's notification
 * unless the order has no conversation to tell.
 */
export async function applyTransition(
  tx: Db,
  order: Order,
  to: OrderStatus,
  actor: OrderActor,
  note?: string,
): Promise<StatusChange> {
  const now = new Date();
  const row = await tx
    .updateTable('orders')
    .set({ status: to, updated_at: now })
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const event = await tx
    .insertInto('order_events')
    .values({
      order_id: order.id,
      from_status: order.status,
      to_status: to,
      ...actorColumns(actor),
      note: note ?? null,
      created_at: now,
      notified_at: order.conversationKey ? null : now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // every status change (by a person, a system or a payment) moves the CRM deal's stage with it
  if (!order.test) await enqueueCrmSync(tx, 'order', order.id, now);
  return { order: toOrder(row), event: toEvent(event) };
}

/**
 * A status change asked for by a person or a system (not a payment: an order becomes paid only
 * through recordPayment). Illegal transitions throw OrderTransitionError; cancelling a paid order
 * flags its payments for refund.
 */
export async function changeOrderStatus(
  db: Db,
  orderId: string,
  to: Exclude<OrderStatus, 'paid' | 'new'>,
  actor: OrderActor,
  note?: string,
): Promise<StatusChange> {
  return inTransaction(db, async (tx) => {
    const row = await lockOrder(tx, orderId);
    if (!row) throw new OrderNotFoundError(orderId);
    const order = toOrder(row);
    assertTransition(order, to);
    const change = await applyTransition(tx, order, to, actor, note);
    if (to === 'cancelled')
      await tx
        .updateTable('payments')
        .set({ flagged_reason: 'refund_due', updated_at: new Date() })
        .where('order_id', '=', orderId)
        .where('status', '=', 'succeeded')
        .where('flagged_reason', 'is', null)
        .execute();
    return change;
  });
}
