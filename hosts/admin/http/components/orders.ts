import type { JsonSchema } from '../jsonSchema.ts';
import { arr, b, int, n, obj, ref, s } from '../docs.ts';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const STATUS: JsonSchema = {
  enum: ['new', 'awaiting_payment', 'paid', 'confirmed', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'],
};

const ORDER: Record<string, JsonSchema> = {
  id: s('uuid'),
  cityId: s('uuid'),
  number: int,
  channel: { enum: ['telegram', 'whatsapp', 'web', 'admin'] },
  conversationKey: nullable(s()),
  userId: nullable(s()),
  customer: obj({ name: s(), phone: s() }),
  delivery: obj({ kind: { enum: ['delivery', 'pickup'] }, address: nullable(s()), store: nullable(s()) }),
  paymentMethod: s(),
  status: STATUS,
  total: n,
  currency: s(),
  createdAt: s('date-time'),
  updatedAt: s('date-time'),
  details: {
    type: 'object',
    additionalProperties: s(),
    description: "the designer's own checkout questions and the shopper's answers (floor, lift …)",
  },
  test: {
    ...b,
    description:
      'a test order: placed by staff (the playground, API tokens); no payment, CRM deal, 1C export or revenue',
  },
  items: arr(ref('OrderItem')),
  payments: arr(ref('OrderPayment')),
  /** what a manager may do next */
  actions: arr({ enum: ['await_payment', 'confirm', 'ship', 'ready', 'complete', 'cancel', 'mark_paid'] }),
};

/** Orders: lines, history and payments. */
export const ORDERS_COMPONENTS: Record<string, JsonSchema> = {
  OrderItem: obj({
    productId: nullable(s('uuid')),
    sku: s(),
    externalId: nullable(s(undefined, 'the 1C Ид of the product')),
    name: s(),
    quantity: int,
    price: n,
  }),
  OrderPayment: obj({
    id: s('uuid'),
    orderId: nullable(s('uuid')),
    provider: s(undefined, 'stripe | cloudpayments | kaspi | kaspi_manual | …'),
    reference: s(undefined, "the provider's id of the payment; unique per provider"),
    amount: n,
    currency: s(),
    status: { enum: ['pending', 'succeeded', 'failed'] },
    flaggedReason: nullable(
      s(undefined, 'why it did not mark the order paid: amount_mismatch, currency_mismatch, refund_due, …'),
    ),
    recordedBy: nullable(s('uuid', 'the manager who recorded a manual payment')),
    createdAt: s('date-time'),
  }),
  OrderEvent: obj({
    id: s('uuid'),
    from: nullable(STATUS),
    to: STATUS,
    actor: obj({
      kind: { enum: ['system', 'shopper', 'manager', 'provider'] },
      id: nullable(s(undefined, "a manager's user id or a provider's name")),
    }),
    note: nullable(s()),
    at: s('date-time'),
    notifiedAt: nullable(s('date-time', 'when the shopper was told')),
  }),
  Order: obj(ORDER),
  OrderDetail: obj({ ...ORDER, events: arr(ref('OrderEvent')) }),
};
