import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buySofa, sellAndPay, type PayWith } from '../checkout/testing/purchase.ts';
import { quietLog, type Shop } from '../checkout/testing/shop.ts';
import { bitrix24Config } from '../crm/config.ts';
import { createCrmDelivery, type CrmDelivery } from '../crm/index.ts';
import { startFakeBitrix24, type FakeBitrix24 } from '../crm/testing/fakeBitrix24.ts';
import { OneC } from '../onec/testing/oneC.ts';
import { at, kids, parseXml } from '../onec/testing/xmlTree.ts';
import { startTelegramShop, type TelegramShop } from '../telegram/testing/shop.ts';
import { telegramPhone } from '../telegram/testing/shopper.ts';
import { webShopper } from './testing/shopper.ts';

/**
 * A whole purchase in the web chat (`POST /api/chat/:city`), which only staff reach (the playground,
 * API tokens): the visitor finds a sofa, puts it in the cart and checks out typing the phone, and
 * the order is a test order — listed with `test: true`, no provider asked for a payment, the
 * visitor told plainly that none is taken. Side by side with the same purchase by a Telegram
 * shopper, only the shopper's order becomes a Bitrix24 deal (the platform's CRM outbox delivered
 * to the fake portal), goes to 1C (`type=sale` query over HTTP) and counts on the dashboard.
 */
const ONEC = { user: '1c-exchange', password: 'Обмен-2024!' };
const TEST_ORDER = '🧪 Это тестовый заказ: оплата не берётся';

let telegram: TelegramShop;
let shop: Shop;
let portal: FakeBitrix24;
let crm: CrmDelivery;

beforeAll(async () => {
  [telegram, portal] = await Promise.all([
    startTelegramShop({ ONEC_EXCHANGE_USER: ONEC.user, ONEC_EXCHANGE_PASSWORD: ONEC.password }),
    startFakeBitrix24(),
  ]);
  shop = telegram.shop;
  crm = createCrmDelivery({
    config: bitrix24Config({ BITRIX24_WEBHOOK_URL: portal.webhookUrl })!,
    db: shop.platform.db.db,
    clock: () => new Date(),
    log: quietLog,
  });
}, 120_000);

afterAll(async () => {
  await telegram?.close();
  await portal?.close();
});

const listed = async (query: string) => {
  const res = await shop.api('GET', `/orders?city=almaty&limit=200&${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((o) => o.id);
};

type Totals = { orders: number; paid: number; revenue: number };
const dashboard = async (query = '') => {
  const res = await shop.api('GET', `/analytics?city=almaty${query}`);
  expect(res.status).toBe(200);
  const stats = (await res.json()) as { funnel: { order: number; paid: number }; sales: { totals: Totals } };
  return { ...stats.sales.totals, funnel: stats.funnel };
};

/** the orders 1C's `type=sale` query answers now (each exchange then marks them its own) */
const queriedBy1C = async () => {
  const onec = new OneC(shop.url, 'almaty', ONEC);
  const auth = await onec.call('checkauth', {}, { basic: true, type: 'sale' });
  expect(auth.lines[0]).toBe('success');
  onec.cookie = `${auth.lines[1]}=${auth.lines[2]}`;
  const res = await fetch(`${shop.url}/1c/exchange/almaty?type=sale&mode=query`, { headers: { cookie: onec.cookie } });
  expect(res.status).toBe(200);
  const ids = kids(parseXml(await res.text()), 'Документ').map((d) => at(d, 'Ид'));
  expect((await onec.call('success', {}, { type: 'sale' })).lines).toEqual(['success']);
  return ids;
};

/** passes the CRM outbox until nothing is left to deliver */
const deliverToCrm = async () => {
  for (;;) {
    const pass = await crm.deliver();
    if (!pass) throw new Error('the CRM outbox pass stopped');
    if (pass.delivered === 0) return;
  }
};

describe('a purchase in the web chat is a test order', () => {
  it.each<[PayWith, string]>([
    ['stripe', 'staff-stripe'],
    ['cloudpayments', 'staff-cloudpayments'],
    ['kaspi', 'staff-kaspi'],
  ])('%s: the order is listed as a test, no provider is asked, no payment is taken', async (pay, userId) => {
    const sessions = shop.stripe.sessions.length;
    const links = shop.cp.orders.length;
    const bought = await buySofa(webShopper(shop, userId, '+77015550101'), pay, 'Айгерим');
    expect(bought.confirmation).toContain(TEST_ORDER);
    expect(bought.confirmation).not.toMatch(/Оплатить онлайн|счёт/);
    const order = await shop.order(bought.number);
    expect(order).toMatchObject({ test: true, status: 'awaiting_payment', paymentMethod: pay, payments: [] });
    expect(shop.stripe.sessions).toHaveLength(sessions);
    expect(shop.cp.orders).toHaveLength(links);
    expect(await listed('test=true')).toContain(order.id);
    expect(await listed('test=false')).not.toContain(order.id);
    // a manager cannot start a payment for it by hand either
    const link = await shop.api('POST', `/orders/${order.id}/payment-link`, { provider: 'stripe' });
    expect(link.status).toBe(422);
    expect(shop.stripe.sessions).toHaveLength(sessions);
  });

  it('reaches neither Bitrix24 nor 1C nor the dashboard; the same purchase by a Telegram shopper reaches all three', async () => {
    await crm.checkPortalAtStart();
    await deliverToCrm();
    await queriedBy1C();
    const before = await dashboard();
    const beforeWithTests = await dashboard('&includeTest=true');

    const staff = await shop.order(
      (await buySofa(webShopper(shop, 'staff-side-by-side', '+77015550109'), 'kaspi', 'Айгерим')).number,
    );
    // staff try the manager's side too: their test order marked paid by hand
    const marked = await shop.api('POST', `/orders/${staff.id}/payments`, { reference: `TEST-${staff.number}` });
    expect(marked.status).toBe(200);
    const chat = 78_300_001;
    const shopper = await sellAndPay(shop, telegram.shopper(chat), 'stripe', {
      name: 'Айгерим',
      phone: telegramPhone(chat),
    });

    await deliverToCrm();
    const deals = (id: string) => portal.deals.filter((d) => d.ORIGIN_ID === id);
    expect(deals(shopper.id)).toHaveLength(1);
    expect(deals(staff.id)).toEqual([]);

    const to1C = await queriedBy1C();
    expect(to1C).toContain(shopper.id);
    expect(to1C).not.toContain(staff.id);

    const after = await dashboard();
    expect({
      orders: after.orders - before.orders,
      paid: after.paid - before.paid,
      revenue: after.revenue - before.revenue,
      funnel: [after.funnel.order - before.funnel.order, after.funnel.paid - before.funnel.paid],
    }).toEqual({ orders: 1, paid: 1, revenue: shopper.total, funnel: [1, 1] });
    const withTests = await dashboard('&includeTest=true');
    expect({
      orders: withTests.orders - beforeWithTests.orders,
      paid: withTests.paid - beforeWithTests.paid,
      revenue: withTests.revenue - beforeWithTests.revenue,
    }).toEqual({ orders: 2, paid: 2, revenue: shopper.total + staff.total });
  });
});
