import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { createStateBackend, StateUnavailableError, type StateBackend } from '../../storage/state/index.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * The whole platform composed as `npm start` composes it, on both backends: embedded (PGlite +
 * in-process state) and production (PostgreSQL + Redis). Channels are covered by the Telegram
 * and WhatsApp end-to-end suites; here the web playground drives the conversation.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };

type Backend = 'embedded' | 'production';

async function boot(kind: Backend, database: TestDatabase, prefix: string, argv: string[] = []): Promise<Platform> {
  const env = {
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
  };
  const config = { ...loadConfig(env, argv), port: 0, host: '127.0.0.1' };
  const state =
    kind === 'production'
      ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
      : undefined;
  return createPlatform(config, { log: quiet, database, ocr: false, keyPrefix: prefix, ...(state ? { state } : {}) });
}

async function login(platform: Platform): Promise<string> {
  const res = await platform.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['embedded', 'production'] as const)('platform on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let token: string;
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;
  const chat = async (userId: string, body: Record<string, string>): Promise<Reply[]> => {
    const res = await platform.app.request('/api/chat/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ userId, ...body }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Reply[] }).replies;
  };
  const api = (path: string, init: RequestInit = {}) =>
    platform.app.request(`/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    platform = await boot(kind, database, prefix);
    await platform.start();
    token = await login(platform);
  });
  afterAll(async () => {
    await platform?.close();
    await database?.close();
  });

  it('answers /ping, reports health of the database and state store, and exposes metrics', async () => {
    expect(await (await platform.app.request('/ping')).text()).toBe('pong');
    const health = await platform.app.request('/health');
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ok');
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
    const metrics = await (await platform.app.request('/metrics')).text();
    expect(metrics).toContain('zeta_http_requests_total');
    expect(metrics).toContain('zeta_active_conversations');
  });

  it('serves the demo catalog and answers a search with grounded product cards', async () => {
    const replies = await chat('shopper-1', { text: 'хочу красный диван до 150000' });
    const products = replies.find((r) => r.type === 'products');
    expect(products?.type).toBe('products');
    if (products?.type !== 'products') return;
    expect(products.items.length).toBeGreaterThan(0);
    for (const item of products.items) {
      const row = await database.db
        .selectFrom('products')
        .selectAll()
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow();
      expect(row.sku).toBe(item.sku);
      expect(Number(row.price)).toBe(item.price);
      expect(Number(row.price)).toBeLessThanOrEqual(150_000);
      expect(row.color).toBe('red');
      expect(row.category).toBe('sofa');
    }
  });

  it("a web conversation starts in its city's language (Shymkent speaks Kazakh), then follows the shopper", async () => {
    const say = async (text: string) => {
      const res = await api('/chat/shymkent', { method: 'POST', body: JSON.stringify({ userId: 'web-kk-1', text }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { replies: Reply[] }).replies;
    };
    expect(await say('/start')).toContainEqual({
      type: 'choices',
      text: expect.stringContaining('Сәлеметсіз бе!'),
      options: expect.anything(),
    });
    expect(JSON.stringify(await say('hello, do you have beds?'))).toMatch(/page 1 of|Found/);
  });

  it('a search wider than the counted window says so («Нашёл 200+»)', async () => {
    const replies = await chat('shopper-wide', { text: 'покажи мебель до 5000000' });
    const heading = replies.find(
      (r): r is Extract<Reply, { type: 'text' }> => r.type === 'text' && r.text.startsWith('Нашёл'),
    );
    expect(heading?.text).toMatch(/^Нашёл 200\+ — страница 1 из \d+\+:/);
  });

  it('turns a price drop made in the admin API into a notification in the shopper’s conversation', async () => {
    const replies = await chat('shopper-2', { text: 'диван' });
    const first = replies.flatMap((r) => (r.type === 'products' ? r.items : []))[0]!;
    await chat('shopper-2', { choice: `a:${first.sku}` });
    const cheaper = Math.round(first.price * 0.8);
    const res = await api(`/products/${first.id}`, { method: 'PUT', body: JSON.stringify({ price: cheaper }) });
    expect(res.status).toBe(200);
    const message = await waitFor(async () => {
      const rows = await database.db
        .selectFrom('conversation_messages')
        .select(['text'])
        .where('conversation_key', '=', 'web:almaty:shopper-2')
        .where('direction', '=', 'out')
        .execute();
      return rows.find((r) => r.text?.includes('🔔') && r.text.includes('→'));
    }, 'the price-drop notification');
    expect(message.text).toContain(String(cheaper).replace(/\B(?=(\d{3})+(?!\d))/g, ' '));
    const notifications = await database.db.selectFrom('alert_notifications').selectAll().execute();
    expect(notifications.filter((n) => Number(n.new_price) === cheaper)).toHaveLength(1);
  });

  it('a product card read by SKU is reused, and an admin edit shows at once (the catalog reload message)', async () => {
    const found = (await chat('shopper-card', { text: 'кресло' })).flatMap((r) =>
      r.type === 'products' ? r.items : [],
    )[0]!;
    const detail = async () =>
      (await chat('shopper-card', { choice: `p:${found.sku}` })).flatMap((r) =>
        r.type === 'products' ? r.items : [],
      )[0]!;
    expect((await detail()).price).toBe(found.price);
    // behind the platform's back: a cached card keeps its price…
    await database.db
      .updateTable('products')
      .set({ price: String(found.price + 1) })
      .where('id', '=', found.id)
      .execute();
    expect((await detail()).price).toBe(found.price);
    // …an edit through the admin API clears every bot's cache before it answers
    const edited = found.price + 1_000;
    expect(
      (await api(`/products/${found.id}`, { method: 'PUT', body: JSON.stringify({ price: edited }) })).status,
    ).toBe(200);
    await waitFor(async () => ((await detail()).price === edited ? true : undefined), 'the edited price on the card');
  });

  it('hands a shopper to a manager and back: escalation, a reply from the admin API, resolve', async () => {
    await chat('shopper-3', { text: 'позовите менеджера' });
    const escalation = await waitFor(
      () =>
        database.db
          .selectFrom('escalations')
          .selectAll()
          .where('conversation_key', '=', 'web:almaty:shopper-3')
          .executeTakeFirst(),
      'the escalation',
    );
    expect(escalation.status).toBe('pending');
    expect(await chat('shopper-3', { text: 'у вас есть доставка в Каскелен?' })).toEqual([]);
    expect(
      (
        await api(`/escalations/${escalation.id}/reply`, {
          method: 'POST',
          body: JSON.stringify({ text: 'Да, доставим завтра' }),
        })
      ).status,
    ).toBe(201);
    await waitFor(async () => {
      const rows = await database.db
        .selectFrom('conversation_messages')
        .select(['text'])
        .where('conversation_key', '=', 'web:almaty:shopper-3')
        .execute();
      return rows.find((r) => r.text?.includes('Да, доставим завтра'));
    }, 'the manager reply in the conversation');
    expect((await api(`/escalations/${escalation.id}/resolve`, { method: 'POST', body: '{}' })).status).toBe(200);
    await waitFor(async () => {
      const row = await database.db
        .selectFrom('escalations')
        .select('status')
        .where('id', '=', escalation.id)
        .executeTakeFirst();
      return row?.status === 'resolved' ? row : undefined;
    }, 'the resolution');
    const after = await chat('shopper-3', { text: 'кровать' });
    expect(after.some((r) => r.type === 'products')).toBe(true);
  });

  it('measures turns in /metrics and tags every response with a request id', async () => {
    await chat('shopper-metrics', { text: 'шкаф' });
    const res = await platform.app.request('/metrics');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const metrics = await res.text();
    expect(metrics).toMatch(/zeta_turn_duration_seconds_count\{channel="web"\} [1-9]/);
    expect(metrics).toMatch(/zeta_messages_total\{channel="web",direction="in"\} [1-9]/);
    expect(metrics).toMatch(/zeta_queue_depth\{queue="inbox_conversations"\} 0/);
    expect(metrics).toMatch(/zeta_searches_total\{outcome="results"\} [1-9]/);
  });

  it('rejects a broken scenario with file, path and reason, and hot-reloads a good one into the bot', async () => {
    const current = ((await (await api('/scenarios/default')).json()) as { scenario: { content: string } }).scenario;
    const broken = current.content.replace(/flow: search/, 'flow: teleport');
    const refused = await api('/scenarios/default', { method: 'PUT', body: JSON.stringify({ content: broken }) });
    expect(refused.status).toBe(422);
    const error = (await refused.json()) as { error: { details: { file: string; path: string; reason: string }[] } };
    expect(error.error.details[0]).toMatchObject({ file: expect.stringContaining('default') });

    const greeting = 'Сәлем! Тест горячей перезагрузки.';
    const edited = current.content.replace(/(\n\s{4}greeting: )[^\n]*/, `$1"${greeting}"`);
    expect(edited).not.toBe(current.content);
    const saved = await api('/scenarios/default', { method: 'PUT', body: JSON.stringify({ content: edited }) });
    expect(saved.status).toBe(200);
    await waitFor(
      async () => {
        const replies = await chat(`shopper-reload-${Date.now()}`, { text: '/start' });
        return JSON.stringify(replies).includes(greeting) ? true : undefined;
      },
      'the new greeting',
      2_000,
    );
  });
});

describe('platform roles on shared PostgreSQL and Redis', () => {
  it('a scenario saved through one replica reaches the bots of another within 2 seconds', async () => {
    const database = await createTestDatabase('postgres');
    const prefix = `zt:${randomBytes(4).toString('hex')}:`;
    const api = await boot('production', database, prefix);
    const bot = await boot('production', database, prefix);
    try {
      await api.start();
      await bot.start();
      const token = await login(api);
      const current = (
        (await (
          await api.app.request('/api/scenarios/default', { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { scenario: { content: string } }
      ).scenario;
      const greeting = 'Greeting from another replica';
      const edited = current.content.replace(/(\n\s{4}greeting: )[^\n]*/, `$1"${greeting}"`);
      const saved = await api.app.request('/api/scenarios/default', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ content: edited }),
      });
      expect(saved.status).toBe(200);
      await waitFor(
        async () => (bot.scenarios.get('default')?.texts.ru.greeting === greeting ? true : undefined),
        'the other replica to reload',
        2_000,
      );
    } finally {
      await bot.close();
      await api.close();
      await database.close();
    }
  });
});

describe('a turn whose timer changes fail after its commit', () => {
  it('applies them before its replies go out, retrying the delivery, and records the turn once', async () => {
    const database = await createTestDatabase('pglite');
    const prefix = `zt:${randomBytes(4).toString('hex')}:`;
    const real = await createStateBackend({ db: database.db, keyPrefix: prefix });
    const scheduled: string[] = [];
    // the state store is real; only its first two timer writes meet an outage
    const state: StateBackend = {
      ...real,
      timers: {
        ...real.timers,
        schedule: async (id, dueAt, payload) => {
          scheduled.push(id);
          if (scheduled.length <= 2) throw new StateUnavailableError('redis: timer schedule failed: connection lost');
          return real.timers.schedule(id, dueAt, payload);
        },
      },
    };
    const config = {
      ...loadConfig({
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        JWT_SECRET: 'test-secret-test-secret-test-secret',
      }),
      port: 0,
      host: '127.0.0.1',
    };
    const platform = await createPlatform(config, { log: quiet, database, state, ocr: false, keyPrefix: prefix });
    try {
      await platform.start();
      // the web playground answers in the HTTP response: the replies of the retried delivery
      const token = await login(platform);
      const res = await platform.app.request('/api/chat/almaty', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ userId: 'timer-outage', text: 'диван' }),
      });
      expect(res.status).toBe(200);
      const replies = ((await res.json()) as { replies: Reply[] }).replies;
      expect(replies.some((r) => r.type === 'products')).toBe(true);
      // alongside the commit (failed), before delivery (failed: retried with back-off), then applied
      expect(scheduled).toHaveLength(3);
      expect(new Set(scheduled).size).toBe(1);
      await platform.runtime.idle();
      const rows = await database.db
        .selectFrom('conversation_messages')
        .select(['direction'])
        .where('conversation_key', '=', 'web:almaty:timer-outage')
        .execute();
      expect(rows.filter((r) => r.direction === 'in')).toHaveLength(1);
      expect(rows.filter((r) => r.direction === 'out')).toHaveLength(replies.length);
    } finally {
      await platform.close();
      await real.close();
      await database.close();
    }
  });
});

describe('roles', () => {
  it('each role serves only its own routes; every role answers health checks', async () => {
    const database = await createTestDatabase('postgres');
    const prefix = `zt:${randomBytes(4).toString('hex')}:`;
    const api = await boot('production', database, prefix, ['--role', 'api']);
    const telegram = await boot('production', database, prefix, ['--role', 'telegram']);
    try {
      for (const p of [api, telegram]) expect((await p.app.request('/health')).status).toBe(200);
      expect((await api.app.request('/api/openapi.json')).status).toBe(200);
      expect((await telegram.app.request('/api/openapi.json')).status).toBe(404);
      // the api role has no webhook routes; the telegram role does (404 there: no bot for that city)
      const update = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ update_id: 1 }),
      };
      const atApi = await api.app.request('/webhooks/telegram/almaty', update);
      expect(atApi.status).toBe(404);
      expect(await atApi.text()).not.toContain('unknown city');
      const atTelegram = await telegram.app.request('/webhooks/telegram/nowhere', update);
      expect(atTelegram.status).toBe(404);
      expect(await atTelegram.text()).toContain('unknown city');
    } finally {
      await telegram.close();
      await api.close();
      await database.close();
    }
  });
});
