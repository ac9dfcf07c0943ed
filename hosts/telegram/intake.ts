import type { Lang } from '../../engine/catalog.ts';
import type { ShopperEvent, SystemEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import { adaptUpdate, type Adapted } from './inbound.ts';
import { parseChatRef } from './escalationTag.ts';
import type { BotRegistry } from './registry.ts';

/** A new conversation starts in the shopper's Telegram language when the bot speaks it. */
export function shopperLanguage(code: string | undefined): Lang | undefined {
  const base = code?.toLowerCase().split('-')[0];
  return base === 'ru' || base === 'kk' || base === 'en' ? base : undefined;
}

/** The part of the conversation runtime the Telegram host feeds (durable accept; processing is asynchronous). */
export interface RuntimeIntake {
  accept(
    address: ConversationAddress,
    messageId: string,
    event: ShopperEvent,
    hint?: { lang?: Lang },
  ): Promise<'accepted' | 'duplicate'>;
  deliver(address: ConversationAddress, messageId: string, event: SystemEvent): Promise<'accepted' | 'duplicate'>;
}

/** A manager answered or resolved an escalation in a managers' chat (the platform records it in the escalations table). */
export type ManagerAction = {
  city: string;
  escalationId: string;
  shopperAddress: ConversationAddress;
  action: 'replied' | 'resolved';
  text?: string;
  managerName?: string;
  managerTelegramId?: number;
  at: Date;
};

export type UpdateOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unknown-city';

export type TelegramIntakeOptions = {
  registry: BotRegistry;
  runtime: RuntimeIntake;
  log: Logger;
  clock?: () => Date;
};

/**
 * Turns one Update of one city's bot into runtime input. Shared by the webhook route and the
 * long-polling loop. Fast by design: adapting is pure, `accept`/`deliver` only make the message
 * durable — the turn (search, OCR, model calls) runs after the webhook has been answered.
 */
export class TelegramIntake {
  readonly registry: BotRegistry;
  readonly #opts: TelegramIntakeOptions;
  readonly #listeners = new Set<(action: ManagerAction) => Promise<void> | void>();
  readonly #background = new Set<Promise<unknown>>();

  constructor(opts: TelegramIntakeOptions) {
    this.#opts = opts;
    this.registry = opts.registry;
  }

  /** Called once per manager action that reached the shopper's conversation (not for redeliveries). */
  onManagerAction(listener: (action: ManagerAction) => Promise<void> | void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async handleUpdate(city: string, update: Record<string, unknown> & { update_id: number }): Promise<UpdateOutcome> {
    const entry = this.registry.get(city);
    if (!entry) return 'unknown-city';
    const identity = this.registry.knownIdentity(city);
    const now = (this.#opts.clock ?? (() => new Date()))();
    const adapted = adaptUpdate(update, {
      at: now.toISOString(),
      ...(identity ? { botUsername: identity.username, botId: identity.id } : {}),
      ...(entry.managersChatId ? { managersChatId: entry.managersChatId } : {}),
    });
    const callbackQueryId = adapted.kind === 'manager' ? undefined : adapted.callbackQueryId;
    try {
      return await this.#act(city, update.update_id, adapted, now);
    } finally {
      // the shopper's button stops spinning whatever happened (duplicates and errors included)
      if (callbackQueryId)
        this.#inBackground(entry.bot.api.answerCallbackQuery(callbackQueryId), city, 'answerCallbackQuery failed');
    }
  }

  async #act(city: string, updateId: number, adapted: Adapted, now: Date): Promise<UpdateOutcome> {
    const messageId = String(updateId);
    switch (adapted.kind) {
      case 'ignored':
        this.#opts.log.info({ city, updateId, reason: adapted.reason }, 'telegram update ignored');
        return 'ignored';
      case 'shopper': {
        const lang = shopperLanguage(adapted.user?.language_code);
        return this.#opts.runtime.accept(
          { channel: 'telegram', city, chatId: adapted.chatId },
          messageId,
          adapted.event,
          lang ? { lang } : {},
        );
      }
      case 'manager': {
        const shopperAddress: ConversationAddress = { city, ...parseChatRef(adapted.shopperChatId) };
        const at = now.toISOString();
        const event: SystemEvent =
          adapted.action === 'resolved'
            ? { type: 'manager.resolved', at }
            : {
                type: 'manager.replied',
                text: adapted.text ?? '',
                ...(adapted.managerName ? { managerName: adapted.managerName } : {}),
                at,
              };
        const outcome = await this.#opts.runtime.deliver(shopperAddress, `tg-mgr:${city}:${messageId}`, event);
        if (outcome === 'duplicate') return outcome;
        const action: ManagerAction = {
          city,
          escalationId: adapted.escalationId,
          shopperAddress,
          action: adapted.action,
          ...(adapted.text !== undefined && adapted.action === 'replied' ? { text: adapted.text } : {}),
          ...(adapted.managerName ? { managerName: adapted.managerName } : {}),
          ...(adapted.managerId !== undefined ? { managerTelegramId: adapted.managerId } : {}),
          at: now,
        };
        for (const listener of this.#listeners) {
          try {
            await listener(action);
          } catch (error) {
            this.#opts.log.error(
              { city, escalationId: adapted.escalationId, err: describe(error) },
              'manager action listener failed',
            );
          }
        }
        if (adapted.action === 'resolved') {
          const bot = this.registry.get(city)?.bot;
          if (bot)
            this.#inBackground(
              bot.api.sendMessage(adapted.managersChatId, '✅ Диалог возвращён боту.', {
                reply_parameters: { message_id: adapted.managerMessageId, allow_sending_without_reply: true },
              }),
              city,
              'resolve confirmation failed',
            );
        }
        return outcome;
      }
    }
  }

  #inBackground(work: Promise<unknown>, city: string, message: string) {
    const tracked = work
      .catch((error: unknown) => this.#opts.log.warn({ city, err: describe(error) }, message))
      .finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }

  /** Resolves when fire-and-forget calls (callback answers, confirmations) have finished — tests and shutdown. */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
