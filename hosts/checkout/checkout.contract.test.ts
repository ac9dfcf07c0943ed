import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../engine/effects.ts';
import { ordersToExport } from '../../storage/onec/sale/exports.ts';
import {
  assertTransition,
  changeOrderStatus,
  getOrder,
  listOrders,
  pendingOrderNotifications,
} from '../../storage/orders/index.ts';
import { createCity, createProduct, updateProduct } from '../../storage/repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../storage/testing.ts';
import { paymentsConfig, PaymentRefused, PaymentService } from '../payments/index.ts';
import { startFakeApiPay, type FakeApiPay } from '../payments/testing/fakeApiPay.ts';
import { startFakeCloudPayments, type FakeCloudPayments } from '../payments/testing/fakeCloudPayments.ts';
import { startFakeStripe, type FakeStripe } from '../payments/testing/fakeStripe.ts';
import { fakeProviderEnv, SECRETS } from '../payments/testing/platform.ts';
import { CityDirectory } from '../platform/cities.ts';
import type { CheckoutPort } from '../runtime/ports.ts';
import { createCheckout } from './index.ts';

/**
 * The checkout port on the real database (both backends), paying through the fake Stripe,
 * CloudPayments and ApiPay servers: the cart priced again, orders placed once per message and
 * refused when the shopper's summary is stale, payments started, a conversation's orders found;
 * staff's test orders pay nothing and reach neither the CRM outbox nor the 1C export.
 */
describe.each(TEST_BACKENDS)('checkout on %s', (kind) => {
  let t: TestDatabase;
  let stripe: FakeStripe;
  let cp: FakeCloudPayments;
  let apipay: FakeApiPay;
  let checkout: CheckoutPort;
  let payments: PaymentService;
  let cityId: string;
  const warnings: string[] = [];
  const log = { info() {}, warn: (_: object, msg?: string) => void warnings.push(msg ?? ''), error() {} };
  const p: Record<'sofa' | 'chair' | 'lamp' | 'shelf', string> = { sofa: '', chair: '', lamp: '', shelf: '' };
  const chat = (chatId: string) => ({
    address: { channel: 'telegram' as const, city: 'shopville', chatId },
    conversationKey: `telegram:shopville:${chatId}`,
  });
  const key = (n: string) => `telegram:shopville:1|${n}#order`;

  beforeAll(async () => {
    [t, stripe, cp, apipay] = await Promise.all([
      createTestDatabase(kind),
      startFakeStripe({ secretKey: SECRETS.stripeKey }),
      startFakeCloudPayments({ publicId: SECRETS.cpPublicId, apiSecret: SECRETS.cpSecret }),
      startFakeApiPay({ apiKey: SECRETS.apiPayKey }),
    ]);
    const config = paymentsConfig({
      ...fakeProviderEnv({ stripe, cp, apipay }),
      PAYMENT_PROVIDERS: 'shopville=kaspi,stripe,cloudpayments; *=kaspi',
    });
    const cities = new CityDirectory(t.db);
    payments = new PaymentService({ db: t.db, config, citySlug: (id) => cities.byId(id)?.slug, log });
    checkout = createCheckout({ db: t.db, cities, payments, log });
    cityId = (
      await createCity(t.db, {
        name: 'Шопвилль',
        slug: 'shopville',
        checkout: {
          stores: [
            { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
            { id: 'mega', name: 'MEGA Park' },
          ],
          payOnDelivery: true,
          payAtPickup: true,
        },
      })
    ).id;
    await cities.reload();
    p.sofa = (await createProduct(t.db, cityId, { sku: 'SOFA-1', name: 'Диван', price: 150_000 })).id;
    p.chair = (await createProduct(t.db, cityId, { sku: 'CH-1', name: 'Стул', price: 19_990 })).id;
    p.lamp = (await createProduct(t.db, cityId, { sku: 'LAMP-1', name: 'Лампа', price: 9_990 })).id;
    p.shelf = (await createProduct(t.db, cityId, { sku: 'SH-1', name: 'Полка', price: 25_000 })).id;
    await t.db.updateTable('products').set({ stock_quantity: 2 }).where('id', '=', p.shelf).execute();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([stripe?.close(), cp?.close(), apipay?.close()]);
    await t?.close();
  });

  const line = (name: keyof typeof p, quantity: number, price: number) => ({
    productId: p[name],
    sku: { sofa: 'SOFA-1', chair: 'CH-1', lamp: 'LAMP-1', shelf: 'SH-1' }[name],
    quantity,
    price,
  });
  const request = (over: Partial<OrderRequest> = {}): OrderRequest => {
    const lines = over.lines ?? [line('sofa', 1, 150_000), line('chair', 2, 19_990)];
    return {
      lines,
      customer: { name: 'Айгерим', phone: '+77011234567' },
      delivery: { kind: 'delivery', address: 'Абая 1, кв. 5' },
      method: 'stripe',
      details: {},
      total: lines.reduce((sum, l) => sum + l.price * l.quantity, 0),
      currency: 'KZT',
      ...over,
    };
  };
  const ordersOf = async (conversationKey: string) =>
    (await listOrders(t.db, { cityId }, { limit: 200 })).items.filter((o) => o.conversationKey === conversationKey);

  it("prepares the cart as the catalog has it now, with the city's stores and payment methods", async () => {
    await updateProduct(t.db, p.lamp, { available: false });
    const ready = await checkout.prepare(chat('1'), [
      { productId: p.sofa, sku: 'SOFA-1', quantity: 1 },
      { productId: p.lamp, sku: 'LAMP-1', quantity: 1 },
      { productId: p.shelf, sku: 'SH-1', quantity: 3 },
      { productId: p.shelf, sku: 'SH-1', quantity: 2 },
      { productId: '00000000-0000-4000-8000-00000000dead', sku: 'GONE-1', quantity: 1 },
    ]);
    expect(ready.lines).toEqual([
      { productId: p.sofa, sku: 'SOFA-1', name: 'Диван', price: 150_000, currency: 'KZT', available: true },
      { productId: p.lamp, sku: 'LAMP-1', name: 'Лампа', price: 9_990, currency: 'KZT', available: false },
      // the city has 2: three are more than it can sell, two are fine
      { productId: p.shelf, sku: 'SH-1', name: 'Полка', price: 25_000, currency: 'KZT', available: false, stock: 2 },
      { productId: p.shelf, sku: 'SH-1', name: 'Полка', price: 25_000, currency: 'KZT', available: true, stock: 2 },
      {
        productId: '00000000-0000-4000-8000-00000000dead',
        sku: 'GONE-1',
        name: 'GONE-1',
        price: 0,
        currency: 'KZT',
        available: false,
      },
    ]);
    expect(ready.stores).toEqual([
      { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
      { id: 'mega', name: 'MEGA Park' },
    ]);
    expect(ready.methods).toEqual(['kaspi', 'stripe', 'cloudpayments', 'on_delivery', 'at_pickup']);

    // a price changed a moment ago is seen at once
    await updateProduct(t.db, p.chair, { price: 21_990 });
    const again = await checkout.prepare(chat('1'), [{ productId: p.chair, sku: 'CH-1', quantity: 1 }]);
    expect(again.lines[0]).toMatchObject({ price: 21_990, available: true });
    await updateProduct(t.db, p.chair, { price: 19_990 });
  });

  it('places an order once per message: the same key answers the same order and the same payment link', async () => {
    const details = { floor: '5', lift: 'нет' };
    const first = await checkout.place(
      { ...chat('1'), idempotencyKey: key('a'), testTraffic: false },
      request({ details }),
    );
    expect(first).toMatchObject({ number: expect.any(Number), total: 150_000 + 2 * 19_990, currency: 'KZT' });
    if ('reason' in first) throw new Error('refused');
    expect(first.payment).toEqual({ kind: 'link', url: expect.stringContaining('checkout.stripe.test') });
    const again = await checkout.place(
      { ...chat('1'), idempotencyKey: key('a'), testTraffic: false },
      request({ details }),
    );
    expect(again).toEqual(first);
    expect(await ordersOf('telegram:shopville:1')).toHaveLength(1);
    // a turn run again after a crash finds its order even when the price moved since
    await updateProduct(t.db, p.chair, { price: 18_990 });
    expect(
      await checkout.place({ ...chat('1'), idempotencyKey: key('a'), testTraffic: false }, request({ details })),
    ).toEqual(first);
    await updateProduct(t.db, p.chair, { price: 19_990 });
    expect(await ordersOf('telegram:shopville:1')).toHaveLength(1);
    // one Checkout Session: the repeat reused the open one
    expect(stripe.sessions.filter((s) => s.client_reference_id === first.orderId)).toHaveLength(1);

    const order = (await getOrder(t.db, first.orderId))!;
    expect(order).toMatchObject({
      status: 'awaiting_payment',
      paymentMethod: 'stripe',
      channel: 'telegram',
      conversationKey: 'telegram:shopville:1',
      customer: { name: 'Айгерим', phone: '+77011234567' },
      delivery: { kind: 'delivery', address: 'Абая 1, кв. 5', store: null },
      details,
    });
    // the checkout's confirmation tells the shopper how to pay: no «awaiting payment» news after it
    expect(order.events.map((e) => [e.from, e.to, e.actor.kind, Boolean(e.notifiedAt)])).toEqual([
      [null, 'new', 'shopper', true],
      ['new', 'awaiting_payment', 'shopper', true],
    ]);
    expect((await pendingOrderNotifications(t.db)).filter((n) => n.order.id === first.orderId)).toEqual([]);
  });

  it('refuses a stale summary, a sold-out item and an empty cart, and creates nothing', async () => {
    const before = (await ordersOf('telegram:shopville:2')).length;
    const stale = await checkout.place(
      { ...chat('2'), idempotencyKey: key('stale'), testTraffic: false },
      request({ lines: [line('sofa', 1, 140_000), line('chair', 1, 19_990)] }),
    );
    expect(stale).toEqual({
      reason: 'changed',
      lines: [
        { productId: p.sofa, sku: 'SOFA-1', name: 'Диван', price: 150_000, currency: 'KZT', available: true },
        { productId: p.chair, sku: 'CH-1', name: 'Стул', price: 19_990, currency: 'KZT', available: true },
      ],
    });
    const soldOut = await checkout.place(
      { ...chat('2'), idempotencyKey: key('sold'), testTraffic: false },
      request({ lines: [line('lamp', 1, 9_990)] }),
    );
    expect(soldOut).toMatchObject({ reason: 'changed', lines: [{ sku: 'LAMP-1', available: false }] });
    const short = await checkout.place(
      { ...chat('2'), idempotencyKey: key('short'), testTraffic: false },
      request({ lines: [line('shelf', 3, 25_000)] }),
    );
    expect(short).toMatchObject({ reason: 'changed', lines: [{ sku: 'SH-1', available: false, stock: 2 }] });
    expect(
      await checkout.place(
        { ...chat('2'), idempotencyKey: key('empty'), testTraffic: false },
        request({ lines: [], total: 0 }),
      ),
    ).toEqual({ reason: 'empty', lines: [] });
    expect(await ordersOf('telegram:shopville:2')).toHaveLength(before);
    expect(await t.db.selectFrom('orders').select('id').where('idempotency_key', 'like', '%stale%').execute()).toEqual(
      [],
    );
  });

  it('pays on receipt at a store: the order stays new, keeps the store by name and may be confirmed unpaid', async () => {
    const placed = await checkout.place(
      { ...chat('3'), idempotencyKey: key('pickup'), testTraffic: false },
      request({ delivery: { kind: 'pickup', store: 'dostyk' }, method: 'at_pickup' }),
    );
    if ('reason' in placed) throw new Error('refused');
    expect(placed.payment).toEqual({ kind: 'on_receipt' });
    const order = (await getOrder(t.db, placed.orderId))!;
    expect(order).toMatchObject({
      status: 'new',
      paymentMethod: 'at_pickup',
      delivery: { kind: 'pickup', store: 'Dostyk Plaza, пр. Достык, 111' },
    });
    expect(() => assertTransition(order, 'confirmed')).not.toThrow();
  });

  it('starts CloudPayments and Kaspi payments; a Kaspi invoice is not sent twice; a failing provider leaves the order standing', async () => {
    const viaCp = await checkout.place(
      { ...chat('4'), idempotencyKey: key('cp'), testTraffic: false },
      request({ method: 'cloudpayments' }),
    );
    if ('reason' in viaCp) throw new Error('refused');
    expect(viaCp.payment).toEqual({ kind: 'link', url: expect.stringContaining('cloudpayments.test') });
    expect(cp.orders.find((o) => o.InvoiceId === viaCp.orderId)).toMatchObject({ Amount: 189_980, Currency: 'KZT' });

    const kaspi = () =>
      checkout.place({ ...chat('4'), idempotencyKey: key('kaspi'), testTraffic: false }, request({ method: 'kaspi' }));
    const invoiced = await kaspi();
    expect(invoiced).toMatchObject({ payment: { kind: 'kaspi_invoice', phone: '+77011234567' } });
    expect(await kaspi()).toEqual(invoiced);
    if ('reason' in invoiced) throw new Error('refused');
    expect(apipay.invoices.filter((i) => i.external_order_id === invoiced.orderId)).toHaveLength(1);

    // a number the gateway cannot invoice: the manual path (a manager sends the invoice)
    const manual = await checkout.place(
      { ...chat('4'), idempotencyKey: key('manual'), testTraffic: false },
      request({ method: 'kaspi', customer: { name: 'Anna', phone: '+44 20 7946 0958' } }),
    );
    expect(manual).toMatchObject({ payment: { kind: 'kaspi_manual' } });

    stripe.failNext(500);
    warnings.length = 0;
    const failed = await checkout.place({ ...chat('4'), idempotencyKey: key('down'), testTraffic: false }, request());
    if ('reason' in failed) throw new Error('refused');
    expect(failed.payment).toEqual({ kind: 'failed' });
    expect((await getOrder(t.db, failed.orderId))?.status).toBe('awaiting_payment');
    expect(warnings).toContain('payment could not be started; the order stands for a manager to follow up');
  });

  it("places a test order in staff's test traffic: no provider asked, no CRM row, no 1C export; a shopper's is all three", async () => {
    const crmRows = async (orderId: string) =>
      (await t.db.selectFrom('crm_outbox').select('id').where('entity_id', '=', orderId).execute()).length;
    const sessions = stripe.sessions.length;
    const placed = await checkout.place(
      { ...chat('7'), idempotencyKey: key('staff'), testTraffic: true },
      request({ method: 'stripe' }),
    );
    if ('reason' in placed) throw new Error('refused');
    expect(placed.payment).toEqual({ kind: 'test' });
    expect(stripe.sessions).toHaveLength(sessions);
    const order = (await getOrder(t.db, placed.orderId))!;
    expect(order).toMatchObject({ test: true, status: 'awaiting_payment', payments: [] });
    // run again after a crash: the same test order, still no payment
    expect(
      await checkout.place(
        { ...chat('7'), idempotencyKey: key('staff'), testTraffic: true },
        request({ method: 'stripe' }),
      ),
    ).toEqual(placed);
    // nor may a manager start a payment for it by hand
    const refused = await payments.start(placed.orderId, 'cloudpayments').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PaymentRefused);
    expect((refused as PaymentRefused).reason).toBe('test_order');
    expect(cp.orders.find((o) => o.InvoiceId === placed.orderId)).toBeUndefined();
    // a manager moving it along (cancelling it) queues no deal either
    await changeOrderStatus(t.db, placed.orderId, 'cancelled', { kind: 'system' });
    expect(await crmRows(placed.orderId)).toBe(0);

    const shoppers = await checkout.place(
      { ...chat('7'), idempotencyKey: key('shopper'), testTraffic: false },
      request({ method: 'stripe' }),
    );
    if ('reason' in shoppers) throw new Error('refused');
    expect(shoppers.payment).toMatchObject({ kind: 'link' });
    expect((await getOrder(t.db, shoppers.orderId))?.test).toBe(false);
    expect(await crmRows(shoppers.orderId)).toBe(1);
    const exported = (await ordersToExport(t.db, cityId)).map((o) => o.id);
    expect(exported).toContain(shoppers.orderId);
    expect(exported).not.toContain(placed.orderId);
    expect((await listOrders(t.db, { cityId, test: true })).items.map((o) => o.id)).toEqual([placed.orderId]);
    expect((await listOrders(t.db, { cityId, test: false }, { limit: 200 })).items.map((o) => o.id)).toContain(
      shoppers.orderId,
    );
  });

  it("finds the conversation's orders newest first (at most five) and one by its number, never another's", async () => {
    const placed: number[] = [];
    for (let i = 0; i < 6; i++) {
      const o = await checkout.place(
        { ...chat('5'), idempotencyKey: key(`find-${i}`), testTraffic: false },
        request({ lines: [line('chair', 1, 19_990)], method: 'on_delivery' }),
      );
      if ('reason' in o) throw new Error('refused');
      placed.push(o.number);
    }
    const found = await checkout.find(chat('5'));
    expect(found.map((o) => o.number)).toEqual(placed.slice(1).reverse());
    expect(found[0]).toEqual({
      number: placed[5],
      status: 'new',
      total: 19_990,
      currency: 'KZT',
      createdAt: expect.any(String),
    });
    expect(await checkout.find(chat('5'), placed[0])).toMatchObject([{ number: placed[0] }]);
    expect(await checkout.find(chat('6'), placed[0])).toEqual([]);
    const pickup = await checkout.find(chat('3'));
    expect(pickup).toMatchObject([{ status: 'new', store: 'Dostyk Plaza, пр. Достык, 111' }]);
  });
});
