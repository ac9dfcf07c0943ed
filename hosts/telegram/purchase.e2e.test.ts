import { afterAll, beforeAll, describe, it } from 'vitest';
import { sellAndPay, type PayWith } from '../checkout/testing/purchase.ts';
import { startTelegramShop, type TelegramShop } from './testing/shop.ts';
import { telegramPhone } from './testing/shopper.ts';

/**
 * A whole purchase in Telegram, through the platform's webhook and the fake Bot API: the shopper
 * finds a sofa, puts it in the cart, checks out sharing their own contact for the phone, and pays
 * with Stripe, with CloudPayments, or by the Kaspi invoice a manager sends by hand (sellAndPay).
 */
let telegram: TelegramShop;

beforeAll(async () => {
  telegram = await startTelegramShop();
}, 120_000);

afterAll(async () => telegram?.close());

describe('a purchase in Telegram', () => {
  it.each<[PayWith, number]>([
    ['stripe', 78_100_001],
    ['cloudpayments', 78_100_002],
    ['kaspi', 78_100_003],
  ])('%s: search → cart → checkout → the order in the API → paid → the shopper is told', async (pay, chat) => {
    await sellAndPay(telegram.shop, telegram.shopper(chat), pay, { name: 'Айгерим', phone: telegramPhone(chat) });
  });
});
