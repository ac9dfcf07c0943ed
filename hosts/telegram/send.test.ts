import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProductItem } from '../../engine/replies.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { TelegramChannel } from './send.ts';
import { MediaTooLargeError, MediaUnavailableError, TelegramBlockedError, TelegramDeliveryError } from './errors.ts';
import { BotRegistry } from './registry.ts';
import { startFakeBotApi, type FakeBotApi } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';
import { unrender } from './testing/unrender.ts';
import { shippedTexts } from '../channel/testing/texts.ts';

const RU = shippedTexts('ru');

const TOKEN = '123456:channel-test';
const to: ConversationAddress = { channel: 'telegram', city: 'almaty', chatId: '4242' };
let api: FakeBotApi;
let registry: BotRegistry;
let log: ReturnType<typeof recordingLog>;
let channel: TelegramChannel;

const item = (sku: string, imageUrl?: string): ProductItem => ({
  id: sku,
  sku,
  name: `Кровать ${sku}`,
  price: 189_900,
  currency: 'KZT',
  available: true,
  ...(imageUrl ? { imageUrl } : {}),
  options: [
    { id: `p:${sku}`, label: 'Подробнее' },
    { id: `a:${sku}`, label: '🔔' },
  ],
});

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_almaty_bot' } } });
});
afterAll(async () => api.close());
beforeEach(async () => {
  api.reset();
  log = recordingLog();
  registry = new BotRegistry({
    source: { list: async () => [{ city: 'almaty', token: TOKEN }] },
    apiRoot: api.apiRoot,
    log,
    retry: { maxRetries: 2, baseDelayMs: 5, maxRetryAfterSeconds: 5 },
  });
  await registry.load();
  channel = new TelegramChannel({
    registry,
    log,
    readLocalMedia: async (path) =>
      path === '/media/bed.jpg'
        ? { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), filename: 'bed.jpg' }
        : undefined,
  });
});

describe('TelegramChannel.send', () => {
  it('sends HTML-escaped text, an album, and the keyboard message', async () => {
    await channel.send(
      to,
      [
        { type: 'text', text: 'Нашла 2 кровати <до 200 тыс>' },
        {
          type: 'products',
          items: [item('BED-001', 'https://cdn.example.kz/1.jpg'), item('BED-002', 'https://cdn.example.kz/2.jpg')],
        },
      ],
      { proactive: false, texts: RU },
    );
    expect(api.messages(4242).map((c) => c.method)).toEqual(['sendMessage', 'sendMediaGroup', 'sendMessage']);
    const [text, album, list] = api.messages(4242);
    expect(text!.params).toMatchObject({ text: 'Нашла 2 кровати &lt;до 200 тыс&gt;', parse_mode: 'HTML' });
    expect((album!.params.media as Array<{ media: string }>).map((m) => m.media)).toEqual([
      'https://cdn.example.kz/1.jpg',
      'https://cdn.example.kz/2.jpg',
    ]);
    expect(list!.params.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: '1. Кровать BED-001', callback_data: 'p:BED-001' },
          { text: '🔔', callback_data: 'a:BED-001' },
        ],
        [
          { text: '2. Кровать BED-002', callback_data: 'p:BED-002' },
          { text: '🔔', callback_data: 'a:BED-002' },
        ],
      ],
    });
  });

  it('uploads a relative /media/ image as bytes when there is no public base URL', async () => {
    await channel.send(to, [{ type: 'products', view: 'detail', items: [item('BED-003', '/media/bed.jpg')] }], {
      proactive: true,
      texts: RU,
    });
    const [photo] = api.messages(4242);
    expect(photo!.method).toBe('sendPhoto');
    expect(photo!.files).toHaveLength(1);
    expect([...photo!.files[0]!.bytes.slice(0, 2)]).toEqual([0xff, 0xd8]);
    expect(String(photo!.params.caption)).toContain('<b>Кровать BED-003</b>');
  });

  it('uploads a local image once, then reuses the file_id Telegram gave it', async () => {
    await channel.send(to, [{ type: 'products', view: 'detail', items: [item('BED-003', '/media/bed.jpg')] }], {
      proactive: false,
      texts: RU,
    });
    await channel.send(to, [{ type: 'products', view: 'detail', items: [item('BED-003', '/media/bed.jpg')] }], {
      proactive: false,
      texts: RU,
    });
    const [first, second] = api.messages(4242);
    expect(first!.files).toHaveLength(1);
    expect(second!.files).toHaveLength(0);
    expect(second!.params.photo).toBe((first!.result as { photo: Array<{ file_id: string }> }).photo.at(-1)!.file_id);
  });

  it('never sends SVG to Telegram: a relative .svg is read locally (as PNG), an absolute one becomes a text card', async () => {
    const svgChannel = new TelegramChannel({
      registry,
      log,
      publicBaseUrl: 'https://shop.example.kz',
      readLocalMedia: async (path) =>
        path.endsWith('.svg')
          ? { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), filename: 'SOFA-001.png' }
          : undefined,
    });
    await svgChannel.send(
      to,
      [{ type: 'products', view: 'detail', items: [item('SOFA-001', '/media/placeholder/SOFA-001.svg')] }],
      { proactive: false, texts: RU },
    );
    await svgChannel.send(
      to,
      [{ type: 'products', view: 'detail', items: [item('SOFA-002', 'https://cdn.example.kz/x.svg')] }],
      { proactive: false, texts: RU },
    );
    const [png, text] = api.messages(4242);
    expect(png!.method).toBe('sendPhoto');
    expect(png!.files[0]!.filename).toBe('SOFA-001.png');
    expect(text!.method).toBe('sendMessage');
  });

  it('turns a relative image into an absolute URL with PUBLIC_BASE_URL', async () => {
    const withBase = new TelegramChannel({ registry, log, publicBaseUrl: 'https://shop.example.kz/' });
    await withBase.send(to, [{ type: 'image', url: '/media/plan.png', caption: 'План' }], {
      proactive: false,
      texts: RU,
    });
    expect(api.messages(4242)[0]!.params.photo).toBe('https://shop.example.kz/media/plan.png');
  });

  it('falls back to a text card when Telegram cannot fetch the photo', async () => {
    api.failNext('sendPhoto', {
      kind: 'error',
      code: 400,
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
    await channel.send(
      to,
      [{ type: 'products', view: 'detail', items: [item('BED-004', 'https://broken.example/x.jpg')] }],
      { proactive: false, texts: RU },
    );
    const [card] = api.messages(4242);
    expect(card!.method).toBe('sendMessage');
    expect(String(card!.params.text)).toContain('BED-004');
    expect(card!.params.reply_markup).toBeDefined();
  });

  it('honours 429 retry_after and retries 5xx, then delivers', async () => {
    api.failNext('sendMessage', { kind: 'retryAfter', seconds: 1 });
    api.failNext('sendMessage', { kind: 'serverError', status: 502 });
    await channel.send(to, [{ type: 'text', text: 'Привет' }], { proactive: false, texts: RU });
    expect(api.callsTo('sendMessage', { all: true }).map((c) => c.outcome)).toEqual(['error', 'error', 'ok']);
  });

  it('throws a typed error after bounded retries when the API is down, and resumes where it stopped', async () => {
    await channel.send(to, [{ type: 'text', text: 'warm-up' }], { proactive: false, texts: RU });
    api.reset();
    const replies = [
      { type: 'text' as const, text: 'один' },
      { type: 'text' as const, text: 'два' },
    ];
    // first message goes out, then the API disappears
    const first = api.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'один');
    const attempt = channel.send(to, replies, { proactive: false, texts: RU });
    await first;
    api.setDown(true);
    await expect(attempt).rejects.toBeInstanceOf(TelegramDeliveryError);
    expect(log.errors().some((l) => l.msg === 'telegram send failed after retries')).toBe(true);
    api.setDown(false);
    await channel.send(to, replies, { proactive: false, texts: RU });
    expect(api.messages(4242).map((c) => c.params.text)).toEqual(['один', 'два']);
  });

  it("resumes a batch named by the turn's inbox id where it stopped", async () => {
    await channel.send(to, [{ type: 'text', text: 'warm-up' }], { proactive: false, texts: RU });
    api.reset();
    const replies = [
      { type: 'text' as const, text: 'три' },
      { type: 'text' as const, text: 'четыре' },
    ];
    const first = api.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'три');
    const attempt = channel.send(to, replies, { proactive: false, texts: RU, messageId: 'turn-7' });
    await first;
    api.setDown(true);
    await expect(attempt).rejects.toBeInstanceOf(TelegramDeliveryError);
    api.setDown(false);
    // another turn with the same words is its own batch, sent whole, not resumed from turn 7's progress
    await channel.send(to, replies, { proactive: false, texts: RU, messageId: 'turn-8' });
    await channel.send(to, replies, { proactive: false, texts: RU, messageId: 'turn-7' });
    expect(api.messages(4242).map((c) => c.params.text)).toEqual(['три', 'три', 'четыре', 'четыре']);
  });

  it('stops the batch with a permanent error (no retry) when the shopper blocked the bot', async () => {
    api.failNext('sendMessage', { kind: 'error', code: 403, description: 'Forbidden: bot was blocked by the user' });
    const sending = channel.send(
      to,
      [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
      { proactive: true, texts: RU },
    );
    await expect(sending).rejects.toBeInstanceOf(TelegramBlockedError);
    await expect(sending).rejects.toMatchObject({ permanentDelivery: true });
    expect(api.messages(4242)).toHaveLength(0);
  });

  it('shows a typing indicator', async () => {
    await channel.typing(to);
    expect(api.callsTo('sendChatAction')[0]!.params).toMatchObject({ chat_id: '4242', action: 'typing' });
  });
});

describe('TelegramChannel.fetchMedia', () => {
  it('downloads a file via getFile and /file/bot<token>/<path>', async () => {
    const bytes = new Uint8Array(2048).fill(7);
    api.addFile(bytes, { fileId: 'AgAC-ok', filePath: 'photos/file_1.jpg' });
    const media = await channel.fetchMedia(to, 'AgAC-ok');
    expect(media.bytes.length).toBe(2048);
    expect(media.mime).toBe('image/jpeg');
    expect(media.filename).toBe('file_1.jpg');
  });

  it("refuses files over 20 MB with MediaTooLargeError (declared size and the API's own refusal)", async () => {
    api.addFile(undefined, { fileId: 'AgAC-huge', declaredSize: 25 * 1024 * 1024 });
    await expect(channel.fetchMedia(to, 'AgAC-huge')).rejects.toBeInstanceOf(MediaTooLargeError);
    const small = new TelegramChannel({ registry, log, maxMediaBytes: 1000 });
    api.addFile(new Uint8Array(5000), { fileId: 'AgAC-5k' });
    await expect(small.fetchMedia(to, 'AgAC-5k')).rejects.toBeInstanceOf(MediaTooLargeError);
  });

  it('reports unreadable files with MediaUnavailableError', async () => {
    await expect(channel.fetchMedia(to, 'no-such-file')).rejects.toBeInstanceOf(MediaUnavailableError);
    api.addFile(undefined, { fileId: 'AgAC-nopath', noPath: true, declaredSize: 10 });
    await expect(channel.fetchMedia(to, 'AgAC-nopath')).rejects.toBeInstanceOf(MediaUnavailableError);
  });
});

describe('TelegramChannel.send: the phone keyboard', () => {
  const question = {
    type: 'choices' as const,
    text: 'Ваш номер телефона?',
    options: [
      { id: 'contact', label: '📱 Отправить номер', request: 'contact' as const },
      { id: 'cancel', label: '✖️ Отмена' },
      { id: 'm', label: '👤 Позвать менеджера' },
    ],
  };
  const answer = [{ type: 'text' as const, text: '✅ Заявка принята.' }];

  it('asks with a one-time reply keyboard, and the next answer removes it', async () => {
    await channel.send(to, [question], { proactive: false, messageId: 'u1', texts: RU });
    // an alert meanwhile is no answer to the question: the keyboard stays
    await channel.send(to, [{ type: 'text', text: 'Цена снизилась!' }], { proactive: true, texts: RU });
    await channel.send(to, answer, { proactive: false, messageId: 'u2', texts: RU });
    await channel.send(to, [{ type: 'text', text: 'Ещё что-то?' }], { proactive: false, messageId: 'u3', texts: RU });
    const [asked, alert, answered, later] = api.messages(4242);
    expect(asked!.params).toMatchObject({
      text: 'Ваш номер телефона?',
      reply_markup: {
        keyboard: [
          [{ text: '📱 Отправить номер', request_contact: true }],
          [{ text: '✖️ Отмена' }, { text: '👤 Позвать менеджера' }],
        ],
        one_time_keyboard: true,
        resize_keyboard: true,
      },
    });
    // transcripts read it back as the question with its options (a text button stands for its label)
    expect(unrender([asked!])).toEqual([
      {
        type: 'choices',
        text: 'Ваш номер телефона?',
        options: [
          { id: 'contact', label: '📱 Отправить номер', request: 'contact' },
          { id: '✖️ Отмена', label: '✖️ Отмена' },
          { id: '👤 Позвать менеджера', label: '👤 Позвать менеджера' },
        ],
      },
    ]);
    expect(alert!.params.reply_markup).toBeUndefined();
    expect(answered!.params).toMatchObject({ text: '✅ Заявка принята.', reply_markup: { remove_keyboard: true } });
    expect(later!.params.reply_markup).toBeUndefined();
  });

  it('keeps the chats apart', async () => {
    const other: ConversationAddress = { ...to, chatId: '4343' };
    await channel.send(to, [question], { proactive: false, texts: RU });
    await channel.send(other, answer, { proactive: false, texts: RU });
    expect(api.messages(4343)[0]!.params.reply_markup).toBeUndefined();
  });
});
