import type { DeliveryKind, OrderStatus } from '../db/types.ts';

/**
 * The order's life: new → awaiting_payment → paid → confirmed → shipped | ready_for_pickup →
 * completed, or cancelled from any status before completed. An order paid on receipt
 * (`on_delivery`, `at_pickup`) skips payment: new → confirmed. Only a payment (recordPayment) makes an order
 * paid; shipped is for deliveries and ready_for_pickup for pickups.
 */
export const ORDER_STATUSES = [
  'new',
  'awaiting_payment',
  'paid',
  'confirmed',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
] as const satisfies readonly OrderStatus[];

/** the payment method of an order paid in cash or by card when the courier brings it */
export const PAY_ON_RECEIPT = 'on_delivery';
/** the payment methods of an order paid when the shopper receives it: to the courier, or at the store's till */
export const PAY_ON_RECEIPT_METHODS: readonly string[] = [PAY_ON_RECEIPT, 'at_pickup'];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  new: ['awaiting_payment', 'paid', 'confirmed', 'cancelled'],
  awaiting_payment: ['paid', 'cancelled'],
  paid: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'ready_for_pickup', 'cancelled'],
  shipped: ['completed', 'cancelled'],
  ready_for_pickup: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** statuses in which an order still waits for its money */
export const UNPAID_STATUSES: readonly OrderStatus[] = ['new', 'awaiting_payment'];

export class OrderTransitionError extends Error {
  override readonly name = 'OrderTransitionError';
  constructor(
    readonly number: number,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
    reason: string,
  ) {
    super(`order № ${number} is ${from}: it cannot become ${to} (${reason})`);
  }
}

type OrderShape = { number: number; status: OrderStatus; delivery: { kind: DeliveryKind }; paymentMethod: string };

/** Throws OrderTransitionError when `order` may not move to `to`; says why. */
export function assertTransition(order: OrderShape, to: OrderStatus): void {
  const from = order.status;
  const refuse = (reason: string) => {
    throw new OrderTransitionError(order.number, from, to, reason);
  };
  if (from === to) refuse(`it already is ${to}`);
  const allowed = NEXT[from];
  if (!allowed.includes(to)) refuse(allowed.length ? `next can be: ${allowed.join(', ')}` : `${from} is final`);
  if (from === 'new' && to === 'confirmed' && !PAY_ON_RECEIPT_METHODS.includes(order.paymentMethod))
    refuse('it is not paid yet; only an order paid on receipt is confirmed before payment');
  if (to === 'shipped' && order.delivery.kind !== 'delivery') refuse('it is picked up, not delivered');
  if (to === 'ready_for_pickup' && order.delivery.kind !== 'pickup') refuse('it is delivered, not picked up');
}

export const nextStatuses = (from: OrderStatus): readonly OrderStatus[] => NEXT[from];
