import type * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { AnalyticsPort, Logger } from '../runtime/ports.ts';
import type { EnvelopeSchema, Status } from './envelope.ts';
import { toShopperEvent } from './inbound.ts';
import type { NumberDirectory } from './numbers.ts';
import type { CustomerWindowStore } from './window.ts';

/**
 * One verified webhook delivery → runtime input: each message of a known business number becomes
 * an engine event accepted into the inbox under its wamid (Meta redelivers for days and may repeat
 * a message inside one POST), the 24-hour window is touched, and delivery statuses are recorded.
 */

export type WhatsAppIntakeOptions = {
  numbers: NumberDirectory;
  runtime: {
    accept(address: ConversationAddress, messageId: string, event: ShopperEvent): Promise<'accepted' | 'duplicate'>;
  };
  window: CustomerWindowStore;
  /** every accepted inbound message id (the channel's typing indicator) */
  onInbound?: (address: ConversationAddress, wamid: string) => void;
  /** delivery statuses of our messages (the channel's 131047 fallback) */
  onStatus?: (status: Status, address: ConversationAddress) => Promise<void>;
  analytics?: AnalyticsPort;
  clock: () => Date;
  log: Logger;
};

export async function takeEnvelope(
  envelope: v.InferOutput<typeof EnvelopeSchema>,
  o: WhatsAppIntakeOptions,
): Promise<void> {
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

async function recordStatus(status: Status, address: ConversationAddress, o: WhatsAppIntakeOptions): Promise<void> {
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
