import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { startFakeOpenAI, toolCallReply, type FakeOpenAI } from '../ai/testing/fakeOpenAI.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';
import { ROOT_DIR } from './root.ts';

/**
 * The scenario's limits in the composed platform, on the embedded default and on PostgreSQL +
 * Redis, with the model brain pointed at a fake OpenAI server: past the city's daily model-call
 * budget the fake sees no more calls and the rules brain answers; a flooding shopper gets the calm
 * reply; `/metrics` counts both.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const MESSAGES_PER_MINUTE = 3;
const MODEL_CALLS_PER_DAY = 2;

/** the shipped default scenario with small limits */
function scenarioDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zeta-limits-'));
  const text = readFileSync(join(ROOT_DIR, 'scenarios', 'default.yaml'), 'utf8')
    .replace(/^( {2}messagesPerMinute:) \d+$/m, `$1 ${MESSAGES_PER_MINUTE}`)
    .replace(/^( {2}modelCallsPerDay:) \d+$/m, `$1 ${MODEL_CALLS_PER_DAY}`);
  expect(text).toContain(`messagesPerMinute: ${MESSAGES_PER_MINUTE}`);
  expect(text).toContain(`modelCallsPerDay: ${MODEL_CALLS_PER_DAY}`);
  writeFileSync(join(dir, 'default.yaml'), text);
  return dir;
}

/** a counter's value for the series whose labels contain all of `labels` (0 when absent) */
function counter(metrics: string, name: string, labels: Record<string, string>): number {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe.each(['embedded', 'production'] as const)('limits in the platform on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let fake: FakeOpenAI;
  let token: string;
  let dir: string;
  const prefix = `zl:${randomBytes(4).toString('hex')}:`;

  const chat = async (userId: string, text: string): Promise<Reply[]> => {
    const res = await platform.app.request('/api/chat/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ userId, text }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Reply[] }).replies;
  };
  const metrics = async () => (await platform.app.request('/metrics')).text();
  const modelRequests = () => fake.requests.filter((r) => r.endpoint === 'chat').length;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.setDefault('chat', () => toolCallReply('search_products', { category: 'sofa' }));
    dir = scenarioDir();
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const env = {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'test-secret-test-secret-test-secret',
      OPENAI_API_KEY: 'sk-test-limits',
      OPENAI_BASE_URL: fake.baseURL,
      ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
    };
    const config = { ...loadConfig(env, []), port: 0, host: '127.0.0.1' };
    const state =
      kind === 'production'
        ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
        : undefined;
    platform = await createPlatform(config, {
      log: quiet,
      database,
      ocr: false,
      keyPrefix: prefix,
      scenarioDir: dir,
      ...(state ? { state } : {}),
    });
    await platform.start();
    const login = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await platform?.close();
    await database?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('past the city’s daily model-call budget the model is not called and the rules brain answers', async () => {
    for (const shopper of ['b1', 'b2', 'b3', 'b4']) {
      const replies = await chat(`budget-${shopper}`, 'хочу диван');
      expect(replies.some((r) => r.type === 'products')).toBe(true);
    }
    expect(modelRequests()).toBe(MODEL_CALLS_PER_DAY);
    const text = await metrics();
    expect(counter(text, 'zeta_model_calls_total', { city: 'almaty', kind: 'understand' })).toBe(MODEL_CALLS_PER_DAY);
    expect(counter(text, 'zeta_model_budget_exhausted_total', { city: 'almaty', kind: 'understand' })).toBe(2);
  });

  it('a flooding shopper gets one calm reply and then silence, and /metrics counts each limited message', async () => {
    const answers: Reply[][] = [];
    for (let i = 0; i < MESSAGES_PER_MINUTE + 2; i++) answers.push(await chat('flood', `покажи диваны ${i}`));
    for (const answer of answers.slice(0, MESSAGES_PER_MINUTE))
      expect(answer.some((r) => r.type === 'products')).toBe(true);
    const calm = platform.scenarios.get('default')!.limits.tooManyMessages.ru;
    expect(answers[MESSAGES_PER_MINUTE]).toEqual([{ type: 'text', text: calm }]);
    expect(answers[MESSAGES_PER_MINUTE + 1]).toEqual([]);
    // another shopper is answered as usual
    expect((await chat('neighbour', 'покажи кровати')).some((r) => r.type === 'products')).toBe(true);
    expect(counter(await metrics(), 'zeta_shopper_messages_rate_limited_total', { channel: 'web' })).toBe(2);
  });
});
