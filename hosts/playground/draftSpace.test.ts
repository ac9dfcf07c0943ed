import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';

/**
 * The playground's draft space through the platform as `npm start` composes it, on both backends:
 * an unsaved scenario answers, its escalation is reported as simulated and leaves no row, and
 * neither the live conversation nor the message log sees it.
 */
const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const SHIPPED = new URL('../../scenarios/default.yaml', import.meta.url);

type DraftAnswer = { replies: Reply[]; simulated: { effect: string; summary: string }[] };
const texts = (replies: Reply[]) =>
  replies.flatMap((r) => (r.type === 'text' || (r.type === 'choices' && r.text) ? [r.text!] : []));

describe.each(['embedded', 'production'] as const)('the draft playground on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let token: string;
  let shipped: string;
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;
  const post = (path: string, body: unknown) =>
    platform.app.request(`/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const draft = async (userId: string, scenario: string, message: Record<string, string>) => {
    const res = await post('/chat/almaty/draft', { userId, scenario, file: 'default.yaml', ...message });
    expect(res.status).toBe(200);
    return (await res.json()) as DraftAnswer;
  };
  const escalationsOf = (key: string) =>
    database.db.selectFrom('escalations').select('id').where('conversation_key', 'like', key).execute();

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const env = {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'test-secret-test-secret-test-secret',
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
    token = ((await login.json()) as { accessToken: string }).accessToken;
    shipped = await readFile(SHIPPED, 'utf8');
  });
  afterAll(async () => {
    await platform?.close();
    await database?.close();
  });

  it('answers with the unsaved text while the live bot keeps the saved one', async () => {
    const edited = shipped.replace('Здравствуйте! Я помощник', 'Добрый день! Я черновик-помощник');
    expect(edited).not.toBe(shipped);
    const tried = await draft('designer-1', edited, { text: '/start' });
    expect(texts(tried.replies)[0]).toMatch(/^Добрый день! Я черновик-помощник/);
    expect(tried.simulated).toEqual([]);

    const live = await post('/chat/almaty', { userId: 'designer-1', text: '/start' });
    const liveReplies = ((await live.json()) as { replies: Reply[] }).replies;
    expect(texts(liveReplies)[0]).toMatch(/^Здравствуйте! Я помощник/);
  });

  it("a draft's escalation is reported as simulated: no escalation row, no live conversation, no message log", async () => {
    await draft('designer-2', shipped, { text: '/start' });
    const handed = await draft('designer-2', shipped, { text: 'позовите менеджера' });
    expect(handed.simulated.map((s) => s.effect)).toEqual(['escalate']);
    expect(handed.simulated[0]!.summary).toMatch(/^hand the conversation to a manager/);
    expect(texts(handed.replies).length).toBeGreaterThan(0);
    // the shopper now writes "to the manager": forwarded, also only in pretence
    const forwarded = await draft('designer-2', shipped, { text: 'доставка в Каскелен есть?' });
    expect(forwarded.simulated).toEqual([
      { effect: 'forwardToManager', summary: 'forward to the manager: «доставка в Каскелен есть?»' },
    ]);

    // the same words to the live bot do open an escalation: once it is there, the draft's is not
    await post('/chat/almaty', { userId: 'shopper-live', text: 'позовите менеджера' });
    await expect.poll(async () => (await escalationsOf('web:almaty:shopper-live')).length).toBe(1);
    expect(await escalationsOf('%designer-2%')).toEqual([]);
    await platform.runtime.idle();
    const logged = await database.db
      .selectFrom('conversation_messages')
      .select('conversation_key')
      .where('conversation_key', 'like', '%designer-2%')
      .execute();
    expect(logged).toEqual([]);
    expect(await platform.state.snapshots.read('web:almaty:designer-2')).toBeUndefined();
    // no follow-up will ever reach the draft conversation: none is even kept
    const timers = await database.db.selectFrom('timers').select('id').where('id', 'like', 'draft:%').execute();
    expect(timers).toEqual([]);
    expect(await platform.state.snapshots.read('web:almaty:draft-designer-2')).toBeUndefined();
  });

  it('a draft that does not load is refused with file, path and reason', async () => {
    const broken = shipped.replace(/flow: search/, 'flow: teleport');
    const res = await post('/chat/almaty/draft', {
      userId: 'designer-3',
      scenario: broken,
      file: 'default.yaml',
      text: '/start',
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { file: string; path: string }[] } };
    expect(body.error.code).toBe('scenario_invalid');
    expect(body.error.details[0]).toMatchObject({
      file: 'default.yaml',
      path: expect.stringMatching(/^menu\.\d+\.action/),
    });
  });

  it('refuses a message without scenario or userId, and an unknown city', async () => {
    expect((await post('/chat/almaty/draft', { userId: 'x', text: 'hi' })).status).toBe(400);
    expect((await post('/chat/almaty/draft', { scenario: shipped, text: 'hi' })).status).toBe(400);
    expect((await post('/chat/almaty/draft', { userId: 'x', scenario: shipped })).status).toBe(400);
    expect((await post('/chat/nowhere/draft', { userId: 'x', scenario: shipped, text: 'hi' })).status).toBe(404);
  });
});
