import { expect } from 'vitest';
import type { ShopperDriver } from '../../checkout/testing/purchase.ts';
import { startShop, type Shop } from '../../checkout/testing/shop.ts';
import { SECRET_HEADER } from '../routes.ts';
import { startFakeBotApi, type FakeBotApi } from './fakeBotApi.ts';
import { telegramShopper } from './shopper.ts';

const TOKEN = '4242424242:purchase-e2e';
const SECRET = 'purchase-e2e-secret';

export type TelegramShop = {
  shop: Shop;
  botApi: FakeBotApi;
  /** a Telegram user of this chat id buying through the platform's webhook */
  shopper(chatId: number): ShopperDriver;
  close(): Promise<void>;
};

/**
 * The demo shop (startShop) with its Telegram bot on the fake Bot API, for tests that need a
 * shopper rather than staff: Telegram posts each update to the platform's webhook, and the turn and
 * its sends finish before the next. `env` as startShop's.
 */
export async function startTelegramShop(env: Record<string, string> = {}): Promise<TelegramShop> {
  const botApi = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_shop_bot' } } });
  const shop = await startShop({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: botApi.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ...env,
  });
  await shop.platform.telegram.registry.init();
  const post = async (update: object) => {
    const res = await shop.platform.app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await shop.platform.runtime.idle();
    await shop.platform.telegram.intake.settled();
  };
  return {
    shop,
    botApi,
    shopper: (chatId) => telegramShopper(botApi, chatId, post),
    async close() {
      await shop.close();
      await botApi.close();
    },
  };
}
