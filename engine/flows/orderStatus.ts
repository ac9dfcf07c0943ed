import type { OrderNoticeStatus } from '../events.ts';
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
