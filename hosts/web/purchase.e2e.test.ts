import { afterAll, beforeAll, describe, it } from 'vitest';
import { sellAndPay, type PayWith } from '../checkout/testing/purchase.ts';
import { startShop, type Shop } from '../checkout/testing/shop.ts';
import { webShopper } from './testing/shopper.ts';

/**
 * A whole purchase in the web chat (`POST /api/chat/:city`): the shopper finds a sofa, puts it in
 * the cart, checks out typing the phone, and pays with Stripe, with CloudPayments, or by the Kaspi
 * invoice a manager sends by hand (sellAndPay). The news that the order is paid is read from the
 * conversation's message log: the web channel has no way to push it to the page.
 */
let shop: Shop;

beforeAll(async () => {
  shop = await startShop({});
}, 120_000);

afterAll(async () => shop?.close());

describe('a purchase in the web chat', () => {
  it.each<[PayWith, string, string]>([
    ['stripe', 'visitor-stripe', '+77015550101'],
    ['cloudpayments', 'visitor-cloudpayments', '+77015550102'],
    ['kaspi', 'visitor-kaspi', '+77015550103'],
  ])('%s: search → cart → checkout → the order in the API → paid → told in the log', async (pay, userId, phone) => {
    await sellAndPay(shop, webShopper(shop, userId, phone), pay, { name: 'Айгерим', phone });
  });
});
