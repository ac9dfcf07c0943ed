import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productHandle } from '../../engine/machine/handles.ts';
import type { Product } from '../../engine/catalog.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import type { CatalogPort } from '../runtime/ports.ts';
import { loadFixtures, type Fixtures } from '../cli/fixtures.ts';
import { createProfilePort } from '../profiles/profilePort.ts';
import { statePreferenceStore } from '../profiles/store.ts';
import { GRAPH_ERRORS, type SentMessage } from './testing/fakeGraph.ts';
import { limitViolations } from './testing/checkLimits.ts';
import { startWhatsAppHarness, type Harness } from './testing/harness.ts';
import { envelope, message, newWamid } from './testing/payloads.ts';
import { readFileSync } from 'node:fs';
import { redisTestState } from './testing/redis.ts';

/**
 * End to end per flow: a signed webhook in Meta's shape → the real Hono route → the conversation
 * runtime (durable inbox on Redis) → the engine with the default scenario → the WhatsApp channel →
 * the fake Graph API. Preferences are the real ProfilePort on the state backend.
 */

let fixtures: Fixtures;
let h: Harness;
let seq = 0;
const shopper = () => `7702${String(++seq).padStart(7, '0')}`;

type Interactive = {
  type: 'list' | 'button';
  header?: { type: string; image?: { link: string } };
  body: { text: string };
  action: {
    button?: string;
    buttons?: { reply: { id: string; title: string } }[];
    sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  };
};
const interactive = (m: SentMessage) => m.body.interactive as Interactive;
const rows = (m: SentMessage, section = 0) => interactive(m).action.sections?.[section]?.rows ?? [];
const rowIds = (m: SentMessage, section = 0) => rows(m, section).map((r) => r.id);
const texts = (sent: SentMessage[]) =>
  sent.flatMap((m) =>
    m.type === 'text'
      ? [(m.body.text as { body: string }).body]
      : m.type === 'interactive'
        ? [interactive(m).body.text]
        : m.type === 'image'
          ? [(m.body.image as { caption?: string }).caption ?? '']
          : [],
  );
const lists = (sent: SentMessage[]) => sent.filter((m) => m.type === 'interactive' && interactive(m).type === 'list');

beforeAll(async () => {
  fixtures = await loadFixtures();
  const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
  const prefsState = await redisTestState('wa-prefs');
  const catalog: CatalogPort = {
    search: async (_city, criteria, page, size) => host.search(criteria, page, size),
    bySku: async (_city, sku) => host.findSku(sku) as Product | null,
  };
  h = await startWhatsAppHarness({
    scenario: fixtures.scenario,
    host,
    profiles: createProfilePort({ store: statePreferenceStore(prefsState.snapshots), catalog }),
    templateName: 'zeta_update',
  });
  const close = h.close;
  h.close = async () => {
    await close();
    await prefsState.close();
  };
});
afterAll(async () => {
  // every payload sent during the file respected WhatsApp's limits
  const violations = h.graph.sent.flatMap((m) => limitViolations(m.body).map((v) => `${m.wamid}: ${v}`));
  await h.close();
  expect(violations).toEqual([]);
});

describe('WhatsApp end to end', () => {
  it('greets with the menu as one list message', async () => {
    const from = shopper();
    const sent = await h.say(from, { type: 'text', body: '/start' });
    expect(sent).toHaveLength(1);
    const menu = sent[0]!;
    expect(menu.body).toMatchObject({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: from,
      type: 'interactive',
    });
    expect(interactive(menu).type).toBe('list');
    expect(interactive(menu).body.text).toMatch(/^Здравствуйте!/);
    expect(rows(menu).map((r) => r.title)).toContain('Диваны');
    expect(menu.phoneNumberId).toBe(h.phoneNumberId);
  });

  it('searches → list; list_reply → product detail; refinement → new list', async () => {
    const from = shopper();
    const found = await h.say(from, { type: 'text', body: 'хочу красный диван до 150000' });
    expect(found).toHaveLength(1);
    const list = found[0]!;
    expect(interactive(list).body.text).toBe('Нашёл 3 — страница 1 из 1:');
    expect(rowIds(list)).toEqual(['SOFA-011', 'SOFA-003', 'SOFA-002'].map((sku) => `p:${productHandle(sku)}`));
    expect(rows(list)[0]!.description).toMatch(/₸/);
    expect(rows(list, 1).map((r) => r.title)).toEqual(['Меню', '👤 Менеджер']);

    const detail = await h.say(from, { type: 'list_reply', id: 'p:SOFA-003', title: rows(list)[1]!.title });
    expect(detail).toHaveLength(1);
    const card = interactive(detail[0]!);
    expect(card.type).toBe('button');
    expect(card.header).toEqual({
      type: 'image',
      image: { link: fixtures.catalog.find((p) => p.sku === 'SOFA-003')!.imageUrl },
    });
    expect(card.body.text).toContain(fixtures.catalog.find((p) => p.sku === 'SOFA-003')!.name);
    expect(card.action.buttons!.map((b) => b.reply.id)).toContain(`a:${productHandle('SOFA-003')}`);

    const refined = await h.say(from, { type: 'text', body: 'а синий есть?' });
    const blue = lists(refined)[0]!;
    const handles = rowIds(blue).map((id) => id.slice(2));
    expect(handles.length).toBeGreaterThan(0);
    for (const handle of handles)
      expect(fixtures.catalog.find((p) => productHandle(p.sku) === handle)).toMatchObject({
        category: 'sofa',
        color: 'blue',
      });
  });

  it('price alert: a drop after 24 hours of silence goes out as the template; inside the window as normal messages', async () => {
    const late = shopper();
    await h.say(late, { type: 'text', body: 'SOFA-001' });
    const subscribed = await h.say(late, { type: 'button_reply', id: 'a:SOFA-001', title: 'Следить за ценой' });
    expect(texts(subscribed).join('\n')).toMatch(/Сообщу/);
    const early = shopper();
    await h.say(early, { type: 'text', body: 'SOFA-001' });
    await h.say(early, { type: 'button_reply', id: 'a:SOFA-001', title: 'Следить за ценой' });

    // a day and an hour later; the second shopper wrote an hour ago
    const start = h.now().getTime();
    await h.advance(new Date(start + 24 * 3600_000));
    await h.say(early, { type: 'text', body: 'спасибо' });
    await h.advance(new Date(start + 25 * 3600_000));

    const product = { ...fixtures.catalog.find((p) => p.sku === 'SOFA-001')!, price: 220_000 };
    const drop = {
      type: 'price.dropped' as const,
      product,
      oldPrice: 250_000,
      newPrice: 220_000,
      alertId: 'alert-1',
      at: h.now().toISOString(),
    };
    const toLate = await h.deliver(late, drop);
    expect(toLate).toHaveLength(1);
    expect(toLate[0]!.body).toMatchObject({
      type: 'template',
      template: { name: 'zeta_update', language: { code: 'ru' } },
    });
    const param = (toLate[0]!.body.template as { components: { parameters: { text: string }[] }[] }).components[0]!
      .parameters[0]!.text;
    expect(param).toContain('Диван угловой Монако');
    expect(param).toContain('220 000');
    expect(param).not.toMatch(/\n/);

    const toEarly = await h.deliver(early, { ...drop, alertId: 'alert-2' });
    expect(toEarly.map((m) => m.type)).not.toContain('template');
    expect(texts(toEarly).join('\n')).toContain('🔔 Цена на «Диван угловой Монако» снижена!');
  });

  it("a template goes out in the shopper's language when the template exists in it, else in the city's", async () => {
    const kazakh = shopper();
    await h.say(kazakh, { type: 'text', body: 'сәлеметсіз бе, қызыл диван керек' });
    const english = shopper();
    await h.say(english, { type: 'text', body: 'hello, do you have red sofas?' });
    await h.advance(new Date(h.now().getTime() + 30 * 3600_000));
    const language = (sent: { type: string; body: Record<string, unknown> }[]) =>
      (sent[0]!.body.template as { language: { code: string } }).language.code;
    // the harness's template is approved in ru and kk
    expect(
      language(await h.deliver(kazakh, { type: 'manager.replied', text: 'Диван келді', at: h.now().toISOString() })),
    ).toBe('kk');
    expect(
      language(
        await h.deliver(english, { type: 'manager.replied', text: 'The sofa is here', at: h.now().toISOString() }),
      ),
    ).toBe('ru');
  });

  it('escalation: the manager reply is relayed; after 24 hours it becomes the template', async () => {
    const from = shopper();
    const asked = await h.say(from, { type: 'text', body: 'позовите менеджера' });
    expect(texts(asked).join('\n')).toMatch(/менеджер/i);
    const relayed = await h.deliver(from, {
      type: 'manager.replied',
      text: 'Здравствуйте, я Айгерим. Чем помочь?',
      managerName: 'Айгерим',
      at: h.now().toISOString(),
    });
    expect(texts(relayed)).toEqual(['👤 Айгерим: Здравствуйте, я Айгерим. Чем помочь?']);

    await h.advance(new Date(h.now().getTime() + 30 * 3600_000));
    const late = await h.deliver(from, {
      type: 'manager.replied',
      text: 'Диван приехал на склад',
      managerName: 'Айгерим',
      at: h.now().toISOString(),
    });
    expect(late.map((m) => m.type)).toEqual(['template']);
  });

  it('a voice note without a transcription provider → please type', async () => {
    const from = shopper();
    h.graph.addMedia('voice-1', { bytes: new Uint8Array([79, 103, 103, 83]), mime: 'audio/ogg; codecs=opus' });
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    host.start({
      city: 'almaty',
      channel: 'whatsapp',
      lang: 'ru',
      at: h.now().toISOString(),
      vision: true,
      voice: false,
      extra: {},
    });
    const noVoice = await startWhatsAppHarness({ scenario: fixtures.scenario, host, start: h.now().toISOString() });
    try {
      noVoice.graph.addMedia('voice-1', { bytes: new Uint8Array([79, 103, 103, 83]), mime: 'audio/ogg; codecs=opus' });
      const sent = await noVoice.say(from, { type: 'audio', mediaId: 'voice-1', voice: true });
      expect(texts(sent)).toEqual([
        'Извините, не могу прослушать голосовое сообщение. Напишите, пожалуйста, текстом 🙏',
      ]);
      // the voice note itself was downloaded with the bearer token
      expect(noVoice.graph.requests.filter((r) => r.path.includes('voice-1')).every((r) => r.authorized)).toBe(true);
    } finally {
      await noVoice.close();
    }
  });

  it('a photo of a price tag → the product card; "typing…" shown against the photo while it is read', async () => {
    const from = shopper();
    h.graph.addMedia('tag-sofa-001.png', {
      bytes: new Uint8Array(readFileSync(new URL('../../scenarios/fixtures/images/tag-sofa-001.png', import.meta.url))),
      mime: 'image/png',
    });
    const photoId = newWamid();
    const sent = await h.say(from, { type: 'image', mediaId: 'tag-sofa-001.png' }, { id: photoId });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.biz_opaque_callback_data).toBe('detail:SOFA-001');
    expect(h.graph.reads).toContainEqual({ phoneNumberId: h.phoneNumberId, messageId: photoId, typing: true });
  });

  it('a photo whose download fails, or whose media id expired, gets a polite reply', async () => {
    const from = shopper();
    h.graph.addMedia('broken-photo', { bytes: new Uint8Array([1]), mime: 'image/jpeg', downloadStatus: 500 });
    const broken = await h.say(from, { type: 'image', mediaId: 'broken-photo', caption: 'такой есть?' });
    expect(texts(broken)[0]).toBe(
      'Извините, не смог найти товар по фото. Напишите артикул или позовите менеджера — он поможет.',
    );
    h.graph.addMedia('old-photo', { bytes: new Uint8Array([1]), mime: 'image/jpeg', expired: true });
    const expired = await h.say(from, { type: 'image', mediaId: 'old-photo' });
    expect(texts(expired)[0]).toBe(
      'Извините, не смог найти товар по фото. Напишите артикул или позовите менеджера — он поможет.',
    );
  });

  it('a photo sent as a file is read like a photo; one over the limit and other documents get a clear answer', async () => {
    const from = shopper();
    const other = shopper();
    h.graph.addMedia('tag-sofa-001.png', {
      bytes: new Uint8Array(readFileSync(new URL('../../scenarios/fixtures/images/tag-sofa-001.png', import.meta.url))),
      mime: 'image/png',
    });
    const asFile = await h.say(from, {
      type: 'document',
      mediaId: 'tag-sofa-001.png',
      filename: 'tag.png',
      mime: 'image/png',
    });
    expect(asFile[0]!.body.biz_opaque_callback_data).toBe('detail:SOFA-001');
    h.graph.addMedia('huge-photo', { bytes: new Uint8Array([1]), mime: 'image/jpeg', fileSize: 25 * 1024 * 1024 });
    const huge = await h.say(from, {
      type: 'document',
      mediaId: 'huge-photo',
      filename: 'IMG_0042.JPG',
      mime: 'image/jpeg',
    });
    expect(texts(huge)).toEqual([fixtures.scenario.texts.ru.photoTooLarge]);
    // the oversized file was never downloaded
    expect(h.graph.requests.some((r) => r.path === '/media/huge-photo')).toBe(false);
    const pdf = await h.say(from, { type: 'document', mediaId: 'D-price', filename: 'price.pdf' });
    expect(texts(pdf)).toEqual([fixtures.scenario.texts.ru.documentUnsupported]);
    expect(texts(await h.say(other, { type: 'text', body: '/start' }))[0]).toContain('Здравствуйте');
  });

  it('keeps the last 10 messages of context for a WhatsApp conversation', async () => {
    const from = shopper();
    for (const text of ['привет', 'диваны', 'а синий есть?', 'кровати', 'спасибо', 'меню', 'столы'])
      await h.say(from, { type: 'text', body: text });
    const stored = await h.state.snapshots.read(`whatsapp:${h.city}:${from}`);
    const history = (JSON.parse(stored!.data) as { p: { snapshot: { context: { history: unknown[] } } } }).p.snapshot
      .context.history;
    expect(history).toHaveLength(10);
  });

  it("the «📱» number button and a shared card reach the conversation as contact events, own only for the sender's number", async () => {
    const from = shopper();
    await h.say(from, { type: 'button_reply', id: 'contact', title: '📱 +7 702 …' });
    await h.say(from, {
      type: 'contacts',
      name: 'Жена',
      phones: [{ phone: '+7 701 999 88 77', wa_id: '77019998877' }],
    });
    const inbound = h.logged.filter((m) => m.direction === 'in' && m.address.chatId === from);
    expect(inbound.map((m) => m.payload)).toMatchObject([
      { type: 'contact', phone: `+${from}`, own: true },
      { type: 'contact', phone: '+77019998877', own: false },
    ]);
  });

  it('stickers get a friendly reply; reactions are not answered', async () => {
    const from = shopper();
    const sticker = await h.say(from, { type: 'sticker', mediaId: 'S-1' });
    expect(sticker.length).toBeGreaterThan(0);
    const reaction = await h.say(from, { type: 'reaction', messageId: sticker[0]!.wamid, emoji: '👍' });
    expect(reaction).toEqual([]);
  });

  it('answers a message once when Meta repeats it within one POST and across POSTs', async () => {
    const from = shopper();
    const m = message({ type: 'text', body: 'диваны' }, { from, id: newWamid(), at: h.now() });
    const before = h.graph.sentTo(from).length;
    expect((await h.post(envelope({ phoneNumberId: h.phoneNumberId }, { messages: [m, m] }))).status).toBe(200);
    expect((await h.post(envelope({ phoneNumberId: h.phoneNumberId }, { messages: [m] }))).status).toBe(200);
    await h.runtime.idle();
    expect((await h.post(envelope({ phoneNumberId: h.phoneNumberId }, { messages: [m] }))).status).toBe(200);
    await h.runtime.idle();
    expect(h.graph.sentTo(from).length - before).toBe(1);
  });

  it('Graph down while answering: the reply is not lost — the runtime sends it again once Graph recovers', async () => {
    const from = shopper();
    // every try of the first answer fails (the client retries twice itself), then Graph is back
    h.graph.failSend(GRAPH_ERRORS.server, { to: from, times: 3 });
    const total = h.graph.sent.length;
    const res = await h.post(
      envelope(
        { phoneNumberId: h.phoneNumberId },
        { messages: [message({ type: 'text', body: 'диваны' }, { from, at: h.now() })] },
      ),
    );
    expect(res.status).toBe(200);
    await h.graph.waitForSent(total + 1);
    await h.runtime.idle();
    const sent = h.graph.sentTo(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe('interactive');
  });

  it('a reply Meta refuses for good (131026, undeliverable) is dead-lettered at once, not retried; others flow', async () => {
    const from = shopper();
    h.graph.failSend(GRAPH_ERRORS.undeliverable, { to: from, times: 5 });
    const tries = () => h.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length;
    const before = tries();
    const res = await h.post(
      envelope(
        { phoneNumberId: h.phoneNumberId },
        { messages: [message({ type: 'text', body: 'диваны' }, { from, at: h.now() })] },
      ),
    );
    expect(res.status).toBe(200);
    await h.runtime.idle();
    expect(h.graph.sentTo(from)).toHaveLength(0);
    const letter = h.deadLetters.find((d) => d.address.chatId === from);
    expect(letter).toMatchObject({ kind: 'delivery', attempts: 1, event: { type: 'text', text: 'диваны' } });
    expect(letter!.error).toMatch(/131026/);
    expect(letter!.replies.length).toBeGreaterThan(0);
    // one try: the client does not retry a refusal, the runtime does not send it again
    expect(tries() - before).toBe(1);
    const other = shopper();
    expect(await h.say(other, { type: 'text', body: 'диваны' })).toHaveLength(1);
  });

  it('a failed status with 131047 for a proactive message sends the template instead, once', async () => {
    const from = shopper();
    await h.say(from, { type: 'text', body: 'позовите менеджера' });
    const relayed = await h.deliver(from, {
      type: 'manager.replied',
      text: 'Диван приехал на склад',
      managerName: 'Айгерим',
      at: h.now().toISOString(),
    });
    const failed = {
      id: relayed[0]!.wamid,
      status: 'failed' as const,
      recipient: from,
      error: { code: 131047, title: 'Re-engagement message' },
    };
    const res = await h.statuses([failed]);
    expect(res.status).toBe(200);
    expect((await h.statuses([failed])).status).toBe(200);
    await h.channel.idle();
    const after = h.graph.sentTo(from);
    expect(after.at(-1)!.type).toBe('template');
    expect(after.filter((m) => m.type === 'template')).toHaveLength(1);
    expect(h.tracked.filter((t) => t.name === 'whatsapp.status' && t.props?.errorCode === 131047)).toHaveLength(2);
  });

  it('a reply to the shopper is not remembered for a late 131047: it went out inside the window', async () => {
    const from = shopper();
    const sent = await h.say(from, { type: 'text', body: 'меню' });
    await h.statuses([
      {
        id: sent[0]!.wamid,
        status: 'failed',
        recipient: from,
        error: { code: 131047, title: 'Re-engagement message' },
      },
    ]);
    await h.channel.idle();
    expect(h.graph.sentTo(from).some((m) => m.type === 'template')).toBe(false);
  });

  it('recommendations follow what the shopper searched and opened; «забудь мои предпочтения» clears them', async () => {
    const from = shopper();
    const first = await h.say(from, { type: 'text', body: '/start' });
    expect(texts(first).join('\n')).not.toContain('Вам может понравиться');

    await h.say(from, { type: 'text', body: 'хочу красный диван до 150000' });
    await h.say(from, { type: 'list_reply', id: 'p:SOFA-002', title: 'Диван' });
    const again = await h.say(from, { type: 'text', body: '/start' });
    const suggested = lists(again).find((m) => interactive(m).body.text === 'Вам может понравиться:');
    expect(suggested, JSON.stringify(again.map((m) => m.body))).toBeDefined();
    const handles = rowIds(suggested!).map((id) => id.slice(2));
    expect(handles).not.toContain(productHandle('SOFA-002'));
    for (const handle of handles)
      expect(fixtures.catalog.find((p) => productHandle(p.sku) === handle)?.category).toBe('sofa');

    const forgot = await h.say(from, { type: 'text', body: 'забудь мои предпочтения' });
    expect(texts(forgot)).toContain('Хорошо, я забыл ваши предпочтения.');
    const clean = await h.say(from, { type: 'text', body: '/start' });
    expect(texts(clean).join('\n')).not.toContain('Вам может понравиться');
  });
});
