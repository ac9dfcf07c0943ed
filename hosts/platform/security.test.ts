import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { deriveWebhookSecret } from '../telegram/registry.ts';
import { startFakeBotApi, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * What an anonymous caller can reach on a production-like platform (PostgreSQL + Redis, behind a
 * proxy): metrics, health, media, malformed paths — and what saving a bot in the panel does.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const BOT_TOKEN = '987654321:AAsecuritytestsecuritytestsecurity1';

describe('platform security', () => {
  let database: TestDatabase;
  let bots: FakeBotApi;
  let redis: Redis;
  const replicas: Platform[] = [];
  const prefix = `zsec:${randomBytes(4).toString('hex')}:`;
  let token: string;

  async function boot(demoData: 'on' | 'off'): Promise<Platform> {
    const config = {
      ...loadConfig({
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        JWT_SECRET: 'test-secret-test-secret-test-secret',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: 'postgres://unused',
        DEMO_DATA: demoData,
        METRICS_TOKEN,
        MEDIA_RATE_LIMIT_PER_MINUTE: '5',
        TRUST_PROXY: 'on',
        PUBLIC_BASE_URL: 'https://zeta.example.kz',
        TELEGRAM_API_ROOT: bots.apiRoot,
      }),
      port: 0,
      host: '127.0.0.1',
    };
    const state = await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix });
    const platform = await createPlatform(config, { log: quiet, database, ocr: false, keyPrefix: prefix, state });
    replicas.push(platform);
    return platform;
  }
  const request = (platform: Platform, path: string, init: RequestInit & { ip?: string } = {}) =>
    platform.app.request(path, {
      ...init,
      headers: { 'x-forwarded-for': init.ip ?? '198.51.100.1', ...(init.headers ?? {}) },
    });
  const api = (platform: Platform, path: string, method: string, body?: unknown) =>
    request(platform, `/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const metrics = async (platform: Platform) =>
    (await request(platform, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    bots = await startFakeBotApi();
    bots.addBot(BOT_TOKEN, { username: 'oral_furniture_bot' });
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await boot('on');
    const res = await request(replicas[0]!, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    for (const platform of replicas) await platform.close();
    await redis?.quit();
    await bots?.close();
    await database?.close();
  });

  it('/metrics needs METRICS_TOKEN as a bearer token', async () => {
    const platform = replicas[0]!;
    expect((await request(platform, '/metrics')).status).toBe(401);
    expect(
      (await request(platform, '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } }))
        .status,
    ).toBe(401);
    expect(await metrics(platform)).toContain('zeta_http_requests_total');
  });

  it('/health reads the state store and leaves nothing behind in it', async () => {
    for (let i = 0; i < 3; i++) expect((await request(replicas[0]!, '/health')).status).toBe(200);
    const keys = await redis.keys(`${prefix}*health*`);
    expect(keys).toEqual([]);
  });

  it('a placeholder picture is drawn once and then served from memory', async () => {
    const product = await database.db
      .selectFrom('products')
      .select('sku')
      .where('color', '=', 'red')
      .limit(1)
      .executeTakeFirstOrThrow();
    const path = `/media/placeholder/${encodeURIComponent(product.sku)}.png`;
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(replicas[0]!, path, { ip: `203.0.113.${i}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      bodies.push(Buffer.from(await res.arrayBuffer()).toString('base64'));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(await metrics(replicas[0]!)).toMatch(/^zeta_placeholder_renders_total 1$/m);
  });

  it('/media is rate-limited per client', async () => {
    const path = '/media/placeholder/no-such-sku.png';
    for (let i = 0; i < 5; i++) expect((await request(replicas[0]!, path, { ip: '192.0.2.50' })).status).toBe(404);
    const limited = await request(replicas[0]!, path, { ip: '192.0.2.50' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await request(replicas[0]!, path, { ip: '192.0.2.51' })).status).toBe(404);
  });

  it.each(['/admin/%E0%A4%A', '/media/%E0%A4%A', '/media/placeholder/%E0%A4%A.png'])(
    'a malformed percent-encoded path %s is a bad request',
    async (path) => {
      const res = await request(replicas[0]!, path, { ip: '192.0.2.60' });
      expect(res.status).toBe(400);
    },
  );

  it("saving a city's Telegram bot in the panel registers its webhook once across replicas, and removing the token removes it", async () => {
    const first = replicas[0]!;
    const second = await boot('off');
    const city = (await (await api(first, '/cities', 'POST', { name: 'Орал', slug: 'oral' })).json()) as {
      city?: { id: string };
      id?: string;
    };
    const cityId = city.city?.id ?? city.id!;
    const save = { channel: 'telegram', botToken: BOT_TOKEN };
    expect((await api(first, `/bot-config/${cityId}`, 'PUT', save)).status).toBe(200);
    expect(bots.webhookOf(BOT_TOKEN)).toMatchObject({
      url: 'https://zeta.example.kz/webhooks/telegram/oral',
      secretToken: deriveWebhookSecret(BOT_TOKEN),
    });
    // the same save reaching another replica (a retried request, a second tab) does not register again
    expect((await api(second, `/bot-config/${cityId}`, 'PUT', save)).status).toBe(200);
    expect(bots.callsTo('setWebhook', { token: BOT_TOKEN })).toHaveLength(1);
    expect((await api(second, `/bot-config/${cityId}`, 'PUT', { channel: 'telegram', botToken: null })).status).toBe(
      200,
    );
    expect(bots.callsTo('deleteWebhook', { token: BOT_TOKEN })).toHaveLength(1);
    expect(bots.webhookOf(BOT_TOKEN)).toBeUndefined();
  });
});
