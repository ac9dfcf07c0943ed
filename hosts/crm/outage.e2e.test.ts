import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCrmJobs } from '../../storage/crm/outbox.ts';
import { buySofa, type PayWith } from '../checkout/testing/purchase.ts';
import { quietLog, type Shop } from '../checkout/testing/shop.ts';
import { startTelegramShop, type TelegramShop } from '../telegram/testing/shop.ts';
import { bitrix24Config } from './config.ts';
import { createCrmDelivery, type CrmDelivery } from './index.ts';
import { BACKOFF_MAX_MS } from './outboxWorker.ts';
import { startFakeBitrix24, type FakeBitrix24 } from './testing/fakeBitrix24.ts';

/**
 * Bitrix24 down for an hour while shoppers order in the chat, then back: the orders placed
 * through the Telegram bot of the running platform, and the manager's mark that one was paid, reach
 * the fake portal as one deal each, at the stage of the order's status — nothing lost, nothing
 * twice. The CRM delivery is the worker's (createCrmDelivery on the platform's database), its
 * clock driven by the test so the hour passes in a second; the platform itself has no
 * BITRIX24_WEBHOOK_URL, so no timer of its own passes the outbox meanwhile.
 */
let telegram: TelegramShop;
let shop: Shop;
let portal: FakeBitrix24;
let crm: CrmDelivery;
let now = Date.now();

beforeAll(async () => {
  [telegram, portal] = await Promise.all([startTelegramShop(), startFakeBitrix24()]);
  shop = telegram.shop;
  crm = createCrmDelivery({
    config: bitrix24Config({ BITRIX24_WEBHOOK_URL: portal.webhookUrl })!,
    db: shop.platform.db.db,
    clock: () => new Date(now),
    log: quietLog,
  });
}, 120_000);

afterAll(async () => {
  await telegram?.close();
  await portal?.close();
});

/** one pass of the worker; its clock never behind the wall clock that stamped the rows */
const pass = async () => {
  now = Math.max(now, Date.now() + 1000);
  const result = await crm.deliver();
  if (!result) throw new Error('the CRM outbox pass stopped');
  return result;
};

const buy = async (pay: PayWith, chatId: number) => {
  const { number } = await buySofa(telegram.shopper(chatId), pay, 'Ерлан');
  return shop.order(number);
};

describe('Bitrix24 down, then back', () => {
  it('every order placed in the chat meanwhile becomes one deal at its status’s stage', async () => {
    await crm.checkPortalAtStart();
    const before = await buy('kaspi', 78_200_001);
    await pass();
    expect(portal.deals.filter((d) => d.ORIGIN_ID === before.id)).toHaveLength(1);

    portal.mode = 'down';
    const during = [
      await buy('kaspi', 78_200_002),
      await buy('stripe', 78_200_003),
      await buy('cloudpayments', 78_200_004),
    ];
    // the manager marks two Kaspi orders paid by hand meanwhile: a new deal's stage and a stage move
    for (const paid of [before, during[0]!])
      expect((await shop.api('POST', `/orders/${paid.id}/payments`, { reference: `K-${paid.number}` })).status).toBe(
        200,
      );

    const hourLater = now + 3_600_000;
    let tries = 0;
    while (now < hourLater) {
      const result = await pass();
      expect(result.delivered + result.failed).toBe(0);
      tries += result.retried;
      now += 60_000;
    }
    expect(tries).toBeGreaterThan(0);
    // one row per order: the three new ones, and the one sent before, due again for its new stage
    expect((await listCrmJobs(shop.platform.db.db)).counts).toMatchObject({ failed: 0, pending: 4 });

    portal.mode = 'up';
    now += BACKOFF_MAX_MS;
    while ((await pass()).delivered > 0) now += 1000;
    expect((await listCrmJobs(shop.platform.db.db)).counts).toMatchObject({ failed: 0, pending: 0 });
    const orders = await shop.platform.db.db.selectFrom('orders').select('id').execute();
    expect(portal.deals.map((d) => d.ORIGIN_ID).sort()).toEqual(orders.map((o) => o.id).sort());
    const dealOf = (id: string) => portal.deals.find((d) => d.ORIGIN_ID === id)!;
    expect([before, ...during].map((o) => dealOf(o.id).STAGE_ID)).toEqual([
      'EXECUTING',
      'EXECUTING',
      'PREPAYMENT_INVOICE',
      'PREPAYMENT_INVOICE',
    ]);
    for (const order of during)
      expect(dealOf(order.id)).toMatchObject({
        TITLE: `Заказ № ${order.number}`,
        OPPORTUNITY: order.total,
        CURRENCY_ID: 'KZT',
        rows: [{ PRODUCT_NAME: order.items[0]!.name, PRICE: order.items[0]!.price, QUANTITY: 1 }],
      });
    const phones = portal.contacts.flatMap((c) => (c.PHONE as Array<{ VALUE: string }>).map((p) => p.VALUE));
    for (const order of [before, ...during]) expect(phones.filter((p) => p === order.customer.phone)).toHaveLength(1);
  });
});
