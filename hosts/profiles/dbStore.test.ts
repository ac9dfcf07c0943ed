import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Product } from '../../engine/catalog.ts';
import { searchCatalog } from '../../engine/testing/catalogSearch.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../storage/testing.ts';
import type { CatalogPort } from '../runtime/ports.ts';
import { dbPreferenceStore, dbWindowStore } from './dbStore.ts';
import { createProfilePort } from './profilePort.ts';

const products = JSON.parse(readFileSync(new URL('../../scenarios/fixtures/catalog.json', import.meta.url), 'utf8')) as Product[];
const catalog: CatalogPort = {
  search: async (_city, criteria, page, size) => searchCatalog(products, criteria, page, size),
  bySku: async (_city, sku) => products.find((p) => p.sku === sku) ?? null,
};

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

describe.each(TEST_BACKENDS.map((kind) => ({ kind })))('shopper_profiles on $kind', ({ kind }) => {
  it('keeps preferences, recommends from them, forgets them; the 24-hour window only moves forward', async () => {
    const t = await createTestDatabase(kind);
    opened.push(t);
    const city = await t.db.insertInto('cities').values({ name: 'Алматы', slug: `almaty-${randomUUID().slice(0, 6)}`, timezone: 'Asia/Almaty' }).returning(['id', 'slug']).executeTakeFirstOrThrow();
    const cityId = async (slug: string) => (slug === city.slug ? city.id : null);
    const state = await createStateBackend({ db: t.db, keyPrefix: `p${randomUUID().slice(0, 6)}:` });
    try {
      const profiles = createProfilePort({ store: dbPreferenceStore(t.db, { cityId, viewed: state.snapshots }), catalog });
      const key = `whatsapp:${city.slug}:77010000001`;
      expect(await profiles.recommend(key, city.slug, 3)).toEqual([]);

      await profiles.learn(key, city.slug, { name: 'search', props: { category: 'sofa', color: 'blue', priceMin: null, priceMax: 150000 } });
      await profiles.learn(key, city.slug, { name: 'product_view', props: { sku: 'SOFA-004', productId: 'p-sofa-004' } });
      const row = await t.db.selectFrom('shopper_profiles').selectAll().where('conversation_key', '=', key).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel: 'whatsapp', chat_id: '77010000001', city_id: city.id });
      expect(row.categories).toEqual({ sofa: 3 });
      expect(Number(row.price_max_seen)).toBeGreaterThanOrEqual(150000);

      const recommended = await profiles.recommend(key, city.slug, 3);
      expect(recommended.length).toBeGreaterThan(0);
      expect(recommended.every((p) => p.category === 'sofa' && p.available)).toBe(true);
      expect(recommended.map((p) => p.sku)).not.toContain('SOFA-004');

      await profiles.forget(key);
      expect(await profiles.recommend(key, city.slug, 3)).toEqual([]);

      const window = dbWindowStore(t.db, { cityId });
      const address = { channel: 'whatsapp' as const, city: city.slug, chatId: '77010000001' };
      await window.touch(address, new Date('2026-03-01T10:00:00Z'));
      await window.touch(address, new Date('2026-03-01T09:00:00Z'));
      expect((await window.lastInbound(address))?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
      expect(await window.lastInbound({ ...address, chatId: 'nobody' })).toBeUndefined();
    } finally {
      await state.close();
    }
  }, 60_000);
});
