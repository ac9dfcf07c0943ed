import {
  assertTransition,
  UNPAID_STATUSES,
  type Order,
  type OrderDetail,
  type OrderListItem,
  type Payment,
} from '../../../../storage/orders/index.ts';
import type { OrderStatus } from '../../../../storage/db/types.ts';

/** what a manager can do to an order, and the status each leads to */
export const MANAGER_ACTIONS = {
  await_payment: 'awaiting_payment',
  confirm: 'confirmed',
  ship: 'shipped',
  ready: 'ready_for_pickup',
  complete: 'completed',
  cancel: 'cancelled',
} as const satisfies Record<string, Exclude<OrderStatus, 'new' | 'paid'>>;
export type ManagerAction = keyof typeof MANAGER_ACTIONS;
export const MANAGER_ACTION_NAMES = Object.keys(MANAGER_ACTIONS) as ManagerAction[];

/** the buttons the panel shows: every action the status machine allows now, and marking paid by hand */
export function actionsFor(order: Order): Array<ManagerAction | 'mark_paid'> {
  const allowed: Array<ManagerAction | 'mark_paid'> = MANAGER_ACTION_NAMES.filter((action) => {
    try {
      assertTransition(order, MANAGER_ACTIONS[action]);
      return true;
    } catch {
      return false;
    }
  });
  if (UNPAID_STATUSES.includes(order.status)) allowed.push('mark_paid');
  return allowed;
}

/** the provider's raw payload stays in the database (disputes), not in the panel's lists */
const paymentView = ({ raw: _raw, ...payment }: Payment) => payment;

export const orderView = (order: OrderListItem) => ({
  ...order,
  payments: order.payments.map(paymentView),
  actions: actionsFor(order),
});

export const orderDetailView = (order: OrderDetail) => ({ ...orderView(order), events: order.events });
