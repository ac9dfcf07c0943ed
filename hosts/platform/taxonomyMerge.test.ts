import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * A category merge in the panel reaches the conversations in flight: on the embedded platform
 * (PGlite + in-process state) and the production one (PostgreSQL + Redis), a shopper browsing
 * poufs when «Пуфы» is merged into «Кресла» pages on through the same search, now over armchairs
 * (the former poufs among them).
 */
const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };

describe.each(['embedded', 'production'] as const)('a category merge on the %s platform', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let token: string;
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;
  const api = (path: string, init: RequestInit = {}) =>
    platform.app.request(`/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
  const chat = async (text: string): Promise<Reply[]> => {
    const res = await api('/chat/almaty', { method: 'POST', body: JSON.stringify({ userId: 'shopper-merge', text }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Reply[] }).replies;
  };
  const categoriesShown = async (replies: Reply[]) => {
    const ids = replies.flatMap((r) => (r.type === 'products' ? r.items.map((i) => i.id) : []));
    expect(ids.length).toBeGreaterThan(0);
    const rows = await database.db.selectFrom('products').select('category').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.category));
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const env = {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'test-secret-test-secret-test-secret',
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
  });

  it('rewrites the search a persisted conversation remembers, and its next page follows it', async () => {
    expect(await categoriesShown(await chat('покажи пуфы'))).toEqual(new Set(['pouf']));
    const poufs = await database.db.selectFrom('products').select('id').where('category', '=', 'pouf').execute();

    const res = await api('/categories/merge', {
      method: 'POST',
      body: JSON.stringify({ from: 'pouf', into: 'armchair' }),
    });
    expect(res.status).toBe(200);
    const { merged } = (await res.json()) as { merged: { products: number; conversations: { conversations: number } } };
    expect(merged.products).toBe(poufs.length);
    expect(merged.conversations.conversations).toBeGreaterThanOrEqual(1);

    const stored = await platform.state.snapshots.read('web:almaty:shopper-merge');
    const context = (JSON.parse(stored!.data) as { p: { snapshot: { context: { criteria: { category?: string } } } } })
      .p.snapshot.context;
    expect(context.criteria.category).toBe('armchair');
    // the next page of the same search: armchairs now
    expect(await categoriesShown(await chat('покажи ещё'))).toEqual(new Set(['armchair']));
  });
});
