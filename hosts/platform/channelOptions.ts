import type { OpenedDatabase } from '../../storage/db/open.ts';
import { createProactiveSendQueue } from '../../storage/queue/index.ts';
import type { SecretBox } from '../../storage/secrets.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { AnalyticsPort, Logger } from '../runtime/ports.ts';
import type { TelegramHostOptions } from '../telegram/index.ts';
import {
  rateLimitedThrottle,
  stateSentBatchStore,
  stateWindowStore,
  type WhatsAppHostOptions,
} from '../whatsapp/index.ts';
import type { CityDirectory } from './cities.ts';
import type { PlatformConfig } from './config.ts';
import { readLocalMedia } from './media.ts';
import type { PlaceholderPictures } from './placeholder.ts';
import { telegramBots, whatsappNumbers } from './sources.ts';

/** What the channels' options are made from. */
export type ChannelParts = {
  config: PlatformConfig;
  db: OpenedDatabase['db'];
  state: StateBackend;
  cities: CityDirectory;
  clock: () => Date;
  log: Logger;
};

/** Telegram: the city bots from the environment and bot configs; product pictures from our own /media. */
export function telegramOptions(
  p: ChannelParts,
  secrets: SecretBox,
  pictures: PlaceholderPictures,
): TelegramHostOptions {
  const { config, db } = p;
  return {
    source: telegramBots(db, p.cities, config, secrets),
    log: p.log,
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    ...(config.telegram.webhookSecret ? { defaultWebhookSecret: config.telegram.webhookSecret } : {}),
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
    readLocalMedia: (path) => readLocalMedia(db, path, pictures),
    clock: p.clock,
  };
}

/**
 * WhatsApp when WHATSAPP_TOKEN is set (the configuration then has the app secret and verify token
 * too): its proactive-send queue, sends paced per number across replicas, late 131047s remembered
 * in shared state. The host owns the queue and closes it.
 */
export async function whatsappOptions(
  p: ChannelParts,
  analytics: AnalyticsPort,
  keyPrefix: string | undefined,
): Promise<WhatsAppHostOptions | undefined> {
  const { config, state } = p;
  const { token, appSecret, verifyToken } = config.whatsapp;
  if (!token || !appSecret || !verifyToken) return undefined;
  const queue = await createProactiveSendQueue(
    config.redisUrl
      ? { redisUrl: config.redisUrl, ...(keyPrefix ? { keyPrefix } : {}) }
      : { db: p.db, ...(keyPrefix ? { namespace: keyPrefix } : {}) },
  );
  const publicBaseUrl = config.publicBaseUrl;
  return {
    token,
    appSecret,
    verifyToken,
    ...(config.whatsapp.apiBase ? { apiBase: config.whatsapp.apiBase } : {}),
    apiVersion: config.whatsapp.apiVersion,
    numbers: whatsappNumbers(p.db, p.cities, config),
    window: stateWindowStore(state.snapshots),
    // a late 131047 status may reach any replica: proactive batches are remembered in shared state
    sent: stateSentBatchStore(state.snapshots),
    queue,
    // paces every message at the number's limit across replicas; the queue paces batches
    throttle: rateLimitedThrottle(state.rateLimiter),
    analytics,
    // WhatsApp fetches images itself: public PNG links only (the demo's SVGs have PNG twins)
    ...(publicBaseUrl
      ? { mediaUrl: (url: string) => (url.startsWith('/') ? `${publicBaseUrl}${url.replace(/\.svg$/, '.png')}` : url) }
      : {}),
    clock: p.clock,
    log: p.log,
  };
}
