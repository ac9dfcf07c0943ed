import type { OpenedDatabase } from '../../storage/db/open.ts';
import { createProactiveSendQueue, type ProactiveSendQueue } from '../../storage/queue/index.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { Logger } from '../runtime/ports.ts';
import {
  GraphClient,
  rateLimitedThrottle,
  stateSentBatchStore,
  WhatsAppChannel,
  type NumberDirectory,
  type stateWindowStore,
} from '../whatsapp/index.ts';
import type { PlatformConfig } from './config.ts';

export type WhatsAppSendingParts = {
  config: PlatformConfig;
  db: OpenedDatabase['db'];
  state: StateBackend;
  numbers: NumberDirectory;
  window: ReturnType<typeof stateWindowStore>;
  keyPrefix?: string;
  clock: () => Date;
  log: Logger;
};

/** The WhatsApp channel and its proactive send queue; the caller closes the queue. */
export async function createWhatsAppSending(
  p: WhatsAppSendingParts & { token: string },
): Promise<{ channel: WhatsAppChannel; sendQueue: ProactiveSendQueue }> {
  const { config, state } = p;
  const sendQueue = await createProactiveSendQueue(
    config.redisUrl
      ? { redisUrl: config.redisUrl, ...(p.keyPrefix ? { keyPrefix: p.keyPrefix } : {}) }
      : { db: p.db, ...(p.keyPrefix ? { namespace: p.keyPrefix } : {}) },
  );
  const channel = new WhatsAppChannel({
    client: new GraphClient({
      token: p.token,
      ...(config.whatsapp.apiBase ? { apiBase: config.whatsapp.apiBase } : {}),
      version: config.whatsapp.apiVersion,
    }),
    numbers: p.numbers,
    window: p.window,
    // a late 131047 status may reach any replica: proactive batches are remembered in shared state
    sent: stateSentBatchStore(state.snapshots),
    queue: sendQueue,
    // paces every message at the number's limit across replicas; the queue paces batches
    throttle: rateLimitedThrottle(state.rateLimiter),
    // WhatsApp fetches images itself: public PNG links only (the demo's SVGs have PNG twins)
    ...(config.publicBaseUrl
      ? {
          mediaUrl: (url: string) =>
            url.startsWith('/') ? `${config.publicBaseUrl}${url.replace(/\.svg$/, '.png')}` : url,
        }
      : {}),
    clock: p.clock,
    log: p.log,
  });
  return { channel, sendQueue };
}
