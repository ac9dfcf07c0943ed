import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { createRedisBackend } from '../../storage/state/redis/backend.ts';
import type { StateBackend } from '../../storage/state/types.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import { webRoutes } from '../web/routes.ts';
import { ChatUploads } from '../web/uploads.ts';
import { EscalationService } from '../escalations/service.ts';
import { createAdminApi } from './api.ts';
import { bootstrapOwner } from './auth/bootstrap.ts';
import { RELOAD_CHANNEL, type ReloadMessage } from './http/context.ts';
import { cookieHeader, cookiesOf, TEST_SECRET } from './testing.ts';

/**
 * The API as the platform mounts it (`app.route('/api', …)`), with the Redis state backend:
 * cookie paths, the playground behind designer auth, and hot reload across two Redis clients.
 */
describe('admin API mounted at /api with Redis', () => {
  let t: TestDatabase;
  let state: StateBackend;
  let other: StateBackend;
  let app: Hono;
  const conversed: { city: string; chatId: string; text?: string }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const keyPrefix = `zeta-admin-test-${randomBytes(4).toString('hex')}:`;
    state = await createRedisBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix });
    other = await createRedisBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix });
    // the runtime is the lead's; the playground only needs its converse()
    const runtime = {
      converse: async (
        address: { city: string; chatId: string },
        _id: string,
        event: { type: string; text?: string },
      ) => {
        conversed.push({ city: address.city, chatId: address.chatId, ...(event.text ? { text: event.text } : {}) });
        return [{ type: 'text', text: 'Здравствуйте! Чем помочь?' }];
      },
    } as unknown as ConversationRuntime;
    const escalations = new EscalationService({ db: t.db, pubsub: state.pubsub, deliver: async () => undefined });
    app = new Hono();
    app.route(
      '/api',
      createAdminApi({
        db: t.db,
        state,
        jwtSecret: TEST_SECRET,
        escalations,
        chat: webRoutes(runtime, {
          cityExists: async (slug) => slug === 'almaty',
          uploads: new ChatUploads({ db: t.db }),
        }),
        options: { bcryptRounds: 4 },
      }),
    );
    await bootstrapOwner(t.db, 'owner@zeta.test', 'owner-password', { bcryptRounds: 4 });
  });
  afterAll(async () => {
    await state.close();
    await other.close();
    await t.close();
  });

  it('logs in under /api with cookies scoped to /api, and the playground answers behind designer auth', async () => {
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@zeta.test', password: 'owner-password' }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.getSetCookie();
    expect(setCookie.find((c) => c.startsWith('zeta_access='))).toMatch(/Path=\/api(;|$)/);
    expect(setCookie.find((c) => c.startsWith('zeta_refresh='))).toMatch(/Path=\/api\/auth(;|$)/);
    const cookies = cookiesOf(login);
    const headers = {
      cookie: cookieHeader(cookies),
      'x-csrf-token': cookies.zeta_csrf!,
      'content-type': 'application/json',
    };

    const chat = await app.request('/api/chat/almaty', {
      method: 'POST',
      headers,
      body: JSON.stringify({ userId: 'playground-1', text: 'привет' }),
    });
    expect(chat.status).toBe(200);
    expect(await chat.json()).toEqual({ replies: [{ type: 'text', text: 'Здравствуйте! Чем помочь?' }] });
    expect(conversed).toEqual([{ city: 'almaty', chatId: 'playground-1', text: 'привет' }]);
    expect(
      (
        await app.request('/api/chat/nowhere', {
          method: 'POST',
          headers,
          body: JSON.stringify({ userId: 'u', text: 'x' }),
        })
      ).status,
    ).toBe(404);
    expect(
      (await app.request('/api/chat/almaty', { method: 'POST', headers, body: JSON.stringify({ text: 'x' }) })).status,
    ).toBe(400);
    expect(
      (
        await app.request('/api/chat/almaty', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    const forgedCsrf = await app.request('/api/chat/almaty', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': 'wrong' },
      body: JSON.stringify({ userId: 'u', text: 'x' }),
    });
    expect(forgedCsrf.status).toBe(403);
  });

  it('publishes hot-reload messages that another Redis client receives', async () => {
    const received: ReloadMessage[] = [];
    await other.pubsub.subscribe(RELOAD_CHANNEL, (m) => void received.push(JSON.parse(m) as ReloadMessage));
    const login = (await (
      await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@zeta.test', password: 'owner-password' }),
      })
    ).json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' };
    const city = (await (
      await app.request('/api/cities', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'Алматы', slug: 'almaty' }),
      })
    ).json()) as { city: { id: string } };
    expect(
      (
        await app.request(`/api/bot-config/${city.city.id}`, {
          method: 'PUT',
          headers: auth,
          body: JSON.stringify({ channel: 'whatsapp', whatsappPhoneNumberId: '1234567890' }),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await app.request('/api/prompts/system/versions', {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ content: 'Ты — консультант.' }),
        })
      ).status,
    ).toBe(201);
    await vi.waitFor(() =>
      expect(received).toEqual([
        { kind: 'city', cityId: city.city.id },
        { kind: 'botConfig', cityId: city.city.id, version: 1 },
        { kind: 'prompt', id: 'system', version: 1 },
      ]),
    );
  });
});
