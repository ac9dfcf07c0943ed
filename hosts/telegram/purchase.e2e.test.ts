import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellAndPay, type PayWith, type Seen, type ShopperDriver } from '../checkout/testing/purchase.ts';
import { startShop, type Shop } from '../checkout/testing/shop.ts';
import { SECRET_HEADER } from './routes.ts';
import { startFakeBotApi, visibleText, type FakeBotApi, type RecordedCall } from './testing/fakeBotApi.ts';
import * as u from './testing/updates.ts';

/**
 * A whole purchase in Telegram, through the platform's webhook and the fake Bot API: the shopper
 * finds a sofa, puts it in the cart, checks out sharing their own contact for the phone, and pays
 * with Stripe, with CloudPayments, or by the Kaspi invoice a manager sends by hand (sellAndPay).
 */
const TOKEN = '4242424242:purchase-e2e';
const SECRET = 'purchase-e2e-secret';

let botApi: FakeBotApi;
let shop: Shop;
let updateId = 700_000;

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

type Markup = {
  inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>>;
  keyboard?: Array<Array<{ text: string; request_contact?: boolean }>>;
};
const textOf = (c: RecordedCall) => visibleText(String(c.params.text ?? c.params.caption ?? ''), c.params.parse_mode);
const seen = (calls: RecordedCall[]): Seen => ({
  texts: calls.map(textOf),
  buttons: calls.flatMap((c) => {
    const markup = c.params.reply_markup as Markup | undefined;
    return [
      ...(markup?.inline_keyboard ?? []).flat().map((b) => ({ id: b.callback_data ?? '', label: b.text })),
      ...(markup?.keyboard ?? []).flat().map((b) => ({ id: b.request_contact ? 'contact' : b.text, label: b.text })),
    ];
  }),
});

/** a Telegram user talking to the bot through the webhook, as Telegram delivers their updates */
function shopper(chatId: number): ShopperDriver {
  const me = u.shopper(chatId, 'Айгерим');
  const send = async (update: object) => {
    const before = botApi.messages(chatId).length;
    const res = await shop.platform.app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await shop.platform.runtime.idle();
    await shop.platform.telegram.intake.settled();
    return seen(botApi.messages(chatId).slice(before));
  };
  return {
    say: (text) => send(u.textUpdate(++updateId, me, text)),
    tap: (data) => send(u.callbackUpdate(++updateId, me, data)),
    async givePhone(asked) {
      // the phone question comes with a one-time «📱 Отправить мой номер» (request_contact) keyboard;
      // the tap shares the shopper's own contact (user_id theirs), the number as clients send it
      expect(asked.buttons).toContainEqual({ id: 'contact', label: '📱 Отправить мой номер' });
      return send(u.contactUpdate(++updateId, me, { phone: phoneOf(chatId).slice(1) }));
    },
    received: async () => botApi.messages(chatId).map(textOf),
  };
}

const phoneOf = (chatId: number) => `+7701${String(chatId).slice(-7)}`;

describe('a purchase in Telegram', () => {
  it.each<[PayWith, number]>([
    ['stripe', 78_100_001],
    ['cloudpayments', 78_100_002],
    ['kaspi', 78_100_003],
  ])('%s: search → cart → checkout → the order in the API → paid → the shopper is told', async (pay, chat) => {
    await sellAndPay(shop, shopper(chat), pay, { name: 'Айгерим', phone: phoneOf(chat) });
  });
});
