import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createProactiveSendQueue } from '../../storage/queue/index.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import { WhatsAppChannel } from './send.ts';
import { GraphClient } from './graphClient.ts';
import { GraphMediaError, GraphRateLimitError } from './graphErrors.ts';
import { NumberDirectory } from './numbers.ts';
import { staticNumbers } from './testing/staticNumbers.ts';
import { limitViolations } from './testing/checkLimits.ts';
import { GRAPH_ERRORS, startFakeGraph, type FakeGraph } from './testing/fakeGraph.ts';
import { status } from './testing/payloads.ts';
import { stateSentBatchStore } from './sentBatches.ts';
import { rateLimitedThrottle } from './throttle.ts';
import { stateWindowStore, type CustomerWindowStore } from './window.ts';
import { redisTestState } from './testing/redis.ts';
import { shippedTexts } from '../channel/testing/texts.ts';

const RU = shippedTexts('ru');

const silent: Logger = { info() {}, warn() {}, error() {} };
let graph: FakeGraph;
let state: StateBackend;
let window: CustomerWindowStore;
let client: GraphClient;
let now: Date;
let channel: WhatsAppChannel;

const numbers = new NumberDirectory(
  staticNumbers([
    { city: 'almaty', phoneNumberId: 'PN-ALMATY', templateName: 'zeta_price_drop', templateLang: 'ru' },
    { city: 'astana', phoneNumberId: 'PN-ASTANA' },
    {
      city: 'shymkent',
      phoneNumberId: 'PN-SHYMKENT',
      templateName: 'price_drop_v2',
      templateLang: 'kk',
      templateParams: ['productName', 'price'],
    },
  ]),
);

beforeAll(async () => {
  graph = await startFakeGraph();
  state = await redisTestState('wa-chan');
  window = stateWindowStore(state.snapshots);
  client = new GraphClient({ token: graph.token, apiBase: graph.apiBase, backoffMs: 1, maxRetries: 1 });
});
afterAll(async () => {
  await client.close();
  await graph.close();
  await state.close();
});
beforeEach(() => {
  graph.reset();
  now = new Date('2026-03-02T10:00:00Z');
  channel = new WhatsAppChannel({
    client,
    numbers,
    window,
    throttle: rateLimitedThrottle(state.rateLimiter, { prefix: `mps-${randomUUID()}:` }),
    clock: () => now,
    log: silent,
  });
});

let chatSeq = 0;
const shopper = (city = 'almaty'): ConversationAddress => ({
  channel: 'whatsapp',
  city,
  chatId: `7701${String(++chatSeq).padStart(7, '0')}`,
});

const priceDrop: Reply[] = [
  { type: 'text', text: 'Цена снизилась!\nДиван «Комфорт»: было 300 000 ₸, стало 250 000 ₸' },
  {
    type: 'products',
    view: 'detail',
    items: [
      {
        id: '1',
        sku: 'SOFA-001',
        name: 'Диван «Комфорт»',
        price: 250_000,
        currency: 'KZT',
        available: true,
        imageUrl: 'https://cdn/x.jpg',
        options: [{ id: 'p:SOFA-001', label: 'Подробнее' }],
      },
    ],
  },
];

describe('WhatsAppChannel', () => {
  it('answers inside the window with normal messages in the Graph envelope', async () => {
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 60_000));
    await channel.send(a, [{ type: 'text', text: 'Здравствуйте!' }], { proactive: false, texts: RU });
    expect(graph.sent).toHaveLength(1);
    expect(graph.sent[0]!.phoneNumberId).toBe('PN-ALMATY');
    expect(graph.sent[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: a.chatId,
      type: 'text',
      text: { body: 'Здравствуйте!', preview_url: false },
    });
  });

  it("asks for the phone with a button titled with the shopper's own number", async () => {
    const a: ConversationAddress = { channel: 'whatsapp', city: 'almaty', chatId: '77011234567' };
    await window.touch(a, new Date(now.getTime() - 60_000));
    const question: Reply = {
      type: 'choices',
      text: 'Ваш номер телефона?',
      options: [
        { id: 'contact', label: '📱 Отправить номер', request: 'contact' },
        { id: 'cancel', label: '✖️ Отмена' },
      ],
    };
    await channel.send(a, [question], { proactive: false, texts: RU });
    expect(graph.sentTo(a.chatId)[0]!.body.interactive).toMatchObject({
      type: 'button',
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'contact', title: '📱 +7 701 123 45 67' } },
          { type: 'reply', reply: { id: 'cancel', title: '✖️ Отмена' } },
        ],
      },
    });
  });

  it('sends a proactive message inside the window normally', async () => {
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 23 * 3600_000));
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    expect(graph.sent.map((m) => m.type)).toEqual(['text', 'interactive']);
  });

  it('sends a proactive message outside the 24-hour window as the city template', async () => {
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 25 * 3600_000));
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    expect(graph.sent).toHaveLength(1);
    const body = graph.sent[0]!.body;
    expect(body.type).toBe('template');
    expect(body.template).toEqual({
      name: 'zeta_price_drop',
      language: { code: 'ru' },
      components: [
        {
          type: 'body',
          parameters: [
            {
              type: 'text',
              text: 'Цена снизилась! · Диван «Комфорт»: было 300 000 ₸, стало 250 000 ₸ · Диван «Комфорт» — 250 000 ₸',
            },
          ],
        },
      ],
    });
    expect(limitViolations(body)).toEqual([]);
  });

  it("fills a city's template variables the way its bot config says", async () => {
    const a = shopper('shymkent');
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    expect(graph.sent[0]!.body.template).toEqual({
      name: 'price_drop_v2',
      language: { code: 'kk' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Диван «Комфорт»' },
            { type: 'text', text: '250 000 ₸' },
          ],
        },
      ],
    });
  });

  it('falls back to the template when Meta answers 131047', async () => {
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 60_000));
    graph.closeWindow(a.chatId);
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    expect(graph.sentTo(a.chatId).map((m) => m.type)).toEqual(['template']);
  });

  it('falls back to the template when a failed status with 131047 arrives later, once', async () => {
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 60_000));
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    const [first, second] = graph.sentTo(a.chatId);
    const failed = status({
      id: first!.wamid,
      status: 'failed',
      recipient: a.chatId,
      error: { code: 131047, title: 'Re-engagement message' },
    });
    await channel.onStatus(failed as never);
    await channel.onStatus(
      status({ id: second!.wamid, status: 'failed', recipient: a.chatId, error: { code: 131047 } }) as never,
    );
    await channel.idle();
    expect(graph.sentTo(a.chatId).map((m) => m.type)).toEqual(['text', 'interactive', 'template']);
  });

  it('a late 131047 reaching another replica still sends the template, once across replicas', async () => {
    // two replicas of the whatsapp role sharing Redis: one sent, the status webhooks land on either
    const sent = stateSentBatchStore(state.snapshots, { prefix: `wa-sent-${randomUUID().slice(0, 8)}:` });
    const sender = new WhatsAppChannel({ client, numbers, window, sent, clock: () => now, log: silent });
    const other = new WhatsAppChannel({ client, numbers, window, sent, clock: () => now, log: silent });
    const a = shopper();
    await window.touch(a, new Date(now.getTime() - 60_000));
    await sender.send(a, priceDrop, { proactive: true, texts: RU });
    const [first, second] = graph.sentTo(a.chatId);
    const failed = (id: string) =>
      status({
        id,
        status: 'failed',
        recipient: a.chatId,
        error: { code: 131047, title: 'Re-engagement message' },
      }) as never;
    // the replica that did not send hears of the failure
    await other.onStatus(failed(first!.wamid));
    await other.idle();
    expect(graph.sentTo(a.chatId).map((m) => m.type)).toEqual(['text', 'interactive', 'template']);
    // the batch's other message failing too, heard by both at once: no second template
    await Promise.all([sender.onStatus(failed(second!.wamid)), other.onStatus(failed(second!.wamid))]);
    await Promise.all([other.idle(), sender.idle()]);
    expect(graph.sentTo(a.chatId).map((m) => m.type)).toEqual(['text', 'interactive', 'template']);
  });

  it('drops a proactive message outside the window when the city has no template', async () => {
    const a = shopper('astana');
    await channel.send(a, priceDrop, { proactive: true, texts: RU });
    expect(graph.sent).toHaveLength(0);
  });

  it('throws a retryable error when nothing could be sent (the runtime sends again later)', async () => {
    const a = shopper();
    graph.failSend(GRAPH_ERRORS.throughput, { times: 2 });
    await expect(
      channel.send(a, [{ type: 'text', text: 'x' }], { proactive: false, texts: RU }),
    ).rejects.toBeInstanceOf(GraphRateLimitError);
    await channel.send(a, [{ type: 'text', text: 'x' }], { proactive: false, texts: RU });
    expect(graph.sent).toHaveLength(1);
  });

  it('fetches media and reports expired media as GraphMediaError', async () => {
    graph.addMedia('M1', { bytes: new Uint8Array([9, 9]), mime: 'audio/ogg' });
    expect((await channel.fetchMedia(shopper(), 'M1')).bytes.byteLength).toBe(2);
    graph.addMedia('M2', { bytes: new Uint8Array([9]), mime: 'image/jpeg', expired: true });
    await expect(channel.fetchMedia(shopper(), 'M2')).rejects.toBeInstanceOf(GraphMediaError);
  });

  it('sends proactive batches through the proactive-send queue, in order, template when the window is closed', async () => {
    const queue = await createProactiveSendQueue({ backoffMs: 1 });
    const queued = new WhatsAppChannel({ client, numbers, window, queue, clock: () => now, log: silent });
    await queue.start(queued.queueSender());
    const open = shopper();
    const closed = shopper();
    await window.touch(open, new Date(now.getTime() - 60_000));
    await queued.send(open, priceDrop, { proactive: true, texts: RU });
    await queued.send(closed, priceDrop, { proactive: true, texts: RU, messageId: 'inbox-7' });
    // the same turn's batch again (a resend after a crash) is one job
    await queued.send(closed, priceDrop, { proactive: true, texts: RU, messageId: 'inbox-7' });
    // an identical message from another turn is not
    await queued.send(closed, priceDrop, { proactive: true, texts: RU, messageId: 'inbox-8' });
    await graph.waitForSent(4);
    await queue.close();
    expect(graph.sentTo(open.chatId).map((m) => m.type)).toEqual(['text', 'interactive']);
    expect(graph.sentTo(closed.chatId).map((m) => m.type)).toEqual(['template', 'template']);
  });

  it('renders a queued batch with the channel words it was queued with; an older job without them with the shipped ones', async () => {
    const sender = channel.queueSender();
    const [kazakh, older] = [shopper(), shopper()];
    for (const a of [kazakh, older]) await window.touch(a, new Date(now.getTime() - 60_000));
    const choices = [
      { type: 'choices', options: ['Диван', 'Төсек', 'Үстел', 'Орындық'].map((label, n) => ({ id: `c:${n}`, label })) },
    ];
    const job = (address: ConversationAddress, extra: object) => ({
      id: randomUUID(),
      rateKey: 'whatsapp:PN-ALMATY',
      payload: JSON.stringify({ address, replies: choices, ...extra }),
    });
    await sender(job(kazakh, { lang: 'kk', texts: shippedTexts('kk') }), 1);
    await sender(job(older, { lang: 'kk' }), 1);
    const listOf = (chatId: string) =>
      graph.sentTo(chatId)[0]!.body.interactive as { body: { text: string }; action: { button: string } };
    expect(listOf(kazakh.chatId)).toMatchObject({ body: { text: 'Таңдаңыз:' }, action: { button: 'Таңдау' } });
    expect(listOf(older.chatId)).toMatchObject({ body: { text: 'Таңдаңыз:' }, action: { button: 'Таңдау' } });
  });

  it('paces proactive messages per business number on the shared rate limiter', async () => {
    let waits = 0;
    const throttle = rateLimitedThrottle(state.rateLimiter, {
      perSecond: 5,
      prefix: `mps-${randomUUID()}:`,
      sleep: (ms) => {
        waits += 1;
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    for (let n = 0; n < 11; n++) await throttle.wait('PN-ALMATY');
    // 11 messages at 5 per second cannot all go in the first second
    expect(waits).toBeGreaterThanOrEqual(2);
  });
});
