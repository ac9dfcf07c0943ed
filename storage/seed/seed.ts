import { sql } from 'kysely';
import { upsertProducts } from '../import/upsert.ts';
import type { CityCheckout } from '../repos/cityCheckout.ts';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { upsertBotConfig } from '../repos/bot-configs.ts';
import { createPromptVersion, activePrompt } from '../repos/prompts.ts';
import { buildDemoCatalog, catalogForCity, DEMO_CITIES } from './catalog.ts';
import { seedDemoOrders } from './orders.ts';

export const DEFAULT_SYSTEM_PROMPT = (cityName: string) =>
  `Ты — консультант мебельного магазина ZETA в городе ${cityName}. Отвечай кратко и дружелюбно на языке покупателя ` +
  `(русский, казахский или английский). Называй только товары, цены и наличие из каталога; цены — в тенге (₸). ` +
  `Если покупатель просит человека, злится или ты не можешь помочь — предложи связаться с менеджером.`;

/** the demo city sells at once: two pickup stores, and payment on delivery and at pickup besides the online providers */
export const DEMO_CHECKOUT: CityCheckout = {
  stores: [
    { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
    { id: 'mega', name: 'MEGA Park', address: 'ул. Макатаева, 127' },
  ],
  payOnDelivery: true,
  payAtPickup: true,
};

export type SeedReport = { seeded: boolean; cities: number; products: number; orders?: number };

/**
 * Demo data for a fresh database: three cities, the 530-product catalog in each (city-specific
 * prices and stock), Telegram and WhatsApp bot configs without secrets, an active system prompt
 * per city, a few orders at different stages in the first city, which also has pickup stores and
 * payment on receipt (DEMO_CHECKOUT). Idempotent: does nothing when cities already exist (unless `force`), and re-running
 * with `force` upserts the same rows.
 */
export async function seedDemoData(db: Db, options: { force?: boolean } = {}): Promise<SeedReport> {
  return inTransaction(db, async (tx) => {
    // two processes starting on one empty database must not both seed
    await sql`SELECT pg_advisory_xact_lock(hashtext('zeta:seed'))`.execute(tx);
    const existing = await tx
      .selectFrom('cities')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(existing.n) > 0 && !options.force) return { seeded: false, cities: Number(existing.n), products: 0 };

    const catalog = buildDemoCatalog();
    let products = 0;
    let orders = 0;
    for (const demo of DEMO_CITIES) {
      const city = await tx
        .insertInto('cities')
        .values({
          name: demo.name,
          slug: demo.slug,
          timezone: demo.timezone,
          currency: demo.currency,
          language: demo.language,
          ...(demo === DEMO_CITIES[0] ? { checkout: json(DEMO_CHECKOUT) } : {}),
        })
        .onConflict((oc) => oc.column('slug').doUpdateSet({ name: demo.name }))
        .returning(['id'])
        .executeTakeFirstOrThrow();
      const rows = catalogForCity(catalog, demo);
      for (let i = 0; i < rows.length; i += 500) {
        const r = await upsertProducts(tx, city.id, rows.slice(i, i + 500));
        products += r.inserted + r.updated;
      }
      for (const channel of ['telegram', 'whatsapp'] as const) {
        // the demo's template is taken to be approved in the city's language
        await upsertBotConfig(tx, city.id, channel, {
          settings: channel === 'whatsapp' ? { templateLang: demo.language } : {},
          scenarioId: 'default',
          ...(channel === 'whatsapp' ? { whatsappTemplateName: 'price_drop' } : {}),
        });
      }
      // the first city gets a few orders at different stages (the panel's Orders page)
      if (demo === DEMO_CITIES[0]) orders += await seedDemoOrders(tx, city.id);
      if (!(await activePrompt(tx, 'system', city.id))) {
        await createPromptVersion(tx, { cityId: city.id, name: 'system', content: DEFAULT_SYSTEM_PROMPT(demo.name) });
      }
    }
    if (!(await activePrompt(tx, 'system', null))) {
      await createPromptVersion(tx, { cityId: null, name: 'system', content: DEFAULT_SYSTEM_PROMPT('Казахстан') });
    }
    return { seeded: true, cities: DEMO_CITIES.length, products, orders };
  });
}
