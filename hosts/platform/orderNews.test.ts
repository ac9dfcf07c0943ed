import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeOrderStatus, createOrder, getOrder } from '../../storage/orders/index.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { Logger } from '../runtime/ports.ts';
import { SECRET_HEADER } from '../telegram/routes.ts';
import { startFakeBotApi, visibleText, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';
import * as u from '../telegram/testing/updates.ts';
import { startFakeGraph, type FakeGraph } from '../whatsapp/testing/fakeGraph.ts';
import { envelope, message, signedRequest } from '../whatsapp/testing/payloads.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';
import { deliverOrderNews } from './orderNews.ts';

/**
 * Order news through the whole platform: a manager changes an order in the admin API and the
 * shopper reads it in their own channel — Telegram against the fake Bot API, WhatsApp against the
 * fake Graph API (after 24 hours of silence, as the city's template).
 */
const TG_TOKEN = '4242424242:orders-e2e';
const TG_SECRET = 'orders-e2e-secret';
const TG_SHOPPER = 77_000_777;
const WA_PHONE_ID = '106540352242977';
const WA_SECRET = 'wa-orders-secret';
const WA_SHOPPER = '77019990777';
const OWNER = { email: 'owner@orders.test', password: 'orders-owner-password' };
const silent: Logger = { info() {}, warn() {}, error() {} };

let botApi: FakeBotApi;
let graph: FakeGraph;
let db: TestDatabase;
let state: StateBackend;
let platform: Platform;
let token: string;
let now = new Date();
let updateId = 900_000;

beforeAll(async () => {
  botApi = await startFakeBotApi({ bots: { [TG_TOKEN]: { username: 'zeta_orders_bot' } } });
  graph = await startFakeGraph();
  db = await createTestDatabase('postgres');
  state = await createStateBackend({ db: db.db, keyPrefix: `orders-${randomUUID().slice(0, 6)}:` });
  const config = loadConfig({
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'orders-secret-orders-secret-orders-secret',
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: botApi.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    WHATSAPP_TOKEN: graph.token,
    WHATSAPP_PHONE_ID: WA_PHONE_ID,
    WHATSAPP_APP_SECRET: WA_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_API_BASE: graph.apiBase,
    WHATSAPP_TEMPLATE: 'order_update',
    DEMO_DATA: 'on',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  platform = await createPlatform(config, { database: db, state, log: silent, ocr: false, clock: () => now });
  await platform.start();
  await platform.telegram.registry.init();
  await logIn();
}, 120_000);

async function logIn() {
  const login = await platform.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
}

afterAll(async () => {
  await platform?.close();
  await state?.close();
  await db?.close();
  await botApi?.close();
  await graph?.close();
});

const api = (method: string, path: string, body?: unknown) =>
  platform.app.request(`/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function placeOrder(
  conversationKey: string,
  delivery: { kind: 'pickup'; store: string } | { kind: 'delivery'; address: string },
) {
  const city = await db.db.selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow();
  const product = await db.db
    .selectFrom('products')
    .select(['id', 'price'])
    .where('city_id', '=', city.id)
    .where('is_available', '=', true)
    .orderBy('sku')
    .executeTakeFirstOrThrow();
  return createOrder(db.db, {
    cityId: city.id,
    channel: conversationKey.startsWith('telegram') ? 'telegram' : 'whatsapp',
    conversationKey,
    customer: { name: 'Айгерим', phone: '+77010000000' },
    delivery,
    paymentMethod: 'kaspi',
    items: [{ productId: product.id, quantity: 2 }],
  });
}

const telegramTexts = () =>
  botApi.messages(TG_SHOPPER).map((c) => visibleText(String(c.params.text ?? ''), c.params.parse_mode));

describe('order news reaches the shopper', () => {
  it('Telegram: marked paid by hand (Kaspi), confirmed, ready for pickup — each told once; an illegal move tells nothing', async () => {
    const hello = await platform.app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: TG_SECRET },
      body: JSON.stringify(u.textUpdate(++updateId, u.shopper(TG_SHOPPER), 'привет')),
    });
    expect(hello.status).toBe(200);
    await platform.runtime.idle();
    const order = await placeOrder(`telegram:almaty:${TG_SHOPPER}`, { kind: 'pickup', store: 'ТРЦ Mega' });
    const total = new Intl.NumberFormat('ru-RU').format(order.total).replace(/\u00a0/g, ' ');

    const paid = await api('POST', `/orders/${order.id}/payments`, { reference: 'KASPI-123' });
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as { outcome: string }).outcome).toBe('paid');
    await vi.waitFor(() => expect(telegramTexts().join('\n')).toMatch(`Заказ № ${order.number} оплачен`), 10_000);
    expect(
      telegramTexts()
        .at(-1)
        ?.replace(/\u00a0/g, ' '),
    ).toContain(total);

    for (const action of ['confirm', 'ready'])
      expect((await api('POST', `/orders/${order.id}/status`, { action })).status).toBe(200);
    await vi.waitFor(
      () => expect(telegramTexts().join('\n')).toMatch(`Заказ № ${order.number} готов к выдаче: ТРЦ Mega`),
      10_000,
    );

    const illegal = await api('POST', `/orders/${order.id}/status`, { action: 'ship' });
    expect(illegal.status).toBe(409);
    expect(((await illegal.json()) as { error: { message: string } }).error.message).toMatch(
      /cannot become shipped \(next can be: completed, cancelled\)/,
    );
    await deliverOrderNews({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent });
    await platform.runtime.idle();
    const told = telegramTexts().filter((t) => t.includes(`№ ${order.number}`));
    expect(told).toHaveLength(3);
    const detail = await getOrder(db.db, order.id);
    expect(detail!.events.every((e) => e.notifiedAt !== null)).toBe(true);
  });

  it('WhatsApp after 24 hours of silence: the status change goes out as the city template', async () => {
    const res = await platform.app.request('/webhooks/whatsapp', {
      method: 'POST',
      ...(() => {
        const signed = signedRequest(
          envelope(
            { phoneNumberId: WA_PHONE_ID },
            { messages: [message({ type: 'text', body: 'привет' }, { from: WA_SHOPPER, at: now })] },
          ),
          WA_SECRET,
        );
        return { body: signed.body, headers: signed.headers };
      })(),
    });
    expect(res.status).toBe(200);
    await platform.runtime.idle();
    const order = await placeOrder(`whatsapp:almaty:${WA_SHOPPER}`, { kind: 'delivery', address: 'Абая 10' });
    now = new Date(now.getTime() + 25 * 3600_000);
    await logIn(); // the access token expired with the day
    const sentBefore = graph.sent.length;
    const before = graph.sentTo(WA_SHOPPER).length;
    expect((await api('POST', `/orders/${order.id}/status`, { action: 'cancel', note: 'нет в наличии' })).status).toBe(
      200,
    );
    await graph.waitForSent(sentBefore + 1);
    const sent = graph.sentTo(WA_SHOPPER).slice(before);
    expect(sent.map((m) => m.type)).toEqual(['template']);
    const template = (sent[0]!.body as { template: { name: string } }).template;
    expect(template.name).toBe('order_update');
    expect(JSON.stringify(template)).toContain(`Заказ № ${order.number} отменён`);
  });

  it('a change the API did not announce (a crash before telling) is told by the sweep, once', async () => {
    const order = await placeOrder(`telegram:almaty:${TG_SHOPPER}`, { kind: 'delivery', address: 'Абая 1' });
    await changeOrderStatus(db.db, order.id, 'awaiting_payment', { kind: 'system' });
    const sweep = () => deliverOrderNews({ db: db.db, runtime: platform.runtime, clock: () => now, log: silent });
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    await platform.runtime.idle();
    await vi.waitFor(() => expect(telegramTexts().at(-1)).toMatch(`Заказ № ${order.number} ждёт оплаты`), 10_000);
  });
});
