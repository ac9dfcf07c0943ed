import * as v from 'valibot';
import {
  changeOrderStatus,
  getOrder,
  KASPI_MANUAL,
  OrderNotFoundError,
  OrderTransitionError,
  recordPayment,
  UNPAID_STATUSES,
} from '../../../../storage/orders/index.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import type { Api } from '../../http/context.ts';
import { obj, ref, s } from '../../http/docs.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { param, route, type Ctx, type Route } from '../../http/route.ts';
import { MANAGER_ACTION_NAMES, MANAGER_ACTIONS, orderDetailView } from './view.ts';

const Note = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1000, 'note is at most 1000 characters')));
const StatusBody = v.strictObject({
  action: v.picklist(MANAGER_ACTION_NAMES, `action is one of ${MANAGER_ACTION_NAMES.join(', ')}`),
  note: Note,
});
const MANAGER_STATUSES = Object.values(MANAGER_ACTIONS);
const PatchBody = v.strictObject({
  status: v.picklist(MANAGER_STATUSES, `status is one of ${MANAGER_STATUSES.join(', ')} (paid comes from a payment)`),
  note: Note,
});
const PaidBody = v.strictObject({
  /** the Kaspi invoice or receipt number; one manual payment per reference (default: one per order) */
  reference: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'reference is empty'), v.maxLength(100))),
  note: Note,
});

/** A manager moving an order along, and the manual Kaspi path: an invoice sent by hand, marked paid here. */
export function orderStatusRoutes(api: Api): Route[] {
  const { db } = api;
  /** the shopper hears of the change now; the worker's sweep catches whatever this misses */
  const tellShopper = () => {
    Promise.resolve(api.deps.onOrderChanged?.()).catch((error) =>
      api.deps.log?.warn({ err: error }, 'order news not delivered now; the sweep will retry'),
    );
  };
  const requireOrder = async (c: Ctx) => {
    const order = await getOrder(db, param(c, 'id'));
    if (!order) throw notFound('order');
    return order;
  };

  const move = async (c: Ctx, to: (typeof MANAGER_STATUSES)[number], note: string | undefined) => {
    const id = param(c, 'id');
    const change = await changeOrderStatus(
      db,
      id,
      to,
      { kind: 'manager', userId: c.get('user').id },
      note || undefined,
    ).catch((error) => {
      if (error instanceof OrderNotFoundError) throw notFound('order');
      if (error instanceof OrderTransitionError) throw conflict(error.message);
      throw error;
    });
    await api.audit(c, {
      action: 'order.status',
      entity: 'order',
      entityId: id,
      before: { status: change.event.from },
      after: { status: change.event.to, ...(note ? { note } : {}) },
    });
    tellShopper();
    return c.json({ order: orderDetailView((await getOrder(db, id))!) });
  };

  return [
    route({
      method: 'post',
      path: '/orders/:id/status',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: 'Change the status: await_payment, confirm, ship, ready (for pickup), complete, cancel',
      description:
        'Only the moves of the status machine are allowed (docs/orders.md); an order becomes paid only by a payment. The shopper is told in their channel; the change is in the order history and the audit log.',
      body: StatusBody,
      response: obj({ order: ref('OrderDetail') }),
      errors: { 404: 'no such order', 409: 'the status machine does not allow this move' },
      handler: (c, { body }) => move(c, MANAGER_ACTIONS[body.action], body.note),
    }),
    route({
      method: 'patch',
      path: '/orders/:id',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: 'Set the status by name (the same moves as POST /orders/{id}/status)',
      body: PatchBody,
      response: obj({ order: ref('OrderDetail') }),
      errors: { 404: 'no such order', 409: 'the status machine does not allow this move' },
      handler: (c, { body }) => move(c, body.status, body.note),
    }),
    route({
      method: 'post',
      path: '/orders/:id/payments',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: 'Mark paid by hand (Kaspi invoice sent by a manager): recorded as a kaspi_manual payment',
      description:
        'For the order total in its currency; the payment names the manager. Repeating it with the same reference changes nothing.',
      body: PaidBody,
      response: obj({ order: ref('OrderDetail'), outcome: s(undefined, 'paid | duplicate') }),
      errors: { 404: 'no such order', 409: 'the order is not waiting for payment' },
      handler: async (c, { body }) => {
        const before = await requireOrder(c);
        const reference = body.reference ?? `order:${before.id}`;
        const repeated = before.payments.some((p) => p.provider === KASPI_MANUAL && p.reference === reference);
        if (!repeated && !UNPAID_STATUSES.includes(before.status))
          throw conflict(`order № ${before.number} is ${before.status}: it is not waiting for payment`);
        const user = c.get('user');
        const result = await recordPayment(db, {
          provider: KASPI_MANUAL,
          reference,
          orderId: before.id,
          amount: before.total,
          currency: before.currency,
          status: 'succeeded',
          recordedBy: user.id,
          raw: { by: user.email, ...(body.note ? { note: body.note } : {}) },
        });
        if (result.outcome === 'paid') {
          await api.audit(c, {
            action: 'order.paid',
            entity: 'order',
            entityId: before.id,
            before: { status: before.status },
            after: { status: 'paid', provider: KASPI_MANUAL, reference, amount: before.total },
          });
          tellShopper();
        }
        return c.json({ order: orderDetailView((await getOrder(db, before.id))!), outcome: result.outcome });
      },
    }),
  ];
}
