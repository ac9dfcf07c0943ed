import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * A tester's suite drives `POST /api/chat/:city` with an API token: it is limited per token by
 * CHAT_RATE_LIMIT_PER_MINUTE instead of per IP by RATE_LIMIT_PER_MINUTE; panel logins are limited
 * per user on top of the per-IP limit.
 */
const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const IP_LIMIT = 30;
const CHAT_LIMIT = 20;

describe.each(['embedded', 'production'] as const)('chat with API tokens on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let session: string;
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;
  const post = (path: string, bearer: string, body: unknown) =>
    platform.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
  const newToken = async (name: string): Promise<string> => {
    const res = await post('/api/api-tokens', session, { name, role: 'designer' });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const env = {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'test-secret-test-secret-test-secret',
      RATE_LIMIT_PER_MINUTE: String(IP_LIMIT),
      CHAT_RATE_LIMIT_PER_MINUTE: String(CHAT_LIMIT),
      ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
    };
    const config = { ...loadConfig(env), port: 0, host: '127.0.0.1' };
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
    const login = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    session = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await platform?.close();
    await database?.close();
  });

  it('a panel login is limited per user: 429 after CHAT_RATE_LIMIT_PER_MINUTE messages', async () => {
    for (let i = 0; i < CHAT_LIMIT; i++) {
      const res = await post('/api/chat/almaty', session, {
        userId: 'panel-user',
        text: i === 0 ? '/start' : 'помощь',
      });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    const limited = await post('/api/chat/almaty', session, { userId: 'panel-user', text: 'меню' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-limit')).toBe(String(CHAT_LIMIT));
  });

  it('a token talks past the per-IP limit and gets 429 after CHAT_RATE_LIMIT_PER_MINUTE messages; another token is not affected', async () => {
    const token = await newToken('suite A');
    const other = await newToken('suite B');
    const statuses: number[] = [];
    for (let i = 0; i < CHAT_LIMIT; i++) {
      const res = await post('/api/chat/almaty', token, {
        userId: `suite-a-${i % 3}`,
        text: i === 0 ? '/start' : 'помощь',
      });
      statuses.push(res.status);
      if (i === 0) expect(((await res.json()) as { replies: { type: string }[] }).replies.length).toBeGreaterThan(0);
      else await res.body?.cancel();
    }
    expect(statuses).toEqual(Array(CHAT_LIMIT).fill(200));
    const limited = await post('/api/chat/almaty', token, { userId: 'suite-a-0', text: 'меню' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-limit')).toBe(String(CHAT_LIMIT));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await post('/api/chat/almaty', other, { userId: 'suite-b', text: '/start' })).status).toBe(200);
  });

  it("the site may pass the shopper's language: a new conversation starts in it; an unknown one is refused naming lang", async () => {
    const token = await newToken('languages');
    const res = await post('/api/chat/almaty', token, { userId: 'kazakh-shopper', text: '/start', lang: 'kk' });
    const replies = ((await res.json()) as { replies: { type: string; text?: string }[] }).replies;
    expect(replies[0]?.text).toMatch(/^Сәлеметсіз бе!/);
    const bad = await post('/api/chat/almaty', token, { userId: 'x', text: '/start', lang: 'de' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/lang/);
  });

  it('a revoked token is refused on the next message', async () => {
    const token = await newToken('to revoke');
    expect((await post('/api/chat/almaty', token, { userId: 'r', text: '/start' })).status).toBe(200);
    const list = await platform.app.request('/api/api-tokens', { headers: { authorization: `Bearer ${session}` } });
    const id = ((await list.json()) as { items: { id: string; name: string }[] }).items.find(
      (t) => t.name === 'to revoke',
    )!.id;
    const revoke = await platform.app.request(`/api/api-tokens/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session}` },
    });
    expect(revoke.status).toBe(200);
    expect((await post('/api/chat/almaty', token, { userId: 'r', text: 'меню' })).status).toBe(401);
  });

  it('a panel login stays under the per-IP limit, and unknown tokens spend it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < IP_LIMIT + 1; i++) {
      const res = await post('/api/chat/almaty', `zeta_${'x'.repeat(43)}`, { userId: 'stranger', text: 'hi' });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    const session_ = await post('/api/chat/almaty', session, { userId: 'panel', text: '/start' });
    expect(session_.status).toBe(429);
    expect(session_.headers.get('ratelimit-limit')).toBe(String(IP_LIMIT));
  });
});
