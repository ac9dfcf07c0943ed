import type { OrderNoticeStatus, OrderSummary } from '../events.ts';
import { engine } from '../machine/setup.ts';
import { IDLE } from '../machine/stateIds.ts';
import type { ActionTable } from '../machine/actions.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import type { Ctx, Ev } from '../machine/setup.ts';
import type { TextKey } from '../scenario/textKeys.ts';

/**
 * An order's status changed: the platform sends `order.status` to the conversation that placed
 * it, in any state (also while a manager is talking), and the shopper reads it in their language
 * — «Заказ № 12 оплачен: 270 000 ₸». The texts are the scenario's `order…` keys.
 */
const TEXT_OF: Record<OrderNoticeStatus, TextKey> = {
  awaiting_payment: 'orderAwaitingPayment',
  paid: 'orderPaid',
  confirmed: 'orderConfirmed',
  shipped: 'orderShipped',
  ready_for_pickup: 'orderReadyForPickup',
  completed: 'orderCompleted',
  cancelled: 'orderCancelled',
};

function notifyOrderStatus(k: Kit, ctx: Ctx, ev: Ev<'order.status'>): Outcome {
  return {
    effects: [
      k.say(ctx, TEXT_OF[ev.status], {
        number: ev.number,
        total: k.price(ev.total, ev.currency),
        store: ev.store ?? '',
      }),
      { type: 'track', name: 'order_status_notified', props: { orderId: ev.orderId, status: ev.status } },
    ],
  };
}

export const orderStatusActions = {
  notifyOrderStatus: (k, c, ev: Ev<'order.status'>) => notifyOrderStatus(k, c, ev),
} satisfies ActionTable;

/** «где мой заказ», «статус заказа № 12»: this conversation's orders, asked of the host */
const STATUS_TEXT: Record<OrderSummary['status'], TextKey> = {
  new: 'statusNew',
  awaiting_payment: 'statusAwaitingPayment',
  paid: 'statusPaid',
  confirmed: 'statusConfirmed',
  shipped: 'statusShipped',
  ready_for_pickup: 'statusReadyForPickup',
  completed: 'statusCompleted',
  cancelled: 'statusCancelled',
};

function findOrders(ev: Ev<'understand.done'>): Outcome {
  const intent = ev.understanding.intent;
  const number = intent.name === 'order_status' ? intent.args.number : undefined;
  return {
    context: { pending: number === undefined ? null : { orderNumber: number } },
    effects: [{ type: 'findOrders', ...(number !== undefined ? { number } : {}) }],
  };
}

/** the order named, or the latest one and up to two before it */
function showOrders(k: Kit, ctx: Ctx, ev: Ev<'orders.found'>): Outcome {
  const named = ctx.pending?.orderNumber;
  if (ev.orders.length === 0)
    return {
      context: { pending: null },
      effects: [
        named !== undefined ? k.withMenu(ctx, 'orderNotFound', { number: named }) : k.withMenu(ctx, 'ordersNone'),
      ],
    };
  const lines = ev.orders.slice(0, 3).map((o) =>
    k.text(ctx, 'orderStatusLine', {
      number: o.number,
      total: k.price(o.total, o.currency),
      status: k.text(ctx, STATUS_TEXT[o.status]),
    }),
  );
  return {
    context: { pending: null },
    effects: [k.ask(ctx, lines.join('\n'), k.menuOptions(ctx)), { type: 'track', name: 'order_status_asked' }],
  };
}

export const orderLookupActions = {
  findOrders: (_k, _c, ev: Ev<'understand.done'>) => findOrders(ev),
  showOrders: (k, c, ev: Ev<'orders.found'>) => showOrders(k, c, ev),
  ordersFailed: (k, c) => ({ context: { pending: null }, effects: [k.withMenu(c, 'error')] }),
} satisfies ActionTable;

/** waiting for the host's answer about this conversation's orders */
export function orderStates() {
  return engine.createStateConfig({
    initial: 'finding',
    states: {
      finding: {
        on: {
          'orders.found': { target: IDLE, actions: 'showOrders' },
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'findOrders' } },
            target: IDLE,
            actions: 'ordersFailed',
          },
        },
      },
    },
  });
}
