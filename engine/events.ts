import * as v from 'valibot';
import { ProductSchema } from './catalog.ts';
import { UnderstandingSchema } from './intent.ts';

/**
 * Everything that can happen to a conversation arrives as one of these events. Time comes in
 * with the event (`at`, ISO 8601) because the engine has no clock.
 */

const At = v.pipe(v.string(), v.isoTimestamp());
const Text = v.pipe(v.string(), v.maxLength(20_000));
/** opaque handle the host can resolve to bytes: a Telegram file_id, a WhatsApp media id, a fixture path */
const MediaRef = v.pipe(v.string(), v.minLength(1), v.maxLength(2_000));

export const ImageDescriptionSchema = v.object({
  category: v.optional(v.string()),
  color: v.optional(v.string()),
  material: v.optional(v.string()),
  style: v.optional(v.string()),
  /** text visible on the photo (a price tag, a label) */
  text: v.optional(v.string()),
});
export type ImageDescription = v.InferOutput<typeof ImageDescriptionSchema>;

export const EFFECT_TYPES = [
  'reply',
  'understand',
  'search',
  'lookupSku',
  'readImage',
  'describeImage',
  'transcribe',
  'escalate',
  'forwardToManager',
  'closeEscalation',
  'createAlert',
  'cancelAlert',
  'recordLead',
  'prepareCheckout',
  'placeOrder',
  'findOrders',
  'forgetPreferences',
  'recommend',
  'track',
  'schedule',
  'cancel',
  'warning',
] as const;
export const EffectTypeSchema = v.picklist(EFFECT_TYPES);

/**
 * One alert hit: a watched product (`kind: product`) got cheaper than the shopper was told
 * (`oldPrice`), or a product is new to a search alert, cheaper than told, or back in stock.
 */
export const AlertHitSchema = v.object({
  alertId: v.string(),
  kind: v.picklist(['product', 'search']),
  product: ProductSchema,
  reason: v.picklist(['cheaper', 'new', 'back']),
  oldPrice: v.optional(v.number()),
});
export type AlertHit = v.InferOutput<typeof AlertHitSchema>;

/** the order statuses a shopper is told about (an order is `new` when they place it: the checkout says so) */
export const ORDER_NOTICE_STATUSES = [
  'awaiting_payment',
  'paid',
  'confirmed',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
] as const;
export type OrderNoticeStatus = (typeof ORDER_NOTICE_STATUSES)[number];

/** a cart line as the catalog has it now (the checkout reads prices and stock again) */
export const PricedLineSchema = v.object({
  productId: v.pipe(v.string(), v.maxLength(200)),
  sku: v.pipe(v.string(), v.maxLength(40)),
  name: v.pipe(v.string(), v.maxLength(300)),
  price: v.pipe(v.number(), v.finite(), v.minValue(0)),
  currency: v.pipe(v.string(), v.length(3)),
  /** false: sold out or gone from the catalog */
  available: v.boolean(),
  /** units in stock when the shop tracks stock */
  stock: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type PricedLine = v.InferOutput<typeof PricedLineSchema>;

/** how a shopper may pay: a city's online providers, or on receipt where the city allows it */
export const PAYMENT_METHODS = ['kaspi', 'cloudpayments', 'stripe', 'on_delivery', 'at_pickup'] as const;
export const PaymentMethodSchema = v.picklist(PAYMENT_METHODS);
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** a pickup point from the city's settings */
export const StoreSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  address: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export type Store = v.InferOutput<typeof StoreSchema>;

/** an order as the shopper is told about it */
export const OrderSummarySchema = v.object({
  number: v.pipe(v.number(), v.integer(), v.minValue(1)),
  status: v.picklist(['new', ...ORDER_NOTICE_STATUSES]),
  total: v.pipe(v.number(), v.minValue(0)),
  currency: v.pipe(v.string(), v.length(3)),
  createdAt: At,
  /** where a pickup order waits */
  store: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export type OrderSummary = v.InferOutput<typeof OrderSummarySchema>;

/** What a shopper does. */
export const ShopperEventSchema = v.variant('type', [
  v.object({ type: v.literal('text'), text: Text, at: At }),
  /** `/start`, `/help`, `/lang en` — command without the slash, lower-case */
  v.object({
    type: v.literal('command'),
    command: v.pipe(v.string(), v.maxLength(64)),
    args: v.optional(v.pipe(v.string(), v.maxLength(500))),
    at: At,
  }),
  /** a button or list-row tap, by its option id */
  v.object({ type: v.literal('choice'), id: v.pipe(v.string(), v.maxLength(256)), at: At }),
  v.object({ type: v.literal('image'), ref: MediaRef, caption: v.optional(Text), at: At }),
  v.object({ type: v.literal('voice'), ref: MediaRef, durationSec: v.optional(v.number()), at: At }),
  v.object({ type: v.literal('location'), latitude: v.number(), longitude: v.number(), at: At }),
  /**
   * A phone number the channel vouches for: a contact shared with Telegram's «📱 Share my number»
   * button (`own`: it is the sender's own, the contact's user id is theirs), or the WhatsApp sender's
   * number confirmed with the «📱 this number» button. A contact of someone else comes with `own: false`.
   */
  v.object({
    type: v.literal('contact'),
    phone: v.pipe(v.string(), v.maxLength(32)),
    own: v.boolean(),
    at: At,
  }),
  /** stickers, documents, contacts… — the shopper gets a friendly reply; `ref`: a document's handle, for a manager to open */
  v.object({
    type: v.literal('unsupported'),
    kind: v.pipe(v.string(), v.maxLength(64)),
    ref: v.optional(MediaRef),
    at: At,
  }),
]);

/** Results of effects the host executed, fed back into the same turn. */
export const ResultEventSchema = v.variant('type', [
  v.object({ type: v.literal('understand.done'), understanding: UnderstandingSchema, at: At }),
  /** `totalCapped`: the catalog stopped counting at `total`; there are more */
  v.object({
    type: v.literal('search.done'),
    items: v.array(ProductSchema),
    total: v.number(),
    totalCapped: v.optional(v.boolean()),
    /** nothing matched every word: the catalog left these of the shopper's words out */
    relaxed: v.optional(v.object({ dropped: v.array(v.string()) })),
    at: At,
  }),
  v.object({ type: v.literal('lookupSku.done'), sku: v.string(), product: v.nullable(ProductSchema), at: At }),
  v.object({ type: v.literal('readImage.done'), text: v.string(), at: At }),
  /** `null`: no vision provider is configured */
  v.object({ type: v.literal('describeImage.done'), description: v.nullable(ImageDescriptionSchema), at: At }),
  /** `null`: no transcription provider is configured */
  v.object({ type: v.literal('transcribe.done'), text: v.nullable(v.string()), at: At }),
  /** `afterHours`: the managers are out (the city's working hours); they answer from then on */
  v.object({
    type: v.literal('escalate.done'),
    escalationId: v.string(),
    afterHours: v.optional(
      v.object({
        opensAt: At,
        inDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7)),
        time: v.pipe(v.string(), v.maxLength(5)),
        date: v.pipe(v.string(), v.maxLength(5)),
      }),
    ),
    at: At,
  }),
  v.object({ type: v.literal('createAlert.done'), alertId: v.string(), at: At }),
  v.object({ type: v.literal('recommend.done'), items: v.array(ProductSchema), at: At }),
  /** the cart read again from the catalog, with the city's pickup stores and payment methods */
  v.object({
    type: v.literal('checkout.ready'),
    lines: v.pipe(v.array(PricedLineSchema), v.maxLength(20)),
    stores: v.pipe(v.array(StoreSchema), v.maxLength(20)),
    methods: v.pipe(v.array(PaymentMethodSchema), v.maxLength(PAYMENT_METHODS.length)),
    at: At,
  }),
  /**
   * The order is placed (or was already, for this message: placing is idempotent). `payment`: a
   * link to pay, a Kaspi invoice a manager will send, payment on receipt, a provider that failed
   * to start (the order stands; a manager follows up), or none at all: a test order (staff in the
   * playground or with an API token) takes no payment.
   */
  v.object({
    type: v.literal('order.placed'),
    orderId: v.pipe(v.string(), v.maxLength(64)),
    number: v.pipe(v.number(), v.integer(), v.minValue(1)),
    total: v.pipe(v.number(), v.minValue(0)),
    currency: v.pipe(v.string(), v.length(3)),
    payment: v.variant('kind', [
      v.object({ kind: v.literal('link'), url: v.pipe(v.string(), v.url(), v.maxLength(2_000)) }),
      v.object({ kind: v.literal('kaspi_invoice'), phone: v.optional(v.pipe(v.string(), v.maxLength(32))) }),
      v.object({ kind: v.literal('kaspi_manual') }),
      v.object({ kind: v.literal('on_receipt') }),
      v.object({ kind: v.literal('failed') }),
      v.object({ kind: v.literal('test') }),
    ]),
    at: At,
  }),
  /** nothing was ordered: prices or stock changed since the summary (`lines`: the cart as it is now), or the cart is empty */
  v.object({
    type: v.literal('order.refused'),
    reason: v.picklist(['changed', 'empty']),
    lines: v.pipe(v.array(PricedLineSchema), v.maxLength(20)),
    at: At,
  }),
  /** this conversation's orders, newest first */
  v.object({
    type: v.literal('orders.found'),
    orders: v.pipe(v.array(OrderSummarySchema), v.maxLength(5)),
    at: At,
  }),
  /** `code` names a failure the shopper can act on (a photo too large to download) */
  v.object({
    type: v.literal('effect.failed'),
    effect: EffectTypeSchema,
    reason: v.string(),
    code: v.optional(v.picklist(['media_too_large'])),
    at: At,
  }),
]);

/** Things that happen around the shopper: timers, managers, the catalog. */
export const SystemEventSchema = v.variant('type', [
  v.object({ type: v.literal('timer.fired'), timerId: v.string(), at: At }),
  v.object({ type: v.literal('manager.replied'), text: Text, managerName: v.optional(v.string()), at: At }),
  v.object({ type: v.literal('manager.resolved'), at: At }),
  /** single notifications, still accepted: the platform now sends `alert.digest`, inboxes may hold older ones */
  v.object({
    type: v.literal('price.dropped'),
    product: ProductSchema,
    oldPrice: v.number(),
    newPrice: v.number(),
    alertId: v.optional(v.string()),
    at: At,
  }),
  /** a product now matches a search alert (new, back in stock or within the price) */
  v.object({ type: v.literal('alert.matched'), product: ProductSchema, alertId: v.string(), at: At }),
  /** an order of this shopper changed status (a manager, a payment, 1C): told in their language */
  v.object({
    type: v.literal('order.status'),
    orderId: v.pipe(v.string(), v.maxLength(64)),
    number: v.pipe(v.number(), v.integer(), v.minValue(1)),
    status: v.picklist(ORDER_NOTICE_STATUSES),
    total: v.pipe(v.number(), v.minValue(0)),
    currency: v.pipe(v.string(), v.length(3)),
    /** where a pickup order waits */
    store: v.optional(v.pipe(v.string(), v.maxLength(200))),
    at: At,
  }),
  /** everything the shopper's alerts found in one sweep or catalog change, told as one message */
  v.object({
    type: v.literal('alert.digest'),
    hits: v.pipe(v.array(AlertHitSchema), v.minLength(1), v.maxLength(100)),
    at: At,
  }),
]);

/** one variant by `type`: an event is checked against its own schema only, not tried family after family */
export const EventSchema = v.variant('type', [ShopperEventSchema, ResultEventSchema, SystemEventSchema]);
export type ShopperEvent = v.InferOutput<typeof ShopperEventSchema>;
export type ResultEvent = v.InferOutput<typeof ResultEventSchema>;
export type SystemEvent = v.InferOutput<typeof SystemEventSchema>;
export type EngineEvent = v.InferOutput<typeof EventSchema>;
export type EngineEventType = EngineEvent['type'];
