import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTag } from './escalationTag.ts';
import { TelegramManagerNotifier } from './managers.ts';
import { BotRegistry } from './registry.ts';
import { startFakeBotApi, visibleText, type FakeBotApi } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';

let api: FakeBotApi;
let notifier: TelegramManagerNotifier;

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { '1:a': {}, '2:b': {} } });
  const registry = new BotRegistry({
    source: { list: async () => [{ city: 'almaty', token: '1:a', managersChatId: '-100500' }, { city: 'shymkent', token: '2:b' }] },
    apiRoot: api.apiRoot,
    log: recordingLog(),
  });
  await registry.load();
  notifier = new TelegramManagerNotifier(registry, recordingLog());
});
afterAll(async () => api.close());

describe('TelegramManagerNotifier', () => {
  it('posts the shopper, reason and last messages with a reference managers reply to', async () => {
    const posted = await notifier.notifyManagers('almaty', {
      escalationId: 'esc-42',
      shopperAddress: { channel: 'telegram', city: 'almaty', chatId: '31337' },
      reason: 'Покупатель просит <менеджера>',
      history: [
        { role: 'shopper', text: 'диван до 300к', at: '2026-11-26T10:00:00Z' },
        { role: 'bot', text: 'Нашла 3 дивана', at: '2026-11-26T10:00:01Z' },
      ],
    });
    expect(posted).toBe(true);
    const [call] = api.messages(-100500);
    const text = visibleText(String(call!.params.text), call!.params.parse_mode);
    expect(text).toContain('Покупатель просит <менеджера>');
    expect(text).toContain('👤 диван до 300к');
    expect(text).toContain('🤖 Нашла 3 дивана');
    expect(parseTag(text)).toEqual({ escalationId: 'esc-42', shopperChatId: '31337' });
  });

  it('forwards later shopper messages with the same reference', async () => {
    await notifier.forwardShopperMessage('almaty', 'esc-42', 'а доставка бесплатная?');
    const last = api.messages(-100500).at(-1)!;
    const text = visibleText(String(last.params.text), 'HTML');
    expect(text).toContain('👤 а доставка бесплатная?');
    expect(parseTag(text)).toEqual({ escalationId: 'esc-42', shopperChatId: '31337' });
  });

  it('tells the managers\' chat when the shopper went back to the bot or the hand-off fell silent', async () => {
    expect(await notifier.escalationClosed('almaty', 'esc-42', 'shopper')).toBe(true);
    const back = visibleText(String(api.messages(-100500).at(-1)!.params.text), 'HTML');
    expect(back).toContain('Покупатель вернулся к боту — диалог закрыт');
    expect(parseTag(back)).toEqual({ escalationId: 'esc-42', shopperChatId: '31337' });
    await notifier.escalationClosed('almaty', 'esc-7', 'silence', { channel: 'whatsapp', city: 'almaty', chatId: '77010000000' });
    const silent = visibleText(String(api.messages(-100500).at(-1)!.params.text), 'HTML');
    expect(silent).toContain('Диалог закрыт: долго не было сообщений');
    expect(await notifier.escalationClosed('shymkent', 'e', 'silence')).toBe(false);
  });

  it('reports false for a city without a managers chat', async () => {
    expect(await notifier.notifyManagers('shymkent', { escalationId: 'e', shopperAddress: { channel: 'telegram', city: 'shymkent', chatId: '1' }, reason: 'r', history: [] })).toBe(false);
  });
});
