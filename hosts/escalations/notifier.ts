import type { Escalation } from '../../storage/repos/escalations.ts';
import type { HistoryEntry, ShopperMedia } from '../../engine/effects.ts';
import { parseConversationKey, type ConversationAddress } from '../runtime/address.ts';

/**
 * Somewhere managers hear about escalations besides the admin inbox (a Telegram managers' chat,
 * e-mail, …). The service calls every notifier; one failing does not stop the others.
 */
export interface ManagerNotifier {
  readonly name: string;
  notify(escalation: Escalation, context: { city: string; address: ConversationAddress }): Promise<unknown>;
  shopperWrote(
    escalation: Escalation,
    text: string,
    context: { city: string; address: ConversationAddress },
    media?: StoredShopperMedia,
  ): Promise<unknown>;
  /** the hand-off ended on the shopper's side (back to the bot) or by silence */
  closed(
    escalation: Escalation,
    why: 'shopper' | 'silence',
    context: { city: string; address: ConversationAddress },
  ): Promise<unknown>;
}

/** what the shopper sent, with its bytes when they were stored on arrival (a WhatsApp media id is useless elsewhere) */
export type StoredShopperMedia = ShopperMedia & { upload?: { bytes: Uint8Array; mime: string } };

/** The Telegram host's notifier, seen through our interface (kept structural so we don't import grammY). */
export type TelegramManagersLike = {
  notifyManagers(
    city: string,
    notice: {
      escalationId: string;
      shopperAddress: ConversationAddress;
      reason: string;
      history: readonly HistoryEntry[];
    },
  ): Promise<boolean>;
  forwardShopperMessage(
    city: string,
    escalationId: string,
    text: string,
    shopperAddress?: ConversationAddress,
    media?: StoredShopperMedia,
  ): Promise<boolean>;
  escalationClosed(
    city: string,
    escalationId: string,
    why: 'shopper' | 'silence',
    shopperAddress?: ConversationAddress,
  ): Promise<boolean>;
};

export function telegramManagerNotifier(telegram: TelegramManagersLike): ManagerNotifier {
  return {
    name: 'telegram',
    notify: (e, { city, address }) =>
      telegram.notifyManagers(city, {
        escalationId: e.id,
        shopperAddress: address,
        reason: e.reason ?? '',
        history: (e.conversationHistory as HistoryEntry[]).filter(isHistoryEntry),
      }),
    shopperWrote: (e, text, { city, address }, media) =>
      telegram.forwardShopperMessage(city, e.id, text, address, media),
    closed: (e, why, { city, address }) => telegram.escalationClosed(city, e.id, why, address),
  };
}

function isHistoryEntry(h: unknown): h is HistoryEntry {
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof (h as HistoryEntry).text === 'string' &&
    typeof (h as HistoryEntry).role === 'string'
  );
}

export const addressOf = (e: Escalation): ConversationAddress | undefined => parseConversationKey(e.conversationKey);
