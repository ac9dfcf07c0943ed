import type { Selectable } from 'kysely';
import type {
  DeliveryKind,
  OrderActorKind,
  OrderChannel,
  OrderEventsTable,
  OrderItemsTable,
  OrdersTable,
  OrderStatus,
  PaymentsTable,
  PaymentStatus,
} from '../db/types.ts';

export type OrderActor =
  | { kind: 'system' }
  | { kind: 'shopper' }
  | { kind: 'manager'; userId: string }
  | { kind: 'provider'; provider: string };

export type OrderItem = {
  productId: string | null;
  sku: string;
  /** the 1C Ид of the product, when it has one */
  externalId: string | null;
  name: string;
  quantity: number;
  price: number;
};

export type Order = {
  id: string;
  cityId: string;
  number: number;
  channel: OrderChannel;
  conversationKey: string | null;
  userId: string | null;
  customer: { name: string; phone: string };
  delivery: { kind: DeliveryKind; address: string | null; store: string | null };
  paymentMethod: string;
  status: OrderStatus;
  total: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
  /** the designer's own checkout questions and the shopper's answers (floor, lift …) */
  details: Record<string, string>;
  /** placed by staff talking to the bot (the playground, API tokens): no payment, CRM deal, 1C export or revenue */
  test: boolean;
};

export type OrderEvent = {
  id: string;
  orderId: string;
  from: OrderStatus | null;
  to: OrderStatus;
  actor: { kind: OrderActorKind; id: string | null };
  note: string | null;
  at: string;
  notifiedAt: string | null;
};

export type Payment = {
  id: string;
  orderId: string | null;
  provider: string;
  reference: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  flaggedReason: string | null;
  recordedBy: string | null;
  raw: unknown;
  createdAt: string;
};

export type OrderWithItems = Order & { items: OrderItem[] };
export type OrderDetail = OrderWithItems & { events: OrderEvent[]; payments: Payment[] };

export const toOrder = (r: Selectable<OrdersTable>): Order => ({
  id: r.id,
  cityId: r.city_id,
  number: r.number,
  channel: r.channel,
  conversationKey: r.conversation_key,
  userId: r.user_id,
  customer: { name: r.customer_name, phone: r.customer_phone },
  delivery: { kind: r.delivery_kind, address: r.address, store: r.store },
  paymentMethod: r.payment_method,
  status: r.status,
  total: Number(r.total),
  currency: r.currency,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  details: textEntries(r.details),
  test: r.is_test,
});

/** a jsonb object's text values (anything else written by hand is left out) */
const textEntries = (value: unknown): Record<string, string> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

export const toItem = (r: Selectable<OrderItemsTable>): OrderItem => ({
  productId: r.product_id,
  sku: r.sku,
  externalId: r.external_id,
  name: r.name,
  quantity: r.quantity,
  price: Number(r.price),
});

export const toEvent = (r: Selectable<OrderEventsTable>): OrderEvent => ({
  id: r.id,
  orderId: r.order_id,
  from: r.from_status,
  to: r.to_status,
  actor: { kind: r.actor_kind, id: r.actor_id },
  note: r.note,
  at: r.created_at.toISOString(),
  notifiedAt: r.notified_at?.toISOString() ?? null,
});

export const toPayment = (r: Selectable<PaymentsTable>): Payment => ({
  id: r.id,
  orderId: r.order_id,
  provider: r.provider,
  reference: r.reference,
  amount: Number(r.amount),
  currency: r.currency,
  status: r.status,
  flaggedReason: r.flagged_reason,
  recordedBy: r.recorded_by,
  raw: r.raw,
  createdAt: r.created_at.toISOString(),
});

export const actorColumns = (actor: OrderActor): { actor_kind: OrderActorKind; actor_id: string | null } => ({
  actor_kind: actor.kind,
  actor_id: actor.kind === 'manager' ? actor.userId : actor.kind === 'provider' ? actor.provider : null,
});

/** money in minor units, so sums and comparisons are exact */
export const toMinor = (amount: number | string): number => Math.round(Number(amount) * 100);
