import type { Hono } from 'hono';
import type { ProactiveSendQueue } from '../../storage/queue/types.ts';
import type { ChannelHost } from '../channel/host.ts';
import type { AnalyticsPort, Logger } from '../runtime/ports.ts';
import { GraphClient, type GraphClientOptions } from './graphClient.ts';
import type { WhatsAppIntakeOptions } from './intake.ts';
import { NumberDirectory, type WhatsAppNumberSource } from './numbers.ts';
import { whatsappRoutes } from './routes.ts';
import { WhatsAppChannel, type SentEvent } from './send.ts';
import type { SentBatchStore } from './sentBatches.ts';
import type { TemplateParam } from './template.ts';
import type { SendThrottle } from './throttle.ts';
import type { CustomerWindowStore } from './window.ts';

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
  /** proactive sends wait here; the host drains it when started and closes it with itself */
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

export type WhatsAppHost = ChannelHost & {
  readonly channel: 'whatsapp';
  readonly port: WhatsAppChannel;
  /** `GET|POST /webhooks/whatsapp` */
  readonly routes: Hono;
  readonly numbers: NumberDirectory;
  readonly client: GraphClient;
  /** the proactive-send queue's sender starts (the worker role) */
  start(): Promise<void>;
  /** business numbers are read again (after an admin edits bot configs) */
  reload(): void;
};

/** WhatsApp around a running runtime: the Cloud API client, the ChannelPort, the signed webhook. */
export async function createWhatsAppHost(
  runtime: WhatsAppIntakeOptions['runtime'],
  o: WhatsAppHostOptions,
): Promise<WhatsAppHost> {
  const client = new GraphClient({
    ...o.graph,
    token: o.token,
    ...(o.apiBase ? { apiBase: o.apiBase } : {}),
    ...(o.apiVersion ? { version: o.apiVersion } : {}),
  });
  const numbers = new NumberDirectory(o.numbers);
  const port = new WhatsAppChannel({
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
  const routes = whatsappRoutes({
    verifyToken: o.verifyToken,
    appSecret: o.appSecret,
    numbers,
    runtime,
    window: o.window,
    clock: o.clock,
    log: o.log,
    ...(o.analytics ? { analytics: o.analytics } : {}),
    onStatus: (status) => port.onStatus(status),
    onInbound: (address, wamid) => port.noteInbound(address, wamid),
  });
  return {
    channel: 'whatsapp',
    port,
    routes,
    numbers,
    client,
    async start() {
      await o.queue?.start(port.queueSender());
    },
    reload: () => numbers.invalidate(),
    async close() {
      await o.queue?.close();
      await port.idle();
      await client.close();
    },
  };
}
