import type { Hono } from 'hono';
import type { ProactiveSendQueue } from '../../storage/queue/types.ts';
import type { AnalyticsPort, Logger } from '../runtime/ports.ts';
import { WhatsAppChannel, type SentEvent } from './channel.ts';
import { GraphClient, type GraphClientOptions } from './graphClient.ts';
import { NumberDirectory, type WhatsAppNumberSource } from './numbers.ts';
import type { TemplateParam } from './template.ts';
import type { SendThrottle } from './throttle.ts';
import { createWhatsAppWebhook, type WhatsAppWebhookOptions } from './webhook.ts';
import type { SentBatchStore } from './sentBatches.ts';
import type { CustomerWindowStore } from './window.ts';

/**
 * Everything the platform needs for WhatsApp, in the order it needs it: the channel port first
 * (the runtime is built with it), the webhook routes once the runtime exists, the queue sender
 * once the proactive-send queue starts.
 */
export type WhatsAppHostOptions = {
  token: string;
  appSecret: string;
  verifyToken: string;
  /** WHATSAPP_API_BASE */
  apiBase?: string;
  /** default v21.0 */
  apiVersion?: string;
  numbers: WhatsAppNumberSource;
  window: CustomerWindowStore;
  /** proactive messages for a late 131047 (`stateSentBatchStore`: shared by replicas); default: this process */
  sent?: SentBatchStore;
  queue?: ProactiveSendQueue;
  throttle?: SendThrottle;
  analytics?: AnalyticsPort;
  templateParams?: TemplateParam[];
  /** public link for product images, e.g. PUBLIC_BASE_URL + path (PNG, not SVG); default: absolute URLs only */
  mediaUrl?: (url: string) => string | undefined;
  graph?: Partial<Omit<GraphClientOptions, 'token' | 'apiBase' | 'version'>>;
  onSent?: (event: SentEvent) => void;
  clock: () => Date;
  log: Logger;
};

export type WhatsAppHost = {
  channel: WhatsAppChannel;
  numbers: NumberDirectory;
  client: GraphClient;
  /** `GET|POST /webhooks/whatsapp` */
  routes(runtime: WhatsAppWebhookOptions['runtime']): Hono;
  close(): Promise<void>;
};

export function createWhatsAppHost(o: WhatsAppHostOptions): WhatsAppHost {
  const client = new GraphClient({
    ...o.graph,
    token: o.token,
    ...(o.apiBase ? { apiBase: o.apiBase } : {}),
    ...(o.apiVersion ? { version: o.apiVersion } : {}),
  });
  const numbers = new NumberDirectory(o.numbers);
  const channel = new WhatsAppChannel({
    client,
    numbers,
    window: o.window,
    clock: o.clock,
    log: o.log,
    ...(o.queue ? { queue: o.queue } : {}),
    ...(o.sent ? { sent: o.sent } : {}),
    ...(o.throttle ? { throttle: o.throttle } : {}),
    ...(o.templateParams ? { templateParams: o.templateParams } : {}),
    ...(o.mediaUrl ? { mediaUrl: o.mediaUrl } : {}),
    ...(o.onSent ? { onSent: o.onSent } : {}),
  });
  return {
    channel,
    numbers,
    client,
    routes: (runtime) =>
      createWhatsAppWebhook({
        verifyToken: o.verifyToken,
        appSecret: o.appSecret,
        numbers,
        runtime,
        window: o.window,
        clock: o.clock,
        log: o.log,
        ...(o.analytics ? { analytics: o.analytics } : {}),
        onStatus: (status) => channel.onStatus(status),
        onInbound: (address, wamid) => channel.noteInbound(address, wamid),
      }),
    close: () => client.close(),
  };
}
