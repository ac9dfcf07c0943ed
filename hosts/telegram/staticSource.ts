import type { TelegramBotConfig, TelegramBotSource } from './registry.ts';

/** A fixed list of bots (tests, benchmarks). */
export const staticBotSource = (bots: TelegramBotConfig[]): TelegramBotSource => ({ list: async () => bots });

/**
 * The environment's bot: TELEGRAM_BOT_TOKEN for the default city, with TELEGRAM_WEBHOOK_SECRET
 * and TELEGRAM_MANAGERS_CHAT_ID when set. Other cities' bots come from the bot_configs table.
 */
export function envBotSource(env: NodeJS.ProcessEnv = process.env, defaultCity = 'almaty'): TelegramBotSource {
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  return staticBotSource(
    token
      ? [
          {
            city: env.TELEGRAM_DEFAULT_CITY?.trim() || defaultCity,
            token,
            ...(env.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET } : {}),
            ...(env.TELEGRAM_MANAGERS_CHAT_ID ? { managersChatId: env.TELEGRAM_MANAGERS_CHAT_ID } : {}),
          },
        ]
      : [],
  );
}

/** Several sources as one; a later source's city wins over an earlier one (database over environment). */
export function mergedBotSource(...sources: TelegramBotSource[]): TelegramBotSource {
  return {
    async list() {
      const byCity = new Map<string, TelegramBotConfig>();
      for (const source of sources) for (const bot of await source.list()) byCity.set(bot.city, bot);
      return [...byCity.values()];
    },
  };
}
