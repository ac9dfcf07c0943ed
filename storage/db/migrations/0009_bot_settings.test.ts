import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotSettingsSchema } from '../../repos/bot-settings.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../testing.ts';
import { up } from './0009_bot_settings.ts';

describe.each(TEST_BACKENDS)('migration 0009 on %s: bot settings keep only what is read', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  it('drops the settings nothing read and values the API refuses, keeps the rest, keeps the template language, and is idempotent', async () => {
    const cities = await t.db
      .insertInto('cities')
      .values([
        { name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty' },
        { name: 'Астана', slug: 'astana', timezone: 'Asia/Almaty', language: 'kk' },
      ])
      .returning(['id', 'slug'])
      .execute();
    const [almaty, astana] = [cities[0]!.id, cities[1]!.id];
    // rows as the panel and the demo seed wrote them before this migration
    const before = {
      panel: {
        model: 'gpt-4o',
        temperature: 0.3,
        maxTokens: 800,
        contextLength: 5,
        defaultLanguage: 'kk',
        managerSlaMinutes: 30,
        greeting: 'Сәлем!',
        promptName: 'system',
      },
      seed: { historyLimit: 10, language: 'ru', greeting: true },
      whatsapp: { templateLang: 'kk', templateParams: ['productName', 'price'], maxTokens: 1, model: 'bad model name' },
    };
    const row = (cityId: string, channel: 'telegram' | 'whatsapp', settings: object) => ({
      city_id: cityId,
      channel,
      settings: JSON.stringify(settings),
      bot_token: null,
      webhook_secret: null,
      managers_chat_id: null,
      whatsapp_phone_number_id: null,
      whatsapp_template_name: null,
      scenario_id: null,
    });
    await t.db
      .insertInto('bot_configs')
      .values([
        row(almaty, 'telegram', before.panel),
        row(almaty, 'whatsapp', before.whatsapp),
        row(astana, 'telegram', before.seed),
        row(astana, 'whatsapp', before.seed),
      ])
      .execute();

    const migrate = () => up(t.db as unknown as Kysely<unknown>);
    await migrate();
    const after = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom('bot_configs')
            .innerJoin('cities', 'cities.id', 'bot_configs.city_id')
            .select(['cities.slug', 'bot_configs.channel', 'bot_configs.settings'])
            .execute()
        ).map((r) => [`${r.slug}/${r.channel}`, r.settings]),
      );
    const migrated = await after();
    expect(migrated).toEqual({
      'almaty/telegram': { model: 'gpt-4o', maxTokens: 800 },
      'almaty/whatsapp': { templateLang: 'kk', templateParams: ['productName', 'price'] },
      'astana/telegram': {},
      // templates of Astana went out in Kazakh, the city's language: they still do
      'astana/whatsapp': { templateLang: 'kk' },
    });
    for (const settings of Object.values(migrated))
      expect(v.safeParse(BotSettingsSchema, settings).issues).toBeUndefined();

    await migrate();
    expect(await after()).toEqual(migrated);
  });
});
