import { getBotSecrets, listBotConfigs } from '../../storage/repos/bot-configs.ts';
import type { Db } from '../../storage/repos/common.ts';
import { PLAIN_SECRETS, type SecretBox } from '../../storage/secrets.ts';
import type { TelegramBotConfig, TelegramBotSource } from '../telegram/registry.ts';
import type { WhatsAppNumber, WhatsAppNumberSource } from '../whatsapp/numbers.ts';
import type { CityDirectory } from './cities.ts';
import type { PlatformConfig } from './config.ts';

/**
 * Which bot serves which city: the environment configures the default city's bot, bot configs in
 * the database every other city (and override the environment for their own city).
 */
export function telegramBots(
  db: Db,
  cities: CityDirectory,
  config: PlatformConfig,
  secretBox: SecretBox = PLAIN_SECRETS,
): TelegramBotSource {
  return {
    async list() {
      const bots = new Map<string, TelegramBotConfig>();
      const { defaultToken, webhookSecret, managersChatId } = config.telegram;
      if (defaultToken) {
        bots.set(config.defaultCity, {
          city: config.defaultCity,
          token: defaultToken,
          ...(webhookSecret ? { webhookSecret } : {}),
          ...(managersChatId ? { managersChatId } : {}),
        });
      }
      await cities.reload();
      for (const bot of await listBotConfigs(db)) {
        if (bot.channel !== 'telegram' || !bot.hasBotToken) continue;
        const city = cities.byId(bot.cityId);
        const secrets = await getBotSecrets(db, bot.cityId, 'telegram', secretBox);
        if (!city || !secrets?.botToken) continue;
        bots.set(city.slug, {
          city: city.slug,
          token: secrets.botToken,
          ...((secrets.webhookSecret ?? webhookSecret)
            ? { webhookSecret: (secrets.webhookSecret ?? webhookSecret)! }
            : {}),
          ...((bot.managersChatId ?? bots.get(city.slug)?.managersChatId)
            ? { managersChatId: (bot.managersChatId ?? bots.get(city.slug)?.managersChatId)! }
            : {}),
        });
      }
      return [...bots.values()];
    },
  };
}

export function whatsappNumbers(db: Db, cities: CityDirectory, config: PlatformConfig): WhatsAppNumberSource {
  return {
    async list() {
      const numbers = new Map<string, WhatsAppNumber>();
      if (config.whatsapp.phoneNumberId) {
        numbers.set(config.defaultCity, {
          city: config.defaultCity,
          phoneNumberId: config.whatsapp.phoneNumberId,
          templateName: config.whatsapp.templateName,
        });
      }
      await cities.reload();
      for (const bot of await listBotConfigs(db)) {
        if (bot.channel !== 'whatsapp' || !bot.whatsappPhoneNumberId) continue;
        const city = cities.byId(bot.cityId);
        if (!city) continue;
        numbers.set(city.slug, {
          city: city.slug,
          phoneNumberId: bot.whatsappPhoneNumberId,
          templateName: bot.whatsappTemplateName ?? config.whatsapp.templateName,
          // a template is approved by Meta in the languages it was submitted in: the setting names
          // them; a bot that names none is taken to have its template in the city's language
          templateLang: bot.settings.templateLang ?? city.language,
          ...(bot.settings.templateParams ? { templateParams: bot.settings.templateParams } : {}),
          ...(bot.settings.templateLangs?.length ? { templateLangs: bot.settings.templateLangs } : {}),
        });
      }
      return [...numbers.values()];
    },
  };
}
