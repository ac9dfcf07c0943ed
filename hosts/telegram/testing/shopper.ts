import { expect } from 'vitest';
import type { Seen, ShopperDriver } from '../../checkout/testing/purchase.ts';
import { visibleText, type FakeBotApi, type RecordedCall } from './fakeBotApi.ts';
import * as u from './updates.ts';

type Markup = {
  inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>>;
  keyboard?: Array<Array<{ text: string; request_contact?: boolean }>>;
};

export const sentText = (c: RecordedCall) =>
  visibleText(String(c.params.text ?? c.params.caption ?? ''), c.params.parse_mode);

/** what the shopper's Telegram shows of these sends: the words, inline buttons and the contact keyboard */
export const telegramSeen = (calls: RecordedCall[]): Seen => ({
  texts: calls.map(sentText),
  buttons: calls.flatMap((c) => {
    const markup = c.params.reply_markup as Markup | undefined;
    return [
      ...(markup?.inline_keyboard ?? []).flat().map((b) => ({ id: b.callback_data ?? '', label: b.text })),
      ...(markup?.keyboard ?? []).flat().map((b) => ({ id: b.request_contact ? 'contact' : b.text, label: b.text })),
    ];
  }),
});

/** the number a test shopper's Telegram account has */
export const telegramPhone = (chatId: number) => `+7701${String(chatId).slice(-7)}`;

let updateId = 700_000;

/**
 * A Telegram user talking to the bot. `post` hands an update to the server as Telegram does and
 * resolves when its replies have reached the fake Bot API. The phone is answered with the
 * «📱 …» request_contact keyboard: the shopper's own contact (user_id theirs), the number without
 * «+» as clients send it.
 */
export function telegramShopper(
  api: FakeBotApi,
  chatId: number,
  post: (update: object) => Promise<void>,
): ShopperDriver {
  const me = u.shopper(chatId, 'Айгерим');
  const send = async (update: object) => {
    const before = api.messages(chatId).length;
    await post(update);
    return telegramSeen(api.messages(chatId).slice(before));
  };
  return {
    say: (text) => send(u.textUpdate(++updateId, me, text)),
    tap: (data) => send(u.callbackUpdate(++updateId, me, data)),
    async givePhone(asked) {
      expect(asked.buttons.filter((b) => b.id === 'contact').map((b) => b.label)).toEqual([
        expect.stringMatching(/^📱 /),
      ]);
      return send(u.contactUpdate(++updateId, me, { phone: telegramPhone(chatId).slice(1) }));
    },
    received: async () => api.messages(chatId).map(sentText),
  };
}
