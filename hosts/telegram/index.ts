import type { Hono } from 'hono';
import type { Logger } from '../runtime/ports.ts';
import { TelegramChannel, type LocalMedia } from './channel.ts';
import { TelegramHost, type ManagerAction, type RuntimeIntake } from './host.ts';
import { TelegramManagerNotifier } from './managers.ts';
import { startTelegramPolling, type PollingHandle } from './polling.ts';
import { BotRegistry, type TelegramBotSource } from './registry.ts';
import type { RetryPolicy } from './retry.ts';
import { telegramWebhookRoutes } from './webhook.ts';

export { adaptUpdate, parseCommand, type AdaptContext, type Adapted } from './adapter.ts';
export { TelegramChannel, type LocalMedia, type TelegramChannelOptions } from './channel.ts';
export {
  MediaTooLargeError,
  MediaUnavailableError,
  TelegramDeliveryError,
  UnknownCityError,
  TELEGRAM_DOWNLOAD_LIMIT,
} from './errors.ts';
export { formatTag, parseTag, parseChatRef } from './escalationTag.ts';
export { TelegramHost, type ManagerAction, type RuntimeIntake, type UpdateOutcome } from './host.ts';
export { TelegramManagerNotifier, type EscalationNotice } from './managers.ts';
export { startTelegramPolling, ALLOWED_UPDATES, type PollingHandle } from './polling.ts';
export {
  BotRegistry,
  deriveWebhookSecret,
  DEFAULT_API_ROOT,
  type CityBot,
  type TelegramBotConfig,
  type TelegramBotSource,
} from './registry.ts';
export { render, guessLang, type PhotoSource, type Step } from './renderer.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export { telegramWebhookRoutes, SECRET_HEADER, MAX_UPDATE_BYTES } from './webhook.ts';
export {
  setWebhooks,
  deleteWebhooks,
  webhookInfo,
  syncCityWebhook,
  type CityBotChange,
  type WebhookReport,
} from './webhookAdmin.ts';

export type TelegramOptions = {
  source: TelegramBotSource;
  /** the conversation runtime, or a getter (the runtime needs `channel` among its ports, so it is often built after this) */
  runtime: RuntimeIntake | (() => RuntimeIntake);
  log: Logger;
  /** TELEGRAM_API_ROOT */
  apiRoot?: string;
  /** TELEGRAM_WEBHOOK_SECRET (cities may have their own in bot_configs) */
  defaultWebhookSecret?: string;
  /** PUBLIC_BASE_URL, for relative product image paths */
  publicBaseUrl?: string;
  /** reads `/media/...` bytes when there is no public URL (they are uploaded instead) */
  readLocalMedia?: (path: string) => Promise<LocalMedia | undefined>;
  retry?: Partial<RetryPolicy>;
  clock?: () => Date;
};

export type Telegram = {
  registry: BotRegistry;
  host: TelegramHost;
  /** ChannelPort for RuntimePorts.channels.telegram */
  channel: TelegramChannel;
  /** for the escalation service: notifyManagers / forwardShopperMessage */
  notifier: TelegramManagerNotifier;
  /** Hono app with POST /webhooks/telegram/:city — mount with app.route('/', telegram.routes) */
  routes: Hono;
  onManagerAction(listener: (action: ManagerAction) => Promise<void> | void): () => void;
  /** long polling for every city (local development without a public URL) */
  startPolling(): Promise<PollingHandle>;
  /** re-read bot configs (after an admin edits them) */
  reload(): Promise<void>;
  /** stops background work (repeating typing indicators) and waits for callback answers in flight */
  close(): Promise<void>;
};

/** Everything the platform needs for Telegram: routes, the channel port, the managers' notifier, polling. */
export async function createTelegram(opts: TelegramOptions): Promise<Telegram> {
  const registry = new BotRegistry({
    source: opts.source,
    log: opts.log,
    ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}),
    ...(opts.defaultWebhookSecret ? { defaultWebhookSecret: opts.defaultWebhookSecret } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
  await registry.load();
  // identities load in the background: a Bot API outage must not stop the server from starting
  void registry.init();
  const host = new TelegramHost({
    registry,
    runtime: opts.runtime,
    log: opts.log,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const channel = new TelegramChannel({
    registry,
    log: opts.log,
    ...(opts.publicBaseUrl ? { publicBaseUrl: opts.publicBaseUrl } : {}),
    ...(opts.readLocalMedia ? { readLocalMedia: opts.readLocalMedia } : {}),
  });
  return {
    registry,
    host,
    channel,
    notifier: new TelegramManagerNotifier(registry, opts.log),
    routes: telegramWebhookRoutes(host, { log: opts.log }),
    onManagerAction: (listener) => host.onManagerAction(listener),
    startPolling: () => startTelegramPolling(host, opts.log),
    reload: () => registry.load(),
    async close() {
      channel.close();
      await host.settled();
    },
  };
}
