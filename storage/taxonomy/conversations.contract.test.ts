import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextSchema, initialContext, type ConversationContext } from '../../engine/context.ts';
import { createStateBackend, type StateBackend } from '../state/index.ts';
import { TEST_REDIS_URL } from '../testServices.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { createCategory, mergeCategories } from './index.ts';

/**
 * A merge rewrites what persisted conversations remember, on every state backend: embedded on
 * PGlite and on PostgreSQL, and Redis (beside PostgreSQL, as production runs).
 */
const BACKENDS = [
  { name: 'embedded on PGlite', db: 'pglite', redis: false },
  { name: 'embedded on PostgreSQL', db: 'postgres', redis: false },
  { name: 'Redis', db: 'postgres', redis: true },
] as const;

/** a conversation as the runtime stores it (hosts/runtime/stored.ts): the engine's snapshot plus bookkeeping */
function storedConversation(context: ConversationContext): string {
  return JSON.stringify({
    p: { scenarioId: 'default', scenarioVersion: 1, snapshot: { value: { browsing: 'results' }, context } },
    last: 'm-1',
    out: { replies: [], proactive: false, tracked: [], at: '2025-05-01T10:00:00.000Z' },
  });
}

const contextOf = (data: string): ConversationContext =>
  v.parse(ContextSchema, (JSON.parse(data) as { p: { snapshot: { context: unknown } } }).p.snapshot.context);

describe.each(BACKENDS)('a merge rewrites persisted conversations ($name)', ({ db, redis }) => {
  let t: TestDatabase;
  let state: StateBackend;
  beforeAll(async () => {
    t = await createTestDatabase(db);
    state = await createStateBackend(
      redis ? { redisUrl: TEST_REDIS_URL, keyPrefix: `zt:${randomUUID().slice(0, 8)}:` } : { db: t.db },
    );
  });
  afterAll(async () => {
    await state?.close();
    await t?.close();
  });

  it('points criteria, a pending fallback search and learned preferences at the category merged into', async () => {
    await createCategory(t.db, { slug: 'banketki', names: { ru: 'Банкетки' } });
    const browsing = {
      ...initialContext('telegram', 'ru'),
      criteria: { category: 'banketki', priceMax: 100_000, query: 'мягкая' },
      pending: { sku: '000123456', otherwise: { category: 'sofa', audience: 'banketki', priceMax: 123_456 } },
      history: [{ role: 'shopper' as const, text: 'category banketki', at: '2025-05-01T10:00:00.000Z' }],
    } as unknown as ConversationContext;
    const other = { ...initialContext('whatsapp', 'kk'), criteria: { category: 'sofa' as const } };
    await state.snapshots.write('telegram:almaty:1', storedConversation(browsing), 0, 3600);
    await state.snapshots.write('whatsapp:almaty:2', storedConversation(other), 0, 3600);
    const prefs = { categories: { banketki: 2, pouf: 1 }, colors: {}, materials: {}, viewed: [], signals: 3 };
    await state.snapshots.write('prefs:telegram:almaty:1', JSON.stringify(prefs), 0);
    await state.snapshots.write('wa-window:77', String(Date.now()), 0);

    // a turn in flight holds the conversation's lock: the rewrite waits for it instead of overwriting the turn
    const turn = await state.locks.acquire('telegram:almaty:1', 5_000, 0);
    setTimeout(() => void turn!.release(), 300);
    const result = await mergeCategories(t.db, { from: 'banketki', into: 'pouf' }, { state });
    expect(result).toMatchObject({ products: 0, conversations: { conversations: 1, preferences: 1, skipped: [] } });

    const rewritten = contextOf((await state.snapshots.read('telegram:almaty:1'))!.data);
    expect(rewritten.criteria).toEqual({ category: 'pouf', priceMax: 100_000, query: 'мягкая' });
    // whom a search is for moves as what it is does
    expect(rewritten.pending?.otherwise).toEqual({ category: 'sofa', audience: 'pouf', priceMax: 123_456 });
    expect(rewritten.history[0]?.text).toBe('category banketki');
    expect(await state.snapshots.read('whatsapp:almaty:2')).toMatchObject({ version: 1 });
    expect(JSON.parse((await state.snapshots.read('prefs:telegram:almaty:1'))!.data).categories).toEqual({ pouf: 3 });
    expect(await state.snapshots.read('wa-window:77')).toMatchObject({ version: 1 });
  });

  it('leaves a conversation whose turn outlasts the wait as it was, and says so', async () => {
    await createCategory(t.db, { slug: 'kushetki', names: { ru: 'Кушетки' } });
    const context = {
      ...initialContext('telegram', 'ru'),
      criteria: { category: 'kushetki' },
    } as unknown as ConversationContext;
    await state.snapshots.write('telegram:almaty:9', storedConversation(context), 0);
    const turn = await state.locks.acquire('telegram:almaty:9', 10_000, 0);
    try {
      const result = await mergeCategories(t.db, { from: 'kushetki', into: 'sofa' }, { state });
      expect(result.conversations).toEqual({ conversations: 0, preferences: 0, skipped: ['telegram:almaty:9'] });
    } finally {
      await turn!.release();
    }
    const kept = JSON.parse((await state.snapshots.read('telegram:almaty:9'))!.data) as {
      p: { snapshot: { context: ConversationContext } };
    };
    expect(kept.p.snapshot.context.criteria).toEqual({ category: 'kushetki' });
  });
});
