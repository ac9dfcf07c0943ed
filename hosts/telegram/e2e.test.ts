import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { productHandle } from '../../engine/machine/handles.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadFixtures, type Fixtures } from '../cli/fixtures.ts';
import { TesseractOcr } from '../ocr/tesseract.ts';
import { parseTag } from './escalationTag.ts';
import { visibleText, type RecordedCall } from './testing/fakeBotApi.ts';
import { startTelegramHarness, type TelegramHarness, type TelegramHarnessOptions } from './testing/harness.ts';
import { recordingLog } from './testing/log.ts';
import { unrender } from './testing/unrender.ts';
import * as u from './testing/updates.ts';
import { SECRET_HEADER } from './routes.ts';

/**
 * One test per flow, end to end: Update JSON over HTTP → webhook → runtime (Redis state) →
 * engine → fixture catalog → channel port → grammY → fake Bot API. Photo search runs real
 * tesseract OCR on a fixture image.
 */

let fixtures: Fixtures;
let ocr: TesseractOcr;
const open: TelegramHarness[] = [];

beforeAll(async () => {
  fixtures = await loadFixtures();
  ocr = new TesseractOcr({ timeoutMs: 60_000 });
});
afterAll(async () => ocr.close());
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function harness(extra: Partial<TelegramHarnessOptions> = {}) {
  const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
  host.start({
    city: 'almaty',
    channel: 'telegram',
    lang: 'ru',
    at: '2026-11-26T10:00:00Z',
    vision: true,
    voice: true,
    extra: {},
  });
  const h = await startTelegramHarness({ scenario: fixtures.scenario, host, ...extra });
  open.push(h);
  return { h, host };
}

const texts = (calls: RecordedCall[]) =>
  calls.map((c) => visibleText(String(c.params.text ?? c.params.caption ?? ''), c.params.parse_mode));
const buttons = (call: RecordedCall | undefined) =>
  (
    (
      call?.params.reply_markup as
        | { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> }
        | undefined
    )?.inline_keyboard ?? []
  ).flat();
const fixtureImage = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../scenarios/fixtures/images/${name}`, import.meta.url)));
const SHOPPER = 5_550_001;

describe('Telegram end to end', () => {
  it('starts a new conversation in the language of the shopper’s Telegram', async () => {
    const { h } = await harness();
    const english = await h.send(
      SHOPPER + 7,
      u.commandUpdate(h.nextUpdateId(), u.shopper(SHOPPER + 7, 'John', { language_code: 'en-GB' }), '/start'),
    );
    expect(texts(english)[0]).toMatch(/Hello|Hi/);
    const kazakh = await h.send(
      SHOPPER + 8,
      u.commandUpdate(h.nextUpdateId(), u.shopper(SHOPPER + 8, 'Айдос', { language_code: 'kk' }), '/start'),
    );
    expect(texts(kazakh)[0]).toContain('Сәлем');
    // a language the bot does not speak falls back to the scenario's default
    const german = await h.send(
      SHOPPER + 9,
      u.commandUpdate(h.nextUpdateId(), u.shopper(SHOPPER + 9, 'Hans', { language_code: 'de' }), '/start'),
    );
    expect(texts(german)[0]).toContain('Здравствуйте');
  });

  it('greets on /start with the menu as an inline keyboard', async () => {
    const { h } = await harness();
    const sent = await h.command(SHOPPER, '/start');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('sendMessage');
    expect(sent[0]!.params.parse_mode).toBe('HTML');
    expect(texts(sent)[0]).toContain('Здравствуйте');
    expect(buttons(sent[0]).map((b) => b.text)).toContain('👤 Менеджер');
    // /start@our_bot in the form clients send from a group link works too
    const again = await h.send(SHOPPER, u.commandUpdate(h.nextUpdateId(), u.shopper(SHOPPER), '/help@zeta_almaty_bot'));
    expect(again.length).toBeGreaterThan(0);
  });

  it('searches: text, a photo album and a numbered list with details/alert buttons; paging and refinement', async () => {
    const { h } = await harness();
    const sent = await h.say(SHOPPER, 'хочу красный диван до 150000');
    expect(sent.map((c) => c.method)).toEqual(['sendMessage', 'sendMediaGroup', 'sendMessage']);
    expect(texts(sent)[0]).toMatch(/Нашёл 3/);
    const album = sent[1]!.params.media as Array<{ media: string; caption: string }>;
    expect(album.map((m) => m.media)).toEqual([
      'https://img.zeta.example/products/sofa-011.jpg',
      'https://img.zeta.example/products/sofa-003.jpg',
      'https://img.zeta.example/products/sofa-002.jpg',
    ]);
    for (const m of album) expect(visibleText(m.caption, 'HTML').length).toBeLessThanOrEqual(1024);
    const data = buttons(sent[2]).map((b) => b.callback_data);
    expect(data).toEqual(
      expect.arrayContaining([
        ...['p:SOFA-002', 'a:SOFA-002', 'p:SOFA-003', 'p:SOFA-011'].map(
          (id) => `${id.slice(0, 2)}${productHandle(id.slice(2))}`,
        ),
        'menu',
        'm',
      ]),
    );
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);

    const blue = await h.say(SHOPPER, 'а синий есть?');
    const list = unrender(blue).find((r) => r.type === 'products');
    expect(list?.type === 'products' && list.items.length).toBeGreaterThan(0);
    if (buttons(blue.at(-1)).some((b) => b.callback_data === 'more')) {
      const page2 = await h.tap(SHOPPER, 'more');
      expect(unrender(page2).some((r) => r.type === 'products')).toBe(true);
    }
  });

  it('opens a product card on a details tap and always answers the callback query', async () => {
    const { h } = await harness();
    await h.say(SHOPPER, 'хочу красный диван до 150000');
    const card = await h.tap(SHOPPER, 'p:SOFA-003');
    expect(card).toHaveLength(1);
    expect(card[0]!.method).toBe('sendPhoto');
    expect(card[0]!.params.photo).toBe('https://img.zeta.example/products/sofa-003.jpg');
    const caption = visibleText(String(card[0]!.params.caption), 'HTML');
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(caption).toMatch(/Артикул: SOFA-003/);
    expect(caption).toMatch(/₸/);
    expect(buttons(card[0]).map((b) => b.callback_data)).toEqual(
      expect.arrayContaining([`a:${productHandle('SOFA-003')}`, 'm']),
    );
    expect(h.api.callsTo('answerCallbackQuery')).toHaveLength(1);
  });

  it('finds a product from a photo of its price tag with real offline OCR', async () => {
    const { h } = await harness({ ocr, vision: null });
    const sent = await h.photo(SHOPPER, { name: 'tag-sofa-001.png', bytes: fixtureImage('tag-sofa-001.png') });
    expect(h.api.callsTo('sendChatAction').map((c) => c.params.action)).toContain('typing');
    expect(h.api.callsTo('getFile')).toHaveLength(1);
    const replies = unrender(sent);
    expect(replies).toContainEqual(
      expect.objectContaining({
        type: 'products',
        view: 'detail',
        items: [expect.objectContaining({ sku: 'SOFA-001' })],
      }),
    );
  }, 60_000);

  it('apologises and offers a manager for a photo without a SKU when no vision provider is configured', async () => {
    const { h } = await harness({ ocr, vision: null });
    const sent = await h.photo(SHOPPER, { name: 'photo-blue-sofa.jpg', bytes: fixtureImage('photo-blue-sofa.jpg') });
    expect(texts(sent).join('\n')).toMatch(/Извините, не смог найти товар по фото/);
    expect(buttons(sent.at(-1)).map((b) => b.callback_data)).toContain('m');
  }, 60_000);

  it('answers politely for a photo over 20 MB and for an unreadable one; the process carries on', async () => {
    const { h } = await harness({ ocr, vision: null });
    const huge = await h.photo(SHOPPER, { name: 'huge.jpg', declaredSize: 25 * 1024 * 1024 });
    expect(texts(huge).join('\n')).toMatch(/больше 20 МБ/);
    const garbage = await h.photo(SHOPPER, { name: 'garbage.jpg', bytes: new Uint8Array([0xff, 0xd8, 1, 2, 3, 4, 5]) });
    expect(texts(garbage).join('\n')).toMatch(/Извините/);
    expect((await h.say(SHOPPER, 'SOFA-001')).length).toBeGreaterThan(0);
  }, 60_000);

  it('asks to type when a voice note arrives and no transcription provider is configured', async () => {
    const { h } = await harness({ transcriber: null });
    const sent = await h.voice(SHOPPER, { name: 'red-sofa.oga' });
    expect(texts(sent).join('\n')).toMatch(/не могу прослушать голосовое/);
  });

  it('price alert: subscribe from the card, the price drops, the notification carries the product card with its photo', async () => {
    const { h, host } = await harness();
    await h.say(SHOPPER, 'SOFA-001');
    const subscribed = await h.tap(SHOPPER, 'a:SOFA-001');
    expect(texts(subscribed).join('\n')).toMatch(/Сообщу, когда/);
    const events = await host.admin({ kind: 'price', sku: 'SOFA-001', price: 220_000 }, '2026-11-27T10:00:00Z');
    expect(events.map((e) => e.type)).toEqual(['alert.digest']);
    const notified: RecordedCall[] = [];
    for (const event of events) notified.push(...(await h.deliver(SHOPPER, event)));
    expect(texts(notified)[0]).toMatch(/снижена/);
    const card = notified.find((c) => c.method === 'sendPhoto');
    expect(card?.params.photo).toBe('https://img.zeta.example/products/sofa-001.jpg');
    expect(visibleText(String(card?.params.caption), 'HTML')).toMatch(/220 000 ₸/);
  });

  it('escalation: managers are notified, a manager reply reaches the shopper, /resolve hands back to the bot', async () => {
    const { h } = await harness();
    const actions: string[] = [];
    h.telegram.onManagerAction((a) => void actions.push(`${a.action}:${a.escalationId}`));
    await h.say(SHOPPER, 'хочу красный диван до 150000');
    const asked = await h.say(SHOPPER, 'позовите менеджера');
    expect(texts(asked).join('\n')).toMatch(/Позвал менеджера/);

    const notice = h.api.messages(h.managersChatId)[0]!;
    const noticeText = visibleText(String(notice.params.text), 'HTML');
    expect(noticeText).toContain('хочу красный диван до 150000');
    const ref = parseTag(noticeText);
    expect(ref?.shopperChatId).toBe(String(SHOPPER));

    // while the manager has the chat the bot is silent and forwards the shopper's words
    expect(await h.say(SHOPPER, 'есть доставка в Каскелен?')).toHaveLength(0);
    expect(visibleText(String(h.api.messages(h.managersChatId).at(-1)!.params.text), 'HTML')).toContain(
      'есть доставка в Каскелен?',
    );
    // a photo reaches the managers as a photo, by the shopper's file_id, with the reference to reply to
    expect(
      await h.photo(SHOPPER, { name: 'my-sofa', bytes: new Uint8Array([0xff, 0xd8]) }, 'вот такой хочу'),
    ).toHaveLength(0);
    const photo = h.api.messages(h.managersChatId).at(-1)!;
    expect(photo.method).toBe('sendPhoto');
    expect(String(photo.params.photo)).toMatch(/^AgAC-my-sofa-/);
    expect(parseTag(visibleText(String(photo.params.caption), 'HTML'))).toEqual(ref);

    const answered = await h.managerSays(SHOPPER, 'Да, доставляем, 5 000 ₸.', 'Айгерим');
    expect(texts(answered)).toEqual(['👤 Айгерим: Да, доставляем, 5 000 ₸.']);

    const resolved = await h.managerSays(SHOPPER, '/resolve');
    expect(texts(resolved).join('\n')).toMatch(/Разговор с менеджером завершён/);
    expect(texts(h.api.messages(h.managersChatId)).at(-1)).toBe('✅ Диалог возвращён боту.');
    expect(actions).toEqual([`replied:${ref!.escalationId}`, `resolved:${ref!.escalationId}`]);

    const back = await h.say(SHOPPER, 'SOFA-001');
    expect(unrender(back)).toContainEqual(expect.objectContaining({ type: 'products', view: 'detail' }));
  });
});

describe('Telegram delivery guarantees', () => {
  it('answers an update delivered twice once', async () => {
    const { h } = await harness();
    const update = u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'SOFA-001');
    const first = await h.send(SHOPPER, update);
    const second = await h.send(SHOPPER, update);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toHaveLength(0);
  });

  async function fiftyInOrder(h: TelegramHarness, concurrent: boolean) {
    const chat = SHOPPER + (concurrent ? 1 : 2);
    const skus = Array.from({ length: 50 }, (_, i) => `ZZ-${String(i + 1).padStart(3, '0')}`);
    const updates = skus.map((sku) => u.textUpdate(h.nextUpdateId(), u.shopper(chat), sku));
    const turns: string[] = [];
    const off = h.runtime.onTurn((t) => t.conversationKey.endsWith(`:${chat}`) && turns.push(t.messageId));
    if (concurrent) {
      const statuses = await Promise.all(updates.map((up) => h.post(up).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    } else {
      // Telegram waits for our 200 before the next update; processing lags behind
      for (const up of updates) expect((await h.post(up)).status).toBe(200);
    }
    await h.settle();
    off();
    const answered = texts(h.api.messages(chat)).map((t) => /ZZ-\d{3}/.exec(t)?.[0]);
    // exactly one reply per update, in the order the turns ran
    const expected = turns.map((id) => skus[updates.findIndex((up) => String(up.update_id) === id)]);
    expect(turns).toHaveLength(50);
    expect(new Set(turns).size).toBe(50);
    expect(answered).toEqual(expected);
    return expected;
  }

  // ordering, not flooding, is under test here: the scenario's message limit is off
  const unlimited = () => ({
    scenario: { ...fixtures.scenario, limits: { ...fixtures.scenario.limits, messagesPerMinute: 0 } },
  });

  it('50 updates of one chat delivered concurrently: exactly one reply each, in turn order', async () => {
    const { h } = await harness(unlimited());
    await fiftyInOrder(h, true);
  }, 60_000);

  it('50 updates of one chat acknowledged one after another: replies in update order (embedded state on PostgreSQL)', async () => {
    let db: TestDatabase | undefined;
    const { h } = await harness({
      ...unlimited(),
      state: async () => {
        db = await createTestDatabase('postgres');
        const state = await createStateBackend({ db: db.db, keyPrefix: 'tg-e2e:' });
        return { ...state, close: async () => (await state.close(), await db!.close()) };
      },
    });
    const order = await fiftyInOrder(h, false);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => `ZZ-${String(i + 1).padStart(3, '0')}`));
  }, 60_000);

  it('a chat flooding the webhook: one calm reply past the limit, every update acknowledged, the next chat answered', async () => {
    const { h } = await harness({
      scenario: { ...fixtures.scenario, limits: { ...fixtures.scenario.limits, messagesPerMinute: 2 } },
    });
    const flood = SHOPPER + 3;
    const limited: string[] = [];
    const off = h.runtime.onTurn((t) => t.rateLimited && limited.push(t.messageId));
    const updates = Array.from({ length: 6 }, (_, i) => u.textUpdate(h.nextUpdateId(), u.shopper(flood), `диван ${i}`));
    const statuses = await Promise.all(updates.map((up) => h.post(up).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    await h.settle();
    off();
    const calm = fixtures.scenario.limits.tooManyMessages.ru;
    expect(texts(h.api.messages(flood)).filter((t) => t === calm)).toHaveLength(1);
    expect(limited).toHaveLength(4);
    expect(texts(await h.say(SHOPPER + 4, 'диван')).join('\n')).toContain('Нашёл');
  });

  it('a slow photo in one chat blocks neither the webhook nor another chat', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowOcr = { read: async () => (await gate, 'Артикул: SOFA-001') };
    const { h } = await harness({ ocr: slowOcr, vision: null });
    h.api.addFile(fixtureImage('tag-sofa-001.png'), { fileId: 'AgAC-slow', filePath: 'photos/slow.png' });
    const slowChat = SHOPPER + 10;
    // the webhook answers while OCR is still running
    expect((await h.post(u.photoUpdate(h.nextUpdateId(), u.shopper(slowChat), 'AgAC-slow'))).status).toBe(200);
    await h.api.waitFor((c) => c.method === 'sendChatAction' && String(c.params.chat_id) === String(slowChat));
    expect((await h.post(u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'SOFA-002'))).status).toBe(200);
    const other = await h.api.waitFor((c) => c.method === 'sendPhoto' && String(c.params.chat_id) === String(SHOPPER));
    expect(String(other.params.caption)).toContain('SOFA-002');
    expect(h.api.messages(slowChat)).toHaveLength(0);
    release();
    await h.settle();
    expect(unrender(h.api.messages(slowChat))).toContainEqual(
      expect.objectContaining({ type: 'products', items: [expect.objectContaining({ sku: 'SOFA-001' })] }),
    );
  });

  it('Bot API down: bounded retries, a logged failure, the process stays up, the reply goes out when the API is back', async () => {
    const log = recordingLog();
    const { h } = await harness({ log });
    await h.command(SHOPPER, '/start');
    h.api.setDown(true);
    const res = await h.post(u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'SOFA-001'));
    expect(res.status).toBe(200);
    await h.settle();
    expect(log.errors().map((l) => l.msg)).toContain('telegram send failed after retries');
    expect(h.api.calls.filter((c) => c.outcome === 'dropped').length).toBeGreaterThanOrEqual(3);
    h.api.setDown(false);
    // the runtime retries the committed-but-unsent replies on its own
    const card = await h.api.waitFor((c) => c.method === 'sendPhoto' && String(c.params.chat_id) === String(SHOPPER));
    expect(String(card.params.caption)).toContain('SOFA-001');
  }, 30_000);

  it('rejects bad webhook input over HTTP: 401 without the secret, 400 malformed, 413 too large, 200 for unknown types', async () => {
    const { h } = await harness();
    expect((await h.post(u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'hi'), {})).status).toBe(401);
    expect(
      (await h.post(u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'hi'), { [SECRET_HEADER]: 'wrong' })).status,
    ).toBe(401);
    expect((await h.post('{"update_id":')).status).toBe(400);
    expect((await h.post(u.textUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'x'.repeat(1_100_000)))).status).toBe(413);
    expect((await h.post({ update_id: h.nextUpdateId(), chat_boost: { chat: { id: 1 } } })).status).toBe(200);
    expect((await h.post(u.editedMessageUpdate(h.nextUpdateId(), u.shopper(SHOPPER), 'edit'))).status).toBe(200);
    await h.settle();
    expect(h.api.messages(SHOPPER)).toHaveLength(0);
  });

  it('long polling (local development) drives the same runtime', async () => {
    const { h } = await harness();
    const polling = await h.telegram.startPolling();
    try {
      h.api.pushUpdate(h.token, u.commandUpdate(h.nextUpdateId(), u.shopper(SHOPPER), '/start'));
      const hello = await h.api.waitFor(
        (c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(SHOPPER),
      );
      expect(visibleText(String(hello.params.text), 'HTML')).toMatch(/Здравствуйте/);
    } finally {
      await polling.stop();
    }
  });

  it("a shared contact reaches the conversation as a contact event, the sender's own only when its user id is theirs", async () => {
    const { h } = await harness();
    const me = u.shopper(SHOPPER);
    await h.send(SHOPPER, u.contactUpdate(h.nextUpdateId(), me, { phone: '77011234567' }));
    await h.send(SHOPPER, u.contactUpdate(h.nextUpdateId(), me, { phone: '77019998877', userId: SHOPPER + 1 }));
    const inbound = h.logged.filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.payload)).toMatchObject([
      { type: 'contact', phone: '+77011234567', own: true },
      { type: 'contact', phone: '+77019998877', own: false },
    ]);
    expect(inbound.map((m) => m.text)).toEqual(['[contact +77011234567]', '[contact +77019998877 other]']);
  });

  it('gives stickers and documents a friendly answer', async () => {
    const { h } = await harness();
    const sticker = await h.send(SHOPPER, u.stickerUpdate(h.nextUpdateId(), u.shopper(SHOPPER)));
    expect(sticker.length).toBeGreaterThan(0);
    const doc = await h.send(SHOPPER, u.documentUpdate(h.nextUpdateId(), u.shopper(SHOPPER)));
    expect(doc.length).toBeGreaterThan(0);
  });
});
