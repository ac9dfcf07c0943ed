import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity, upsertBotConfig } from '../../storage/repos/index.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../storage/testing.ts';
import { CityDirectory } from './cities.ts';
import { loadConfig } from './config.ts';
import { telegramBots, whatsappNumbers } from './sources.ts';
import { PLAIN_SECRETS, secretBox } from '../../storage/secrets.ts';

describe.each(TEST_BACKENDS)('Telegram bots from the environment and the database on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  it('the default city from the environment, other cities from bot configs, tokens opened with SECRETS_KEY', async () => {
    const key = randomBytes(32);
    const config = loadConfig({
      SECRETS_KEY: key.toString('base64'),
      TELEGRAM_BOT_TOKEN: '111111:ENV-TOKEN-for-the-default-city-abcdef',
      DEFAULT_CITY: 'almaty',
    });
    expect(config.secretsKey).toEqual(key);
    const box = secretBox(config.secretsKey!);
    await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    const astana = await createCity(t.db, { name: 'Астана', slug: 'astana' });
    await upsertBotConfig(
      t.db,
      astana.id,
      'telegram',
      { botToken: '222222:DB-TOKEN-of-astana-abcdefghijklmnop', managersChatId: '-1002' },
      box,
    );

    const bots = await telegramBots(t.db, new CityDirectory(t.db), config, box).list();
    expect(bots.map((b) => [b.city, b.token, b.managersChatId])).toEqual([
      ['almaty', '111111:ENV-TOKEN-for-the-default-city-abcdef', undefined],
      ['astana', '222222:DB-TOKEN-of-astana-abcdefghijklmnop', '-1002'],
    ]);
    // started without the key, the platform says which variable it needs
    await expect(telegramBots(t.db, new CityDirectory(t.db), config, PLAIN_SECRETS).list()).rejects.toThrow(
      /SECRETS_KEY/,
    );
  });
});

describe.each(TEST_BACKENDS)('WhatsApp numbers from bot configs on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  it('the template languages come from the bot settings; the city language stays the fallback', async () => {
    const shymkent = await createCity(t.db, { name: 'Шымкент', slug: 'shymkent', language: 'kk' });
    await upsertBotConfig(t.db, shymkent.id, 'whatsapp', {
      whatsappPhoneNumberId: '1055',
      whatsappTemplateName: 'zeta_update',
      settings: { templateLangs: ['kk', 'ru'] },
    });
    // a stored list with a bad entry is not acted on (a row written by hand must not stop the bot)
    const taraz = await createCity(t.db, { name: 'Тараз', slug: 'taraz', language: 'ru' });
    await t.db
      .insertInto('bot_configs')
      .values({
        city_id: taraz.id,
        channel: 'whatsapp',
        whatsapp_phone_number_id: '1056',
        whatsapp_template_name: 'zeta_update',
        settings: JSON.stringify({ templateLangs: ['kk', 42] }),
      })
      .execute();
    const numbers = await whatsappNumbers(t.db, new CityDirectory(t.db), loadConfig({})).list();
    expect(numbers.sort((a, b) => a.city.localeCompare(b.city))).toEqual([
      {
        city: 'shymkent',
        phoneNumberId: '1055',
        templateName: 'zeta_update',
        templateLang: 'kk',
        templateLangs: ['kk', 'ru'],
      },
      { city: 'taraz', phoneNumberId: '1056', templateName: 'zeta_update', templateLang: 'ru' },
    ]);
  });
});
