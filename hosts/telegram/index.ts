export { adaptUpdate, telegramCommand, type AdaptContext, type Adapted } from './inbound.ts';
export { createTelegramHost, type TelegramHost, type TelegramHostOptions } from './host.ts';
export { TelegramChannel, type LocalMedia, type TelegramChannelOptions } from './send.ts';
export {
  MediaTooLargeError,
  MediaUnavailableError,
  TelegramDeliveryError,
  UnknownCityError,
  TELEGRAM_DOWNLOAD_LIMIT,
} from './errors.ts';
export { formatTag, parseTag, parseChatRef } from './escalationTag.ts';
export { TelegramIntake, type ManagerAction, type RuntimeIntake, type UpdateOutcome } from './intake.ts';
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
export { render, type PhotoSource, type Step } from './render.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export { telegramRoutes, SECRET_HEADER, MAX_UPDATE_BYTES } from './routes.ts';
export {
  setWebhooks,
  deleteWebhooks,
  webhookInfo,
  syncCityWebhook,
  type CityBotChange,
  type WebhookReport,
} from './webhookAdmin.ts';
