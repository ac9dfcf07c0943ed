import type { OrderRequest } from '../../engine/effects.ts';
import type { OrderSummary, PaymentMethod, Store } from '../../engine/events.ts';
import {
  conversationOrders,
  createOrder,
  OrderInputError,
  orderByIdempotencyKey,
  PAY_ON_RECEIPT_METHODS,
  type Order,
  type OrderDetail,
} from '../../storage/orders/index.ts';
import { getCity, type City } from '../../storage/repos/cities.ts';
import { inTransaction, isUniqueViolation, type Db } from '../../storage/repos/common.ts';
import type { PaymentService } from '../payments/index.ts';
import { UnknownCityError } from '../platform/errors.ts';
import type { CheckoutPort, CheckoutRequest, Logger, PlaceRequest } from '../runtime/ports.ts';
import { startPayment } from './payment.ts';
import { changedSince, priceLines } from './pricing.ts';

export type CheckoutDeps = {
  db: Db;
  /** slug → city (ids never change; the city's settings are read fresh from the row) */
  cities: { resolve(slug: string): Promise<Pick<City, 'id'> | undefined> };
  payments: Pick<PaymentService, 'providers' | 'start'>;
  log: Logger;
};

/** what a shopper is told of their orders («где мой заказ») */
const ORDERS_TOLD = 5;

/**
 * The shop behind the engine's checkout, on the real database: the cart priced again from the
 * city's catalog with its pickup stores and payment methods; an order placed once per inbound
 * message (refused, and nothing created, when a price or stock changed since the shopper's
 * summary) with its payment started (none for a test order: one placed in staff's test traffic);
 * the conversation's orders. Behaves as engine/testing/memoryShop.ts does in memory.
 */
export function createCheckout(deps: CheckoutDeps): CheckoutPort {
  const { db, payments, log } = deps;

  /** the conversation's city with its checkout settings as saved now (an admin's edit counts at once) */
  const cityOf = async (request: CheckoutRequest): Promise<City> => {
    const known = await deps.cities.resolve(request.address.city);
    const city = known && (await getCity(db, known.id));
    if (!city) throw new UnknownCityError(request.address.city);
    return city;
  };

  const placed = async (order: OrderDetail) => ({
    orderId: order.id,
    number: order.number,
    total: order.total,
    currency: order.currency,
    payment: await startPayment(payments, order, log),
  });

  return {
    async prepare(request, lines) {
      const city = await cityOf(request);
      const { stores, payOnDelivery, payAtPickup } = city.checkout;
      const methods: PaymentMethod[] = [...payments.providers(city.slug)];
      if (payOnDelivery) methods.push('on_delivery');
      if (payAtPickup && stores.length > 0) methods.push('at_pickup');
      return { lines: await priceLines(db, city, lines), stores, methods };
    },

    // the message's idempotency key is looked up only when placing did not go through: a turn run
    // again after its order was placed meets the key's unique index, or a price that moved since
    async place(request, order) {
      const city = await cityOf(request);
      if (order.lines.length === 0) return { reason: 'empty' as const, lines: [] };
      let outcome: Awaited<ReturnType<typeof placeChecked>>;
      try {
        outcome = await placeChecked(db, city, request, order, log);
      } catch (error) {
        // the same message placed it meanwhile (a turn run twice at once): that order is the answer
        const again = isUniqueViolation(error) ? await orderByIdempotencyKey(db, request.idempotencyKey) : undefined;
        if (again) return placed(again);
        if (error instanceof OrderInputError && (error.code === 'unavailable' || error.code === 'unknown_product'))
          return { reason: 'changed' as const, lines: await priceLines(db, city, order.lines) };
        throw error;
      }
      if ('reason' in outcome) {
        const done = await orderByIdempotencyKey(db, request.idempotencyKey);
        return done ? placed(done) : outcome;
      }
      // just created: no payment yet, nothing to read back
      return placed({ ...outcome, events: [], payments: [] });
    },

    async find(request, number) {
      const city = await cityOf(request);
      const orders = await conversationOrders(db, request.conversationKey, {
        cityId: city.id,
        ...(number !== undefined ? { number } : {}),
        limit: ORDERS_TOLD,
      });
      return orders.map(summary);
    },
  };
}

/**
 * Checks the shown prices and creates the order in one transaction: the products read are held
 * until it commits, so the order's server-computed total is the one the shopper confirmed.
 */
function placeChecked(db: Db, city: City, request: PlaceRequest, order: OrderRequest, log: Logger) {
  return inTransaction(db, async (tx) => {
    const now = await priceLines(tx, city, order.lines, true);
    if (changedSince(order.lines, now)) return { reason: 'changed' as const, lines: now };
    const created = await createOrder(tx, {
      cityId: city.id,
      channel: request.address.channel,
      conversationKey: request.conversationKey,
      userId: request.address.chatId,
      customer: order.customer,
      delivery:
        order.delivery.kind === 'pickup'
          ? { kind: 'pickup', store: storeText(city.checkout.stores, order.delivery.store, log) }
          : order.delivery,
      paymentMethod: order.method,
      items: order.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
      actor: { kind: 'shopper' },
      idempotencyKey: request.idempotencyKey,
      details: order.details,
      awaitPayment: !PAY_ON_RECEIPT_METHODS.includes(order.method),
      test: request.testTraffic,
    });
    if (Math.round(created.total * 100) !== Math.round(order.total * 100))
      log.warn(
        { orderId: created.id, confirmed: order.total, total: created.total },
        'order total differs from the summary',
      );
    return created;
  });
}

/** the store as the order keeps it and managers and the shopper read it: «name, address» */
function storeText(stores: readonly Store[], id: string, log: Logger): string {
  const store = stores.find((s) => s.id === id);
  if (!store) {
    log.warn({ store: id }, 'pickup at a store the city no longer lists; the order keeps its id');
    return id.slice(0, 200);
  }
  return (store.address ? `${store.name}, ${store.address}` : store.name).slice(0, 200);
}

const summary = (order: Order): OrderSummary => ({
  number: order.number,
  status: order.status,
  total: order.total,
  currency: order.currency,
  createdAt: order.createdAt,
  ...(order.delivery.kind === 'pickup' && order.delivery.store ? { store: order.delivery.store } : {}),
});
