import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Product } from '../../engine/catalog.ts';
import { searchCatalog } from '../../engine/testing/catalogSearch.ts';
import { createTestDatabase, TEST_BACKENDS } from '../../storage/testing.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import type { CatalogPort } from '../runtime/ports.ts';
import { createProfilePort } from './profilePort.ts';
import type { SnapshotStore } from '../../storage/state/types.ts';
import { stateWindowStore } from '../whatsapp/window.ts';
import type { Preferences } from '../../engine/preferences.ts';
import { statePreferenceStore } from './store.ts';
import { redisTestState } from '../whatsapp/testing/redis.ts';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const products = JSON.parse(
  readFileSync(new URL('../../scenarios/fixtures/catalog.json', import.meta.url), 'utf8'),
) as Product[];
// the fixture catalog; the storage-backed catalog is wired by the platform
const catalog: CatalogPort = {
  search: async (_city, criteria, page, size) => searchCatalog(products, criteria, page, size),
  bySku: async (_city, sku) => products.find((p) => p.sku === sku) ?? null,
};

const backends: { name: string; open: () => Promise<{ state: StateBackend; close: () => Promise<void> }> }[] = [
  {
    name: 'Redis',
    open: async () => {
      const state = await redisTestState('prefs');
      return { state, close: () => state.close() };
    },
  },
  ...TEST_BACKENDS.map((kind) => ({
    name: `embedded ${kind}`,
    open: async () => {
      const t = await createTestDatabase(kind);
      const state = await createStateBackend({ db: t.db, keyPrefix: 'prefs:' });
      return {
        state,
        close: async () => {
          await state.close();
          await t.close();
        },
      };
    },
  })),
];

describe.each(backends)('preferences and recommendations on $name', ({ open }) => {
  it('learns from searches and taps, changes recommendations, and forgets', async () => {
    const { state, close } = await open();
    closers.push(close);
    const profiles = createProfilePort({ store: statePreferenceStore(state.snapshots), catalog });
    const key = `whatsapp:almaty:${randomUUID()}`;

    expect(await profiles.recommend(key, 'almaty', 3)).toEqual([]);

    // the shopper looks for red sofas up to 300 000 and opens one
    await profiles.learn(key, 'almaty', {
      name: 'search',
      props: {
        query: null,
        category: 'sofa',
        color: 'red',
        material: null,
        priceMin: null,
        priceMax: 300000,
        total: 4,
        via: 'text',
      },
    });
    await profiles.learn(key, 'almaty', { name: 'product_view', props: { sku: 'SOFA-001', productId: 'p-sofa-001' } });
    await profiles.learn(key, 'almaty', { name: 'greeting' });

    const sofas = await profiles.recommend(key, 'almaty', 3);
    expect(sofas.length).toBeGreaterThan(0);
    expect(sofas.every((p) => p.category === 'sofa' && p.available && p.price <= 300000)).toBe(true);
    expect(sofas.map((p) => p.sku)).not.toContain('SOFA-001');
    // the preferred colour comes first
    const reds = products.filter(
      (p) => p.category === 'sofa' && p.color === 'red' && p.available && p.price <= 300000 && p.sku !== 'SOFA-001',
    );
    if (reds.length > 0) expect(sofas[0]!.color).toBe('red');

    // taste changes: beds, several times → beds lead
    for (let n = 0; n < 3; n++)
      await profiles.learn(key, 'almaty', {
        name: 'search',
        props: { category: 'bed', color: null, priceMin: null, priceMax: null },
      });
    const afterBeds = await profiles.recommend(key, 'almaty', 3);
    expect(afterBeds[0]!.category).toBe('bed');

    await profiles.forget(key);
    expect(await profiles.recommend(key, 'almaty', 3)).toEqual([]);
  });

  it('ignores signals it does not understand and unknown SKUs', async () => {
    const { state, close } = await open();
    closers.push(close);
    const profiles = createProfilePort({ store: statePreferenceStore(state.snapshots), catalog });
    const key = `whatsapp:almaty:${randomUUID()}`;
    await profiles.learn(key, 'almaty', { name: 'search', props: { category: 'spaceship', color: 42 } });
    await profiles.learn(key, 'almaty', { name: 'product_view', props: { sku: 'NOPE-000' } });
    expect(await profiles.recommend(key, 'almaty', 3)).toEqual([]);
  });

  it('learns without reading back what this process just wrote, and loses no count to another writer', async () => {
    const { state, close } = await open();
    closers.push(close);
    let reads = 0;
    const counted: SnapshotStore = { ...state.snapshots, read: (key) => (reads++, state.snapshots.read(key)) };
    const mine = statePreferenceStore(counted);
    const other = statePreferenceStore(state.snapshots);
    const key = `telegram:almaty:${randomUUID()}`;
    const sofa = (p: Preferences) => ({ ...p, categories: { ...p.categories, sofa: (p.categories.sofa ?? 0) + 1 } });
    await mine.update(key, 'almaty', sofa);
    await mine.update(key, 'almaty', sofa);
    await mine.update(key, 'almaty', sofa);
    expect(reads).toBe(1);
    // another replica learns in between: the stale guess fails its compare-and-set, is read afresh
    await other.update(key, 'almaty', sofa);
    await mine.update(key, 'almaty', sofa);
    expect(reads).toBe(2);
    expect((await other.get(key))?.categories.sofa).toBe(5);
    await mine.delete(key);
    expect(await other.get(key)).toBeUndefined();
    await mine.update(key, 'almaty', sofa);
    expect((await other.get(key))?.categories.sofa).toBe(1);
  });

  it('reads ahead when told a turn will learn, so learning makes no read of its own', async () => {
    const { state, close } = await open();
    closers.push(close);
    let reads = 0;
    const counted: SnapshotStore = { ...state.snapshots, read: (key) => (reads++, state.snapshots.read(key)) };
    const profiles = createProfilePort({ store: statePreferenceStore(counted), catalog });
    const other = statePreferenceStore(state.snapshots);
    const key = `telegram:almaty:${randomUUID()}`;
    await other.update(key, 'almaty', (p) => ({ ...p, categories: { sofa: 2 } }));
    // signals learning ignores read nothing
    profiles.willLearn?.(key, [{ name: 'greeting' }]);
    expect(reads).toBe(0);
    profiles.willLearn?.(key, [{ name: 'message_in' }, { name: 'search' }]);
    profiles.willLearn?.(key, [{ name: 'search' }]);
    expect(reads).toBe(1);
    await profiles.learn(key, 'almaty', { name: 'search', props: { category: 'sofa' } });
    expect(reads).toBe(1);
    expect((await other.get(key))?.categories.sofa).toBeGreaterThan(2);
  });

  it("moves WhatsApp's window at most once a minute per shopper, never back, and keeps it open", async () => {
    const { state, close } = await open();
    closers.push(close);
    let writes = 0;
    const counted: SnapshotStore = {
      ...state.snapshots,
      write: (...args) => (writes++, state.snapshots.write(...args)),
    };
    const window = stateWindowStore(counted);
    const address = { channel: 'whatsapp' as const, city: 'almaty', chatId: randomUUID() };
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    for (const offset of [0, 5_000, 30_000, 59_000, -3_600_000]) await window.touch(address, new Date(t0 + offset));
    expect(writes).toBe(1);
    expect((await window.lastInbound(address))?.getTime()).toBe(t0);
    await window.touch(address, new Date(t0 + 61_000));
    expect(writes).toBe(2);
    expect((await window.lastInbound(address))?.getTime()).toBe(t0 + 61_000);
    // another replica's store (no memory of this one's writes) still never moves it back
    await stateWindowStore(state.snapshots).touch(address, new Date(t0));
    expect((await window.lastInbound(address))?.getTime()).toBe(t0 + 61_000);
  });
});
