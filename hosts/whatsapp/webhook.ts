import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { AnalyticsPort, Logger } from '../runtime/ports.ts';
import { EnvelopeSchema, type Status } from './envelope.ts';
import { toShopperEvent } from './inbound.ts';
import type { NumberDirectory } from './numbers.ts';
import { verifySignature } from './signature.ts';
import type { CustomerWindowStore } from './window.ts';
import { readBodyLimited } from '../http/body.ts';

/**
 * `GET /webhooks/whatsapp`: Meta's subscription check. `POST /webhooks/whatsapp`: signed
 * deliveries. The raw body (≤ 1 MB) is checked against X-Hub-Signature-256 before it is parsed;
 * messages are made durable in the runtime's inbox and acknowledged at once — the turns run
 * after the 200. Meta redelivers for days and may repeat a message inside one POST: the wamid is
 * the idempotency key.
 */

export type WhatsAppWebhookOptions = {
  verifyToken: string;
  appSecret: string;
  numbers: NumberDirectory;
  runtime: {
    accept(address: ConversationAddress, messageId: string, event: ShopperEvent): Promise<'accepted' | 'duplicate'>;
  };
  window: CustomerWindowStore;
  /** the channel: its 131047 fallback gets the statuses and its typing indicator the inbound ids (unless given below) */
  channel?: { onStatus(status: Status): Promise<void>; noteInbound(address: ConversationAddress, wamid: string): void };
  /** every accepted inbound message id (the channel's typing indicator) */
  onInbound?: (address: ConversationAddress, wamid: string) => void;
  /** delivery statuses of our messages (the channel's 131047 fallback) */
  onStatus?: (status: Status, address: ConversationAddress) => Promise<void>;
  analytics?: AnalyticsPort;
  clock: () => Date;
  log: Logger;
  maxBodyBytes?: number;
  path?: string;
};

export const MAX_BODY_BYTES = 1024 * 1024;

/** compares digests, so neither the content nor the length of the verify token leaks through timing */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function createWhatsAppWebhook(options: WhatsAppWebhookOptions): Hono {
  const channel = options.channel;
  const o: WhatsAppWebhookOptions = {
    ...options,
    ...(!options.onStatus && channel ? { onStatus: (status) => channel.onStatus(status) } : {}),
    ...(!options.onInbound && channel ? { onInbound: (address, wamid) => channel.noteInbound(address, wamid) } : {}),
  };
  const app = new Hono();
  const path = o.path ?? '/webhooks/whatsapp';
  const maxBody = o.maxBodyBytes ?? MAX_BODY_BYTES;

  app.get(path, (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode === 'subscribe' && o.verifyToken && sameSecret(token, o.verifyToken)) {
      return c.text(challenge, 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    return c.text('Forbidden', 403);
  });

  app.post(path, async (c) => {
    let raw: Uint8Array | 'too-large';
    try {
      raw = await readBodyLimited(c.req.raw, maxBody);
    } catch {
      return c.text('Bad Request', 400);
    }
    if (raw === 'too-large') return c.text('Payload Too Large', 413);
    if (!verifySignature(raw, c.req.header('x-hub-signature-256'), o.appSecret)) {
      o.log.warn({ bytes: raw.byteLength }, 'whatsapp webhook: bad or missing signature');
      return c.text('Unauthorized', 401);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return c.text('Bad Request: malformed JSON', 400);
    }
    if (!json || typeof json !== 'object' || (json as { object?: unknown }).object !== 'whatsapp_business_account') {
      o.log.info(
        { object: (json as { object?: unknown } | null)?.object },
        'whatsapp webhook: not a WhatsApp Business Account event; ignored',
      );
      return c.text('ignored', 200);
    }
    const parsed = v.safeParse(EnvelopeSchema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      o.log.warn({ issue: issue?.message, path: v.getDotPath(issue!) }, 'whatsapp webhook: envelope rejected');
      return c.text(`Bad Request: ${issue?.message ?? 'invalid envelope'} at ${v.getDotPath(issue!) ?? 'root'}`, 400);
    }
    try {
      await handle(parsed.output, o);
    } catch (error) {
      // not accepted durably: a non-2xx makes Meta deliver again
      o.log.error(
        { err: error instanceof Error ? error.message : String(error) },
        'whatsapp webhook: could not accept messages',
      );
      return c.text('Service Unavailable', 503);
    }
    return c.text('EVENT_RECEIVED', 200);
  });

  return app;
}

async function handle(envelope: v.InferOutput<typeof EnvelopeSchema>, o: WhatsAppWebhookOptions): Promise<void> {
  const seen = new Set<string>();
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = change.value;
      const number = await o.numbers.byPhoneId(value.metadata.phone_number_id);
      if (!number) {
        o.log.warn(
          { phoneNumberId: value.metadata.phone_number_id },
          'whatsapp webhook: unknown business phone number; ignored',
        );
        continue;
      }
      for (const error of value.errors ?? []) {
        o.log.warn(
          { city: number.city, code: error.code, title: error.title, details: error.error_data?.details },
          'whatsapp webhook: error notification',
        );
      }
      for (const message of value.messages ?? []) {
        if (seen.has(message.id)) continue;
        seen.add(message.id);
        const address: ConversationAddress = { channel: 'whatsapp', city: number.city, chatId: message.from };
        o.onInbound?.(address, message.id);
        const sentAt = new Date(Number(message.timestamp) * 1000);
        const now = o.clock();
        const touched = o.window
          .touch(address, sentAt.getTime() > now.getTime() || Number.isNaN(sentAt.getTime()) ? now : sentAt)
          .catch((error: unknown) => {
            o.log.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'whatsapp webhook: 24-hour window not recorded',
            );
          });
        const event = toShopperEvent(message, now.toISOString());
        // the window and the inbox are independent writes: one round trip instead of two
        const [, outcome] = await Promise.all([
          touched,
          event ? o.runtime.accept(address, message.id, event) : undefined,
        ]);
        if (outcome === 'duplicate')
          o.log.info({ city: number.city, wamid: message.id }, 'whatsapp webhook: duplicate message dropped');
      }
      for (const status of value.statuses ?? []) {
        if (!status.recipient_id) continue;
        const address: ConversationAddress = { channel: 'whatsapp', city: number.city, chatId: status.recipient_id };
        await recordStatus(status, address, o).catch((error: unknown) => {
          o.log.warn(
            { err: error instanceof Error ? error.message : String(error), wamid: status.id },
            'whatsapp webhook: status not recorded',
          );
        });
      }
    }
  }
}

async function recordStatus(status: Status, address: ConversationAddress, o: WhatsAppWebhookOptions): Promise<void> {
  const error = status.errors?.[0];
  if (status.status === 'failed')
    o.log.warn(
      { city: address.city, wamid: status.id, code: error?.code, title: error?.title },
      'whatsapp: message delivery failed',
    );
  await o.analytics?.track({
    name: 'whatsapp.status',
    address,
    conversationKey: `${address.channel}:${address.city}:${address.chatId}`,
    props: {
      wamid: status.id,
      status: status.status,
      ...(error ? { errorCode: error.code, errorTitle: error.title ?? null } : {}),
      ...(status.pricing?.category ? { pricingCategory: status.pricing.category } : {}),
      ...(status.biz_opaque_callback_data ? { tag: status.biz_opaque_callback_data } : {}),
    },
    at: new Date(Number(status.timestamp) * 1000),
  });
  await o.onStatus?.(status, address);
}
