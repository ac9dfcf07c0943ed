import { listOrders, pendingOrderNotifications } from '../orders/index.ts';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import {
  activePrompt,
  BotSettingsSchema,
  CityCheckoutSchema,
  countProducts,
  getBotSecrets,
  listBotConfigs,
  listCities,
  listEscalations,
} from '../repos/index.ts';
import { SKU_PATTERN, CATEGORIES, COLORS, MATERIALS } from '../../engine/catalog.ts';
import { buildDemoCatalog } from './catalog.ts';
import { placeholderSvg } from './placeholder.ts';
import { DEMO_CHECKOUT, seedDemoData } from './seed.ts';

describe('demo catalog', () => {
  it('is deterministic, ≥ 500 products, canonical slugs, valid SKUs, realistic tenge prices', () => {
    const a = buildDemoCatalog();
    expect(buildDemoCatalog()).toEqual(a);
    expect(a.length).toBeGreaterThanOrEqual(500);
    expect(new Set(a.map((p) => p.sku)).size).toBe(a.length);
    for (const p of a) {
      expect(p.sku).toMatch(SKU_PATTERN);
      expect(CATEGORIES).toContain(p.category);
      expect(COLORS).toContain(p.color);
      expect(MATERIALS).toContain(p.material);
      expect(p.name).toMatch(/^[А-ЯЁТ][^\n]+«[^»]+»/);
      expect(p.price % 10).toBe(0);
    }
    const sofas = a.filter((p) => p.category === 'sofa').map((p) => p.price);
    expect(Math.min(...sofas)).toBeGreaterThanOrEqual(89_990);
    expect(Math.max(...sofas)).toBeLessThanOrEqual(900_000);
    expect(a.find((p) => p.sku === 'SOFA-001')?.name).toMatch(/^Диван/);
  });

  it('placeholder images are local SVG drawn from the product, with text escaped', () => {
    const svg = placeholderSvg({ sku: 'SOFA-001', name: 'Диван <b>&"x"', category: 'sofa', color: 'grey' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Диван &lt;b&gt;&amp;&quot;x&quot;');
    expect(svg.match(/https?:\/\//g)).toEqual(['http://']); // only the SVG namespace, nothing fetched
    expect(placeholderSvg({ sku: 'BED-014' })).toContain('BED-014');
  });
});

describe('seedDemoData on pglite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('seeds cities, products, bot configs and prompts once; a second run does nothing', async () => {
    const first = await seedDemoData(t.db);
    expect(first.seeded).toBe(true);
    const cities = await listCities(t.db);
    expect(cities.map((c) => [c.slug, c.timezone, c.currency]).sort()).toEqual([
      ['almaty', 'Asia/Almaty', 'KZT'],
      ['astana', 'Asia/Almaty', 'KZT'],
      ['shymkent', 'Asia/Almaty', 'KZT'],
    ]);
    expect(await countProducts(t.db)).toBeGreaterThanOrEqual(1500);
    const almaty = cities.find((c) => c.slug === 'almaty')!;
    // the demo city sells at once: two pickup stores and payment on receipt, as the city API would accept them
    expect(almaty.checkout).toEqual(DEMO_CHECKOUT);
    expect(v.safeParse(CityCheckoutSchema, almaty.checkout).issues).toBeUndefined();
    expect(cities.find((c) => c.slug === 'astana')!.checkout.stores).toEqual([]);
    expect((await listBotConfigs(t.db, almaty.id)).map((c) => c.channel)).toEqual(['telegram', 'whatsapp']);
    expect(await getBotSecrets(t.db, almaty.id, 'telegram')).toEqual({});
    // every stored settings object is one the bot config API would accept
    const stored = await t.db.selectFrom('bot_configs').select(['channel', 'settings']).execute();
    expect(stored).toHaveLength(6);
    for (const row of stored)
      expect(v.safeParse(BotSettingsSchema, row.settings).issues, JSON.stringify(row)).toBeUndefined();
    expect((await listBotConfigs(t.db, almaty.id)).map((c) => c.settings)).toEqual([{}, { templateLang: 'ru' }]);
    expect((await activePrompt(t.db, 'system', almaty.id))?.content).toContain('Алматы');
    expect((await listEscalations(t.db)).total).toBe(0);
    // a few demo orders in the first city, one per stage, numbered from 1
    expect(first.orders).toBe(4);
    const orders = await listOrders(t.db, { cityId: almaty.id });
    expect(orders.items.map((o) => [o.number, o.status]).sort()).toEqual([
      [1, 'new'],
      [2, 'awaiting_payment'],
      [3, 'paid'],
      [4, 'completed'],
    ]);
    expect(orders.items.find((o) => o.status === 'paid')!.payments).toMatchObject([{ provider: 'stripe' }]);
    expect(await pendingOrderNotifications(t.db)).toEqual([]);

    const second = await seedDemoData(t.db);
    expect(second.seeded).toBe(false);
    expect(await countProducts(t.db)).toBe(first.products);
    expect((await seedDemoData(t.db, { force: true })).orders).toBe(0);
    expect((await listOrders(t.db, {})).total).toBe(4);
  });
});
