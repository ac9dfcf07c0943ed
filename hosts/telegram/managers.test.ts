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
    source: {
      list: async () => [
        { city: 'almaty', token: '1:a', managersChatId: '-100500' },
        { city: 'shymkent', token: '2:b' },
      ],
    },
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

  it("tells the managers' chat when the shopper went back to the bot or the hand-off fell silent", async () => {
    expect(await notifier.escalationClosed('almaty', 'esc-42', 'shopper')).toBe(true);
    const back = visibleText(String(api.messages(-100500).at(-1)!.params.text), 'HTML');
    expect(back).toContain('Покупатель вернулся к боту — диалог закрыт');
    expect(parseTag(back)).toEqual({ escalationId: 'esc-42', shopperChatId: '31337' });
    await notifier.escalationClosed('almaty', 'esc-7', 'silence', {
      channel: 'whatsapp',
      city: 'almaty',
      chatId: '77010000000',
    });
    const silent = visibleText(String(api.messages(-100500).at(-1)!.params.text), 'HTML');
    expect(silent).toContain('Диалог закрыт: долго не было сообщений');
    expect(await notifier.escalationClosed('shymkent', 'e', 'silence')).toBe(false);
  });

  it("sends a Telegram shopper's photo and voice note to the managers as the media themselves, by file_id", async () => {
    const shopper = { channel: 'telegram' as const, city: 'almaty', chatId: '31337' };
    await notifier.forwardShopperMessage('almaty', 'esc-42', '📷 photo — такой есть?', shopper, {
      kind: 'photo',
      ref: 'AgACphoto-1',
      caption: 'такой есть?',
    });
    await notifier.forwardShopperMessage('almaty', 'esc-42', '🎤 voice', shopper, {
      kind: 'voice',
      ref: 'AwACvoice-1',
    });
    await notifier.forwardShopperMessage('almaty', 'esc-42', '[document]', shopper, {
      kind: 'document',
      ref: 'BQACdoc-1',
    });
    const [photo, voice, document] = api.messages(-100500).slice(-3);
    expect(document).toMatchObject({ method: 'sendDocument', params: { document: 'BQACdoc-1' } });
    expect(photo).toMatchObject({ method: 'sendPhoto', params: { photo: 'AgACphoto-1' } });
    expect(visibleText(String(photo!.params.caption), 'HTML')).toContain('такой есть?');
    expect(parseTag(visibleText(String(photo!.params.caption), 'HTML'))).toEqual({
      escalationId: 'esc-42',
      shopperChatId: '31337',
    });
    expect(voice).toMatchObject({ method: 'sendVoice', params: { voice: 'AwACvoice-1' } });
    expect(parseTag(visibleText(String(voice!.params.caption), 'HTML'))).toEqual({
      escalationId: 'esc-42',
      shopperChatId: '31337',
    });
  });

  it("uploads a WhatsApp shopper's stored photo to the managers (a WhatsApp media id means nothing to Telegram)", async () => {
    const shopper = { channel: 'whatsapp' as const, city: 'almaty', chatId: '77010000001' };
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 5, 6, 7]);
    await notifier.forwardShopperMessage('almaty', 'esc-43', '📷 photo: wa-1', shopper, {
      kind: 'photo',
      ref: 'wa-1',
      upload: { bytes, mime: 'image/jpeg' },
    });
    const sent = api.messages(-100500).at(-1)!;
    expect(sent.method).toBe('sendPhoto');
    expect(sent.files).toHaveLength(1);
    expect(new Uint8Array(sent.files[0]!.bytes)).toEqual(bytes);
    expect(parseTag(visibleText(String(sent.params.caption), 'HTML'))).toEqual({
      escalationId: 'esc-43',
      shopperChatId: 'whatsapp:77010000001',
    });
    // without stored bytes the managers read the message as text
    await notifier.forwardShopperMessage('almaty', 'esc-43', '🎤 voice: wa-2', shopper, { kind: 'voice', ref: 'wa-2' });
    expect(api.messages(-100500).at(-1)!.method).toBe('sendMessage');
  });

  it('reports false for a city without a managers chat', async () => {
    expect(
      await notifier.notifyManagers('shymkent', {
        escalationId: 'e',
        shopperAddress: { channel: 'telegram', city: 'shymkent', chatId: '1' },
        reason: 'r',
        history: [],
      }),
    ).toBe(false);
  });
});
