import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { createCity, createProduct } from '../repos/index.ts';
import * as orders from './index.ts';

describe.each(TEST_BACKENDS)('orders on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  let otherCityId: string;
  let sofa: string;
  let chair: string;
  let soldOut: string;
  const manager = { kind: 'manager', userId: '00000000-0000-4000-8000-000000000001' } as const;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    otherCityId = (await createCity(t.db, { name: 'Астана', slug: 'astana' })).id;
    sofa = (await createProduct(t.db, cityId, { sku: 'SOFA-1', name: 'Диван', price: 250_000.5 })).id;
    chair = (await createProduct(t.db, cityId, { sku: 'CH-1', name: 'Стул', price: 19_990 })).id;
    soldOut = (await createProduct(t.db, cityId, { sku: 'GONE', name: 'Нет', price: 1, available: false })).id;
    await t.db.updateTable('products').set({ external_id: '1c-sofa' }).where('id', '=', sofa).execute();
  });
  afterAll(async () => t?.close());

  const place = (over: Partial<orders.NewOrder> = {}) =>
    orders.createOrder(t.db, {
      cityId,
      channel: 'telegram',
      conversationKey: 'telegram:almaty:42',
      customer: { name: 'Айгуль', phone: '+77011234567' },
      delivery: { kind: 'delivery', address: 'Абая 1' },
      paymentMethod: 'kaspi',
      items: [
        { productId: sofa, quantity: 1 },
        { productId: chair, quantity: 2 },
      ],
      ...over,
    });

  it('places an order: prices, SKUs and 1C ids from the catalog, the total computed, the first event recorded', async () => {
    const order = await place({
      items: [
        { productId: sofa, quantity: 1 },
        { productId: chair, quantity: 1 },
        { productId: chair, quantity: 1 },
      ],
    });
    expect(order.status).toBe('new');
    expect(order.currency).toBe('KZT');
    expect(order.total).toBe(250_000.5 + 2 * 19_990);
    expect(order.items).toEqual([
      { productId: sofa, sku: 'SOFA-1', externalId: '1c-sofa', name: 'Диван', quantity: 1, price: 250_000.5 },
      { productId: chair, sku: 'CH-1', externalId: null, name: 'Стул', quantity: 2, price: 19_990 },
    ]);
    const detail = await orders.getOrder(t.db, order.id);
    expect(detail?.events).toMatchObject([{ from: null, to: 'new', actor: { kind: 'shopper' } }]);
    expect(detail?.events[0]?.notifiedAt).not.toBeNull();
  });

  it('refuses empty orders, bad quantities, products of another city, unknown ids and sold-out products', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: orders.OrderInputError) => e.code,
      );
    expect(await code(place({ items: [] }))).toBe('empty');
    for (const quantity of [0, -1, 1.5, 10_000])
      expect(await code(place({ items: [{ productId: sofa, quantity }] }))).toBe('bad_quantity');
    expect(
      await code(
        place({
          items: [
            { productId: sofa, quantity: 999 },
            { productId: sofa, quantity: 1 },
          ],
        }),
      ),
    ).toBe('bad_quantity');
    expect(await code(place({ cityId: otherCityId }))).toBe('unknown_product');
    expect(await code(place({ customer: { name: 'x'.repeat(201), phone: '' } }))).toBe('bad_customer');
    expect(await code(place({ delivery: { kind: 'delivery', address: ' ' } }))).toBe('bad_delivery');
    expect(await code(place({ paymentMethod: 'Kaspi Pay' }))).toBe('bad_payment_method');
    expect(await code(place({ items: [{ productId: 'not-a-uuid', quantity: 1 }] }))).toBe('unknown_product');
    const refused = await place({ items: [{ productId: soldOut, quantity: 1 }] }).catch((e) => e);
    expect(refused).toBeInstanceOf(orders.OrderInputError);
    expect(refused.items).toEqual(['GONE']);
    await t.db.updateTable('products').set({ stock_quantity: 2 }).where('id', '=', chair).execute();
    expect(await code(place({ items: [{ productId: chair, quantity: 3 }] }))).toBe('unavailable');
    await t.db.updateTable('products').set({ stock_quantity: null }).where('id', '=', chair).execute();
  });

  it('numbers orders per city, sequentially and without duplicates under concurrent checkouts', async () => {
    const before = (await orders.listOrders(t.db, { cityId })).total;
    const placed = await Promise.all(Array.from({ length: 12 }, () => place()));
    const numbers = placed.map((o) => o.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
    await t.db
      .insertInto('products')
      .values({ city_id: otherCityId, sku: 'A', sku_key: 'A', name: 'A', price: 5 })
      .execute();
    const astanaProduct = await t.db
      .selectFrom('products')
      .select('id')
      .where('city_id', '=', otherCityId)
      .executeTakeFirstOrThrow();
    const first = await place({ cityId: otherCityId, items: [{ productId: astanaProduct.id, quantity: 1 }] });
    expect(first.number).toBe(1);
    // a refused order gives its number back
    await place({ items: [{ productId: soldOut, quantity: 1 }] }).catch(() => undefined);
    expect((await place()).number).toBe(before + 13);
  });

  it('walks the status machine, records who and when, and refuses illegal transitions with a clear error', async () => {
    const order = await place({ delivery: { kind: 'pickup', store: 'ТРЦ Mega' } });
    await orders.changeOrderStatus(t.db, order.id, 'awaiting_payment', { kind: 'system' });
    await expect(orders.changeOrderStatus(t.db, order.id, 'confirmed', manager)).rejects.toThrow(
      /order № \d+ is awaiting_payment: it cannot become confirmed \(next can be: paid, cancelled\)/,
    );
    const paid = await orders.recordPayment(t.db, {
      provider: 'stripe',
      reference: `cs_${order.id}`,
      orderId: order.id,
      amount: order.total,
      currency: 'KZT',
      status: 'succeeded',
      raw: { id: 'evt_1' },
    });
    expect(paid.outcome).toBe('paid');
    await orders.changeOrderStatus(t.db, order.id, 'confirmed', manager);
    await expect(orders.changeOrderStatus(t.db, order.id, 'shipped', manager)).rejects.toThrow(
      /picked up, not delivered/,
    );
    await orders.changeOrderStatus(t.db, order.id, 'ready_for_pickup', manager);
    const done = await orders.changeOrderStatus(t.db, order.id, 'completed', manager, 'забрал сам');
    expect(done.order.status).toBe('completed');
    await expect(orders.changeOrderStatus(t.db, order.id, 'cancelled', manager)).rejects.toThrow(/completed is final/);
    await expect(orders.changeOrderStatus(t.db, order.id, 'completed', manager)).rejects.toBeInstanceOf(
      orders.OrderTransitionError,
    );
    const detail = await orders.getOrder(t.db, order.id);
    expect(detail!.events.map((e) => [e.from, e.to, e.actor.kind, e.actor.id])).toEqual([
      [null, 'new', 'shopper', null],
      ['new', 'awaiting_payment', 'system', null],
      ['awaiting_payment', 'paid', 'provider', 'stripe'],
      ['paid', 'confirmed', 'manager', manager.userId],
      ['confirmed', 'ready_for_pickup', 'manager', manager.userId],
      ['ready_for_pickup', 'completed', 'manager', manager.userId],
    ]);
    expect(detail!.events.at(-1)!.note).toBe('забрал сам');
    expect(detail!.payments).toMatchObject([
      { provider: 'stripe', status: 'succeeded', flaggedReason: null, raw: { id: 'evt_1' } },
    ]);
    await expect(orders.changeOrderStatus(t.db, crypto.randomUUID(), 'cancelled', manager)).rejects.toBeInstanceOf(
      orders.OrderNotFoundError,
    );
  });

  it('confirms an order paid on receipt without a payment; others need one', async () => {
    const cash = await place({ paymentMethod: orders.PAY_ON_RECEIPT });
    await orders.changeOrderStatus(t.db, cash.id, 'confirmed', manager);
    await orders.changeOrderStatus(t.db, cash.id, 'shipped', manager);
    expect((await orders.changeOrderStatus(t.db, cash.id, 'completed', manager)).order.status).toBe('completed');
    const card = await place();
    await expect(orders.changeOrderStatus(t.db, card.id, 'confirmed', manager)).rejects.toThrow(/not paid yet/);
  });

  it('recordPayment is idempotent, flags mismatches and payments for cancelled or unknown orders, never marks them paid', async () => {
    const order = await place();
    const notice = {
      provider: 'cloudpayments',
      orderId: order.id,
      amount: order.total,
      currency: 'KZT',
      status: 'succeeded' as const,
    };
    const wrongAmount = await orders.recordPayment(t.db, { ...notice, reference: 'tx-1', amount: order.total - 1 });
    expect(wrongAmount).toMatchObject({ outcome: 'flagged', payment: { flaggedReason: 'amount_mismatch' } });
    const wrongCurrency = await orders.recordPayment(t.db, { ...notice, reference: 'tx-2', currency: 'USD' });
    expect(wrongCurrency.payment.flaggedReason).toBe('currency_mismatch');
    expect((await orders.getOrder(t.db, order.id))!.status).toBe('new');

    // a pending payment that later succeeds; the same notification twice changes nothing
    expect((await orders.recordPayment(t.db, { ...notice, reference: 'tx-3', status: 'pending' })).outcome).toBe(
      'recorded',
    );
    expect((await orders.recordPayment(t.db, { ...notice, reference: 'tx-3', status: 'pending' })).outcome).toBe(
      'duplicate',
    );
    const [a, b] = await Promise.all([
      orders.recordPayment(t.db, { ...notice, reference: 'tx-3' }),
      orders.recordPayment(t.db, { ...notice, reference: 'tx-3' }),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['duplicate', 'paid']);
    expect((await orders.recordPayment(t.db, { ...notice, reference: 'tx-3' })).outcome).toBe('duplicate');
    const paid = await orders.getOrder(t.db, order.id);
    expect(paid!.status).toBe('paid');
    expect(paid!.events.filter((e) => e.to === 'paid')).toHaveLength(1);
    // another payment for a paid order is flagged, and cancelling flags the paid one for refund
    expect((await orders.recordPayment(t.db, { ...notice, reference: 'tx-4' })).payment.flaggedReason).toBe(
      'already_paid',
    );
    await orders.changeOrderStatus(t.db, order.id, 'cancelled', manager, 'передумал');
    const late = await orders.recordPayment(t.db, { ...notice, reference: 'tx-5' });
    expect(late).toMatchObject({ outcome: 'flagged', payment: { flaggedReason: 'refund_due' } });
    const cancelled = await orders.getOrder(t.db, order.id);
    expect(cancelled!.status).toBe('cancelled');
    expect(cancelled!.payments.find((p) => p.reference === 'tx-3')!.flaggedReason).toBe('refund_due');

    const unknown = await orders.recordPayment(t.db, { ...notice, reference: 'tx-6', orderId: crypto.randomUUID() });
    expect(unknown).toMatchObject({ outcome: 'flagged', payment: { orderId: null, flaggedReason: 'unknown_order' } });
    const garbled = await orders.recordPayment(t.db, { ...notice, reference: 'tx-8', currency: 'tenge' });
    expect(garbled.payment).toMatchObject({ currency: 'XXX', flaggedReason: 'currency_mismatch' });
    await expect(orders.recordPayment(t.db, { ...notice, reference: 'tx-9', amount: Number.NaN })).rejects.toThrow(
      /amount must be a number/,
    );
    await expect(orders.recordPayment(t.db, { ...notice, reference: '' })).rejects.toThrow(/reference/);
    const failed = await orders.recordPayment(t.db, { ...notice, reference: 'tx-7', status: 'failed' });
    expect(failed.outcome).toBe('recorded');
  });

  it('a manual Kaspi payment names the manager who recorded it', async () => {
    const order = await place();
    const result = await orders.recordPayment(t.db, {
      provider: orders.KASPI_MANUAL,
      reference: `${order.id}:1`,
      orderId: order.id,
      amount: order.total,
      currency: 'KZT',
      status: 'succeeded',
      recordedBy: manager.userId,
    });
    expect(result.outcome).toBe('paid');
    expect(result.change!.event.actor).toEqual({ kind: 'manager', id: manager.userId });
    expect(result.payment.recordedBy).toBe(manager.userId);
  });

  it('sales: orders placed and paid per day from the ledger, revenue of the paid ones in one currency, every day of the period', async () => {
    const city = (await createCity(t.db, { name: 'Шымкент', slug: 'shymkent' })).id;
    const lamp = (await createProduct(t.db, city, { sku: 'L-1', name: 'Лампа', price: 10.1 })).id;
    const imported = (await createProduct(t.db, city, { sku: 'L-2', name: 'Lamp', price: 7, currency: 'USD' })).id;
    const buy = (chat: string, productId = lamp, channel: 'telegram' | 'web' = 'telegram', test = false) =>
      place({
        cityId: city,
        channel,
        conversationKey: `${channel}:shymkent:${chat}`,
        items: [{ productId, quantity: 1 }],
        test,
      });
    const pay = (order: orders.OrderWithItems, amount = order.total, recordedBy?: string) =>
      orders.recordPayment(t.db, {
        provider: recordedBy ? orders.KASPI_MANUAL : 'stripe',
        reference: `sales:${order.id}:${amount}`,
        orderId: order.id,
        amount,
        currency: order.currency,
        status: 'succeeded',
        ...(recordedBy ? { recordedBy } : {}),
      });
    const byProvider = await buy('1');
    const byManager = await buy('2');
    const wrongAmount = await buy('3');
    await buy('4'); // placed, never paid
    const inDollars = await buy('5', imported);
    // staff's order in the playground: a test order
    const staffs = await buy('staff', lamp, 'web', true);
    expect((await pay(byProvider)).outcome).toBe('paid');
    expect((await pay(byManager, byManager.total, manager.userId)).outcome).toBe('paid');
    expect((await pay(wrongAmount, 1)).outcome).toBe('flagged');
    expect((await pay(inDollars)).outcome).toBe('paid');
    expect((await pay(staffs)).outcome).toBe('paid');

    const now = new Date();
    const period = { from: new Date(now.getTime() - 2 * 86_400_000), to: new Date(now.getTime() + 1000) };
    const localDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(at);
    const sales = await orders.salesStats(t.db, { ...period, timezone: 'Asia/Almaty', cityId: city, currency: 'KZT' });
    expect(sales.currency).toBe('KZT');
    expect(sales.byDay.map((d) => d.day)).toEqual(
      [2, 1, 0].map((n) => localDay(new Date(now.getTime() - n * 86_400_000))),
    );
    const today = localDay(now);
    expect(sales.byDay.filter((d) => d.day !== today).every((d) => d.orders + d.paid + d.revenue === 0)).toBe(true);
    // paid: by the provider, by the manager, in dollars (counted, not summed); the wrong amount is not paid
    expect(sales.byDay.find((d) => d.day === today)).toEqual({
      day: today,
      orders: 5,
      paid: 3,
      refunded: 0,
      revenue: 20.2,
    });
    expect(sales.totals).toEqual({ orders: 5, paid: 3, refunded: 0, revenue: 20.2 });

    // 10.1 three times is 30.3, not 30.299999999999997: money adds up in minor units
    const withStaff = await orders.salesStats(t.db, {
      ...period,
      timezone: 'Asia/Almaty',
      cityId: city,
      currency: 'KZT',
      includeTest: true,
    });
    expect(withStaff.totals).toEqual({ orders: 6, paid: 4, refunded: 0, revenue: 30.3 });
    const web = await orders.salesStats(t.db, {
      ...period,
      timezone: 'Asia/Almaty',
      cityId: city,
      channel: 'web',
      includeTest: true,
    });
    expect(web.totals).toEqual({ orders: 1, paid: 1, refunded: 0, revenue: 10.1 });
    const before = await orders.salesStats(t.db, {
      from: new Date(now.getTime() - 5 * 86_400_000),
      to: period.from,
      timezone: 'Asia/Almaty',
      cityId: city,
    });
    expect(before.totals).toEqual({ orders: 0, paid: 0, refunded: 0, revenue: 0 });
  });

  it('sales: an order paid on receipt is revenue the day it is completed; one cancelled after payment is taken off that day', async () => {
    const city = (await createCity(t.db, { name: 'Актобе', slug: 'aktobe' })).id;
    const lamp = (await createProduct(t.db, city, { sku: 'L-1', name: 'Лампа', price: 1000 })).id;
    const buy = (chat: string, paymentMethod: string) =>
      orders.createOrder(t.db, {
        cityId: city,
        channel: 'telegram',
        conversationKey: `telegram:aktobe:${chat}`,
        customer: { name: 'Айгуль', phone: '+77011234567' },
        delivery: { kind: 'delivery', address: 'Абая 1' },
        paymentMethod,
        items: [{ productId: lamp, quantity: 1 }],
      });
    const deliver = async (orderId: string) => {
      for (const to of ['confirmed', 'shipped', 'completed'] as const)
        await orders.changeOrderStatus(t.db, orderId, to, manager);
    };
    const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };
    const stats = () => orders.salesStats(t.db, { ...period, timezone: 'Asia/Almaty', cityId: city, currency: 'KZT' });

    const cash = await buy('cash', orders.PAY_ON_RECEIPT);
    await orders.changeOrderStatus(t.db, cash.id, 'confirmed', manager);
    await orders.changeOrderStatus(t.db, cash.id, 'shipped', manager);
    // on its way: no money yet
    expect((await stats()).totals).toEqual({ orders: 1, paid: 0, refunded: 0, revenue: 0 });
    await orders.changeOrderStatus(t.db, cash.id, 'completed', manager);
    expect((await stats()).totals).toEqual({ orders: 1, paid: 1, refunded: 0, revenue: 1000 });

    // cancelled at the door: never paid, nothing to take back
    const refused = await buy('refused', orders.PAY_ON_RECEIPT);
    await orders.changeOrderStatus(t.db, refused.id, 'confirmed', manager);
    await orders.changeOrderStatus(t.db, refused.id, 'cancelled', manager);
    // the courier's cash a manager recorded as a payment counts once, not again when completed
    const recorded = await buy('recorded', orders.PAY_ON_RECEIPT);
    const cashPaid = await orders.recordPayment(t.db, {
      provider: orders.KASPI_MANUAL,
      reference: `cash:${recorded.id}`,
      orderId: recorded.id,
      amount: recorded.total,
      currency: recorded.currency,
      status: 'succeeded',
      recordedBy: manager.userId,
    });
    expect(cashPaid.outcome).toBe('paid');
    await deliver(recorded.id);
    expect((await stats()).totals).toEqual({ orders: 3, paid: 2, refunded: 0, revenue: 2000 });

    // paid by card, then cancelled: the refund comes off
    const card = await buy('card', 'stripe');
    await orders.recordPayment(t.db, {
      provider: 'stripe',
      reference: `card:${card.id}`,
      orderId: card.id,
      amount: card.total,
      currency: card.currency,
      status: 'succeeded',
    });
    expect((await stats()).totals).toEqual({ orders: 4, paid: 3, refunded: 0, revenue: 3000 });
    await orders.changeOrderStatus(t.db, card.id, 'cancelled', manager, 'передумал');
    expect((await stats()).totals).toEqual({ orders: 4, paid: 3, refunded: 1, revenue: 2000 });
  });

  it('lists orders by city, status and time with items and payments; pending notifications until marked', async () => {
    const page = await orders.listOrders(t.db, { cityId, status: 'paid' });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((o) => o.status === 'paid' && o.items.length > 0 && o.payments.length > 0)).toBe(true);
    const future = await orders.listOrders(t.db, { from: new Date(Date.now() + 60_000) });
    expect(future).toEqual({ items: [], total: 0 });
    const all = await orders.listOrders(t.db, { cityId, to: new Date(Date.now() + 60_000) }, { limit: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThan(5);

    const pending = await orders.pendingOrderNotifications(t.db);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => p.event.notifiedAt === null && p.order.id === p.event.orderId)).toBe(true);
    for (const p of pending) await orders.markOrderEventNotified(t.db, p.event.id, new Date());
    expect(await orders.pendingOrderNotifications(t.db)).toEqual([]);
    // an order made in the panel has no conversation: nothing waits to be told
    const panel = await place({ channel: 'admin', conversationKey: null, paymentMethod: orders.PAY_ON_RECEIPT });
    await orders.changeOrderStatus(t.db, panel.id, 'confirmed', manager);
    expect(await orders.pendingOrderNotifications(t.db)).toEqual([]);
  });
});
