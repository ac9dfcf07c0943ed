import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellAndPay, type PayWith } from '../checkout/testing/purchase.ts';
import { startShop, type Shop } from '../checkout/testing/shop.ts';
import { SECRET_HEADER } from './routes.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';
import { telegramPhone, telegramShopper } from './testing/shopper.ts';

/**
 * A whole purchase in Telegram, through the platform's webhook and the fake Bot API: the shopper
 * finds a sofa, puts it in the cart, checks out sharing their own contact for the phone, and pays
 * with Stripe, with CloudPayments, or by the Kaspi invoice a manager sends by hand (sellAndPay).
 */
const TOKEN = '4242424242:purchase-e2e';
const SECRET = 'purchase-e2e-secret';

let botApi: FakeBotApi;
let shop: Shop;

beforeAll(async () => {
  botApi = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_shop_bot' } } });
  shop = await startShop({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: botApi.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  await shop.platform.telegram.registry.init();
}, 120_000);

afterAll(async () => {
  await shop?.close();
  await botApi?.close();
});

/** Telegram posting the update to the webhook; the turn and its sends finish before the next */
async function post(update: object) {
  const res = await shop.platform.app.request('/webhooks/telegram/almaty', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  await shop.platform.runtime.idle();
  await shop.platform.telegram.intake.settled();
}

describe('a purchase in Telegram', () => {
  it.each<[PayWith, number]>([
    ['stripe', 78_100_001],
    ['cloudpayments', 78_100_002],
    ['kaspi', 78_100_003],
  ])('%s: search → cart → checkout → the order in the API → paid → the shopper is told', async (pay, chat) => {
    const shopper = telegramShopper(botApi, chat, post);
    await sellAndPay(shop, shopper, pay, { name: 'Айгерим', phone: telegramPhone(chat) });
  });
});
