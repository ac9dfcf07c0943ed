import { createHash, timingSafeEqual } from 'node:crypto';
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../runtime/ports.ts';
import { DEFAULT_RETRY, installRetries, type RetryPolicy } from './retry.ts';
import { createBotApiFetch } from './fetch.ts';

/** one keep-alive pool for every city's bot */
const botApiFetch = createBotApiFetch();

/** One city's bot as configured (bot_configs row, or TELEGRAM_BOT_TOKEN for the default city). */
export type TelegramBotConfig = { city: string; token: string; webhookSecret?: string; managersChatId?: string };

/** Where bot configs come from; the platform wires it to storage plus the environment. */
export interface TelegramBotSource {
  list(): Promise<TelegramBotConfig[]>;
}

export type CityBot = {
  readonly city: string;
  readonly token: string;
  /** what Telegram must echo in X-Telegram-Bot-Api-Secret-Token */
  readonly secret: string;
  readonly managersChatId?: string;
  readonly bot: Bot;
};

export type BotRegistryOptions = {
  source: TelegramBotSource;
  /** Bot API root (TELEGRAM_API_ROOT); default https://api.telegram.org */
  apiRoot?: string;
  /** TELEGRAM_WEBHOOK_SECRET: used for cities without their own secret */
  defaultWebhookSecret?: string;
  retry?: Partial<RetryPolicy>;
  log: Logger;
};

export const DEFAULT_API_ROOT = 'https://api.telegram.org';

/**
 * A city without any configured secret still gets one: derived from its token, so webhooks are
 * never served unauthenticated and `telegram:webhook set` registers the same value.
 */
export const deriveWebhookSecret = (token: string) =>
  createHash('sha256').update(`zeta-telegram-webhook:${token}`).digest('hex').slice(0, 48);

export function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One grammY Bot per city, built from the bot source; `reload()` picks up config changes. */
export class BotRegistry {
  readonly apiRoot: string;
  readonly #opts: BotRegistryOptions;
  readonly #retry: RetryPolicy;
  #bots = new Map<string, CityBot>();
  readonly #identities = new Map<string, Promise<UserFromGetMe | undefined>>();

  constructor(opts: BotRegistryOptions) {
    this.#opts = opts;
    this.apiRoot = (opts.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  /** (Re)reads the source. Bots whose token did not change are kept (with their identity). */
  async load(): Promise<void> {
    const configs = await this.#opts.source.list();
    const next = new Map<string, CityBot>();
    for (const config of configs) {
      if (!config.token) continue;
      const existing = this.#bots.get(config.city);
      const secret = config.webhookSecret || this.#opts.defaultWebhookSecret || deriveWebhookSecret(config.token);
      if (existing && existing.token === config.token) {
        next.set(config.city, {
          ...existing,
          secret,
          ...(config.managersChatId ? { managersChatId: config.managersChatId } : {}),
        });
        continue;
      }
      const bot = new Bot(config.token, { client: { apiRoot: this.apiRoot, fetch: botApiFetch } });
      installRetries(bot.api, this.#retry);
      this.#identities.delete(config.city);
      next.set(config.city, {
        city: config.city,
        token: config.token,
        secret,
        bot,
        ...(config.managersChatId ? { managersChatId: String(config.managersChatId) } : {}),
      });
    }
    this.#bots = next;
  }

  get(city: string): CityBot | undefined {
    return this.#bots.get(city);
  }

  all(): CityBot[] {
    return [...this.#bots.values()];
  }

  /** The bot's identity via getMe, fetched once per token. Undefined while the API is unreachable. */
  identity(city: string): Promise<UserFromGetMe | undefined> {
    const entry = this.#bots.get(city);
    if (!entry) return Promise.resolve(undefined);
    let pending = this.#identities.get(city);
    if (!pending) {
      pending = (async () => {
        try {
          await entry.bot.init();
          return entry.bot.botInfo;
        } catch (error) {
          this.#identities.delete(city);
          this.#opts.log.warn(
            { city, err: error instanceof Error ? error.message : String(error) },
            'telegram getMe failed',
          );
          return undefined;
        }
      })();
      this.#identities.set(city, pending);
    }
    return pending;
  }

  /** The identity if already known; otherwise starts fetching it and returns undefined (never blocks a webhook). */
  knownIdentity(city: string): UserFromGetMe | undefined {
    const entry = this.#bots.get(city);
    if (!entry) return undefined;
    if (entry.bot.isInited()) return entry.bot.botInfo;
    void this.identity(city);
    return undefined;
  }

  /** getMe for every city up front (start-up); failures are logged, not fatal. */
  async init(): Promise<void> {
    await Promise.all(this.all().map((b) => this.identity(b.city)));
  }
}
