import type { Hono } from 'hono';
import type { ChannelHost } from '../channel/host.ts';
import type { Logger } from '../runtime/ports.ts';
import { TelegramIntake, type ManagerAction, type RuntimeIntake } from './intake.ts';
import { TelegramManagerNotifier } from './managers.ts';
import type { LocalMedia } from './photos.ts';
import { startTelegramPolling, type PollingHandle } from './polling.ts';
import { BotRegistry, type TelegramBotSource } from './registry.ts';
import type { RetryPolicy } from './retry.ts';
import { telegramRoutes } from './routes.ts';
import { TelegramChannel } from './send.ts';

export type TelegramHostOptions = {
  source: TelegramBotSource;
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

export type TelegramHost = ChannelHost & {
  readonly channel: 'telegram';
  readonly port: TelegramChannel;
  /** `POST /webhooks/telegram/:city` */
  readonly routes: Hono;
  readonly registry: BotRegistry;
  /** updates from the webhook and from long polling alike */
  readonly intake: TelegramIntake;
  /** for the escalation service: notifyManagers / forwardShopperMessage */
  readonly notifier: TelegramManagerNotifier;
  onManagerAction(listener: (action: ManagerAction) => Promise<void> | void): () => void;
  /** long polling for every city (local development without a public URL) */
  startPolling(): Promise<PollingHandle>;
  /** re-read bot configs (after an admin edits them) */
  reload(): Promise<void>;
};

/** Telegram around a running runtime: one bot per city, its webhook, its ChannelPort, the managers' chat. */
export async function createTelegramHost(runtime: RuntimeIntake, opts: TelegramHostOptions): Promise<TelegramHost> {
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
  const intake = new TelegramIntake({
    registry,
    runtime,
    log: opts.log,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const port = new TelegramChannel({
    registry,
    log: opts.log,
    ...(opts.publicBaseUrl ? { publicBaseUrl: opts.publicBaseUrl } : {}),
    ...(opts.readLocalMedia ? { readLocalMedia: opts.readLocalMedia } : {}),
  });
  return {
    channel: 'telegram',
    port,
    routes: telegramRoutes(intake, { log: opts.log }),
    registry,
    intake,
    notifier: new TelegramManagerNotifier(registry, opts.log),
    onManagerAction: (listener) => intake.onManagerAction(listener),
    startPolling: () => startTelegramPolling(intake, opts.log),
    reload: () => registry.load(),
    // stops repeating typing indicators and waits for callback answers in flight
    async close() {
      port.close();
      await intake.settled();
    },
  };
}
