import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { Reply } from '../../engine/replies.ts';
import { buySofa, type ShopperDriver } from '../checkout/testing/purchase.ts';
import { startFakeBotApi, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';
import { telegramShopper } from '../telegram/testing/shopper.ts';
import { webSeen } from '../web/testing/shopper.ts';
import * as tg from '../telegram/testing/updates.ts';
import { SECRET_HEADER } from '../telegram/routes.ts';
import { startFakeGraph, type FakeGraph } from '../whatsapp/testing/fakeGraph.ts';
import { envelope, message, signedRequest } from '../whatsapp/testing/payloads.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * The dashboard's figures from real traffic: Telegram updates and signed WhatsApp webhooks go
 * through the whole platform (as `npm start` composes it) to the fake Bot API and Graph API, and
 * `GET /api/analytics` counts what the shoppers sent — nothing is inserted by hand. Purchases too:
 * a shopper buys through the chat (cart, checkout, order by the checkout port) and a manager marks
 * the Kaspi invoice paid through the admin API, and the funnel and revenue show it. On the embedded
 * default (PGlite + in-process state) and on PostgreSQL + Redis.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const TG_TOKEN = '5151515151:analytics-e2e';
const TG_SECRET = 'analytics-e2e-secret';
const WA_PHONE_ID = '106540352240001';
const WA_SECRET = 'analytics-wa-secret';

type Stats = {
  timezone: string;
  totals: { messages: number; activeShoppers: number; searches: number };
  byDay: { channel: string; messages: number }[];
  topQueries: { query: string; count: number }[];
  funnel: { shoppers: number; search: number; cart: number; order: number; paid: number };
  sales: {
    currency: string;
    byDay: { day: string; orders: number; paid: number; revenue: number }[];
    totals: { orders: number; paid: number; revenue: number };
  };
  responseTime: { p50Ms: number | null; p95Ms: number | null; samples: number };
};

describe.each(['embedded', 'production'] as const)('analytics from real traffic on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let botApi: FakeBotApi;
  let graph: FakeGraph;
  let token: string;
  // below the shared Telegram shopper's update ids (hosts/telegram/testing/shopper.ts): every update is new
  let updateId = 600_000;

  beforeAll(async () => {
    [botApi, graph] = await Promise.all([
      startFakeBotApi({ bots: { [TG_TOKEN]: { username: 'zeta_analytics_bot' } } }),
      startFakeGraph(),
    ]);
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const prefix = `zt:${randomBytes(4).toString('hex')}:`;
    const config = {
      ...loadConfig({
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        JWT_SECRET: 'test-secret-test-secret-test-secret',
        TELEGRAM_BOT_TOKEN: TG_TOKEN,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        WHATSAPP_TOKEN: graph.token,
        WHATSAPP_PHONE_ID: WA_PHONE_ID,
        WHATSAPP_APP_SECRET: WA_SECRET,
        WHATSAPP_VERIFY_TOKEN: 'verify',
        WHATSAPP_API_BASE: graph.apiBase,
        ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
      }),
      port: 0,
      host: '127.0.0.1',
    };
    const state =
      kind === 'production'
        ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
        : undefined;
    platform = await createPlatform(config, {
      log: quiet,
      database,
      ocr: false,
      keyPrefix: prefix,
      ...(state ? { state } : {}),
    });
    await platform.start();
    await platform.telegram.registry.init();
    const login = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    await database?.close();
    await botApi?.close();
    await graph?.close();
  });

  const telegram = async (update: object) => {
    const res = await platform.app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: TG_SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
  };
  const whatsapp = async (from: string, text: string) => {
    const signed = signedRequest(
      envelope({ phoneNumberId: WA_PHONE_ID }, { messages: [message({ type: 'text', body: text }, { from })] }),
      WA_SECRET,
    );
    const res = await platform.app.request('/webhooks/whatsapp', {
      method: 'POST',
      body: signed.body,
      headers: signed.headers,
    });
    expect(res.status).toBe(200);
  };
  const playground = async (userId: string, text: string) => {
    const res = await platform.app.request('/api/chat/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ userId, text }),
    });
    expect(res.status).toBe(200);
  };
  const stats = async (query = ''): Promise<Stats> => {
    // every turn answered and its records relayed to the database
    await platform.runtime.idle();
    const res = await platform.app.request(`/api/analytics?city=almaty${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Stats;
  };

  it('counts N messages from K shoppers, their response times and the queries they typed; staff traffic only on request', async () => {
    const aliya = tg.shopper(81_000_001, 'Алия');
    const timur = tg.shopper(81_000_002, 'Тимур');
    const repeated = tg.textUpdate(++updateId, aliya, 'хочу красный диван до 150000');
    await telegram(tg.commandUpdate(++updateId, aliya, '/start'));
    await telegram(repeated);
    await telegram(tg.textUpdate(++updateId, timur, 'Кровать'));
    await telegram(tg.textUpdate(++updateId, timur, 'спасибо'));
    await whatsapp('77019990101', 'шкаф купе');
    await whatsapp('77019990101', 'привет');
    const sent = { telegram: 4, whatsapp: 2 };
    // Telegram delivers an update again when it is unsure we got it: still one message
    await telegram(repeated);
    // staff trying the bot in the playground
    await playground('staff-tester', 'хочу красный диван до 150000');

    await platform.runtime.idle();
    expect(botApi.messages(aliya.id).length).toBeGreaterThan(0);
    expect(graph.sentTo('77019990101').length).toBeGreaterThan(0);

    const shoppers = await stats();
    expect(shoppers.totals.messages).toBe(sent.telegram + sent.whatsapp);
    expect(shoppers.totals.activeShoppers).toBe(3);
    expect(shoppers.funnel.shoppers).toBe(3);
    const byChannel = (channel: string) =>
      shoppers.byDay.filter((d) => d.channel === channel).reduce((n, d) => n + d.messages, 0);
    expect(byChannel('telegram')).toBe(sent.telegram);
    expect(byChannel('whatsapp')).toBe(sent.whatsapp);
    expect(byChannel('web')).toBe(0);
    // every message got an answer: one response-time sample each
    expect(shoppers.responseTime.samples).toBe(sent.telegram + sent.whatsapp);
    expect(shoppers.responseTime.p50Ms).toBeGreaterThanOrEqual(0);
    expect(shoppers.responseTime.p95Ms).toBeGreaterThanOrEqual(shoppers.responseTime.p50Ms!);
    // the words the shoppers typed, not what was left after colour, category and price were taken out
    expect(shoppers.topQueries).toEqual(
      expect.arrayContaining([
        { query: 'хочу красный диван до 150000', count: 1 },
        { query: 'кровать', count: 1 },
        { query: 'шкаф купе', count: 1 },
      ]),
    );
    expect(shoppers.topQueries.map((q) => q.query)).not.toContain('спасибо');

    const withStaff = await stats('&includeTest=true');
    expect(withStaff.totals.messages).toBe(sent.telegram + sent.whatsapp + 1);
    expect(withStaff.totals.activeShoppers).toBe(4);
    expect(withStaff.topQueries).toContainEqual({ query: 'хочу красный диван до 150000', count: 2 });
    expect(withStaff.responseTime.samples).toBe(sent.telegram + sent.whatsapp + 1);
  });

  it('a purchase in the chat marked paid by a manager: the funnel reaches cart, order and paid, revenue on the day it was paid', async () => {
    const before = await stats();
    const beforeWithStaff = await stats('&includeTest=true');
    const auth = { authorization: `Bearer ${token}` };

    // a shopper on Telegram: buttons are callback queries, the phone their own shared contact
    const shopper = telegramShopper(botApi, 81_000_003, async (update) => {
      await telegram(update);
      await platform.runtime.idle();
      await platform.telegram.intake.settled();
    });
    const { number } = await buySofa(shopper, 'kaspi', 'Айгерим');

    // staff buying in the playground: a test order (orders.is_test), left out like their messages
    const playgroundTurn = async (body: object) => {
      const res = await platform.app.request('/api/chat/almaty', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ userId: 'staff-buyer', ...body }),
      });
      expect(res.status).toBe(200);
      return webSeen(((await res.json()) as { replies: Reply[] }).replies);
    };
    const staff: ShopperDriver = {
      say: (text) => playgroundTurn({ text }),
      tap: (choice) => playgroundTurn({ choice }),
      givePhone: () => playgroundTurn({ text: '+77011234567' }),
      received: async () => [],
    };
    await buySofa(staff, 'kaspi', 'Айгерим');

    // the manager sends the Kaspi invoice by hand and marks the shopper's order paid in the panel
    const listed = await platform.app.request('/api/orders?city=almaty&status=awaiting_payment', { headers: auth });
    type Listed = { id: string; number: number; total: number; currency: string; channel: string };
    const order = ((await listed.json()) as { items: Listed[] }).items.find(
      (o) => o.number === number && o.channel === 'telegram',
    );
    expect(order).toBeDefined();
    const paid = await platform.app.request(`/api/orders/${order!.id}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ reference: 'KASPI-INV-1' }),
    });
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as { outcome: string }).outcome).toBe('paid');

    const after = await stats();
    expect(after.funnel.cart - before.funnel.cart).toBe(1);
    expect(after.funnel.order - before.funnel.order).toBe(1);
    expect(after.funnel.paid - before.funnel.paid).toBe(1);
    expect(after.sales.currency).toBe(order!.currency);
    // every day of the period is there; the money is on today (in the city's zone), nothing on another day
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: after.timezone }).format(new Date());
    const days = after.sales.byDay.map((d) => d.day);
    expect(days.at(-1)).toBe(today);
    expect(days.length).toBeGreaterThanOrEqual(7);
    expect(new Set(days).size).toBe(days.length);
    const on = (s: Stats, day: string) => s.sales.byDay.find((d) => d.day === day)!;
    expect(on(after, today).revenue - on(before, today).revenue).toBe(order!.total);
    expect(on(after, today).orders - on(before, today).orders).toBe(1);
    expect(on(after, today).paid - on(before, today).paid).toBe(1);
    for (const day of days.filter((d) => d !== today)) expect(on(after, day)).toEqual(on(before, day));
    expect(after.sales.totals.revenue - before.sales.totals.revenue).toBe(order!.total);

    // with the staff's traffic: their cart and their (unpaid) order as well
    const withStaff = await stats('&includeTest=true');
    expect(withStaff.funnel.cart - beforeWithStaff.funnel.cart).toBe(2);
    expect(withStaff.funnel.order - beforeWithStaff.funnel.order).toBe(2);
    expect(withStaff.funnel.paid - beforeWithStaff.funnel.paid).toBe(1);
    // one channel: the playground's own order
    expect((await stats('&channel=web&includeTest=true')).sales.totals).toMatchObject({
      orders: 1,
      paid: 0,
      revenue: 0,
    });
  });

  it('a conversation staff started stays test traffic when a manager answers in it', async () => {
    await playground('staff-escalation', 'позовите менеджера');
    await platform.runtime.idle();
    const escalation = await database.db
      .selectFrom('escalations')
      .select('id')
      .where('conversation_key', '=', 'web:almaty:staff-escalation')
      .executeTakeFirstOrThrow();
    const reply = await platform.app.request(`/api/escalations/${escalation.id}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'Здравствуйте, я менеджер' }),
    });
    expect(reply.status).toBe(201);
    // the reply was accepted into the conversation's inbox before the API answered: its turn is
    // done and recorded once the runtime is idle
    await platform.runtime.idle();
    const recorded = await database.db
      .selectFrom('analytics_events')
      .select(['event_type', 'is_test', 'metadata'])
      .where('conversation_key', '=', 'web:almaty:staff-escalation')
      .orderBy('created_at')
      .execute();
    expect(recorded.map((r) => r.event_type)).toEqual(
      expect.arrayContaining(['message_in', 'escalation', 'message_out']),
    );
    // the manager's words are a proactive reply of a turn of their own
    expect(
      recorded
        .filter((r) => r.event_type === 'message_out')
        .map((r) => (r.metadata as { proactive?: boolean }).proactive ?? false),
    ).toEqual([false, true]);
    expect(recorded.every((r) => r.is_test)).toBe(true);
  });
});
