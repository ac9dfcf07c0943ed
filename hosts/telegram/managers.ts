import { InputFile } from 'grammy';
import type { HistoryEntry, ShopperMedia } from '../../engine/effects.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import { formatTag } from './escalationTag.ts';
import type { BotRegistry } from './registry.ts';
import { CAPTION_LIMIT, MESSAGE_LIMIT, escapeHtml, truncate } from './text.ts';

export type EscalationNotice = {
  escalationId: string;
  shopperAddress: ConversationAddress;
  reason: string;
  history: readonly HistoryEntry[];
  /** how the shopper is called, when known (profile name) */
  shopperName?: string;
};

const ROLE_ICON: Record<HistoryEntry['role'], string> = { shopper: '👤', bot: '🤖', manager: '👩‍💼' };
/** what a shopper sent; `upload`: its stored bytes, for a shopper on another channel whose handle Telegram cannot use */
export type ForwardedMedia = ShopperMedia & { upload?: { bytes: Uint8Array; mime: string } };

const HISTORY_LINES = 10;
const MEDIA_ICON: Record<ShopperMedia['kind'], string> = { photo: '📷', voice: '🎤', document: '📄' };

/**
 * Posts escalations to a city's managers' chat. Each post ends with a reference line
 * (escalationTag.ts): a manager *replies* to it and the host delivers the answer to the shopper;
 * replying `/resolve` hands the conversation back to the bot. Managers in Kazakhstan read Russian.
 */
export class TelegramManagerNotifier {
  readonly #registry: BotRegistry;
  readonly #log: Logger;
  /** escalation → shopper, for forwards when the caller does not name the shopper (lost on restart; the caller can always pass it) */
  readonly #shoppers = new Map<string, ConversationAddress>();

  constructor(registry: BotRegistry, log: Logger) {
    this.#registry = registry;
    this.#log = log;
  }

  /** true when the city has a managers' chat and the notice was posted */
  async notifyManagers(city: string, notice: EscalationNotice): Promise<boolean> {
    this.#shoppers.set(notice.escalationId, notice.shopperAddress);
    const target = this.#target(city);
    if (!target) return false;
    const who = notice.shopperName ? `${notice.shopperName} · ` : '';
    const history = notice.history
      .slice(-HISTORY_LINES)
      .map((h) => `${ROLE_ICON[h.role]} ${truncate(h.text.replace(/\s+/g, ' '), 300)}`);
    const head = [
      `🆘 <b>Покупатель просит менеджера</b> · ${escapeHtml(city)}`,
      `${escapeHtml(who)}${escapeHtml(notice.shopperAddress.channel)} ${escapeHtml(notice.shopperAddress.chatId)}`,
      `Причина: ${escapeHtml(truncate(notice.reason, 300))}`,
    ];
    const foot = [
      '',
      '↩️ Ответьте на это сообщение — ответ получит покупатель. Ответ /resolve вернёт диалог боту.',
      escapeHtml(formatTag(notice.escalationId, notice.shopperAddress)),
    ];
    const body = history.length > 0 ? ['', '<b>Последние сообщения:</b>', ...history.map(escapeHtml)] : [];
    let text = [...head, ...body, ...foot].join('\n');
    if (text.length > MESSAGE_LIMIT) text = [...head, ...foot].join('\n');
    await target.bot.api.sendMessage(target.chatId, text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    return true;
  }

  /** A later shopper message while a manager has the conversation. */
  async forwardShopperMessage(
    city: string,
    escalationId: string,
    text: string,
    shopperAddress?: ConversationAddress,
    media?: ForwardedMedia,
  ): Promise<boolean> {
    const target = this.#target(city);
    if (!target) return false;
    const shopper = shopperAddress ?? this.#shoppers.get(escalationId);
    if (!shopper) {
      this.#log.warn(
        { city, escalationId },
        'forwarding a shopper message without knowing the shopper; managers cannot reply to it',
      );
    }
    // a file_id is only valid for the bot that received it: the city's bot, which also posts here
    const source = media && shopper ? mediaSource(media, shopper) : undefined;
    if (media && shopper && source) {
      const caption = [
        `👤 ${escapeHtml(truncate(media.caption ?? MEDIA_ICON[media.kind], CAPTION_LIMIT - 300))}`,
        escapeHtml(formatTag(escalationId, shopper)),
      ].join('\n');
      const options = { caption, parse_mode: 'HTML' as const };
      if (media.kind === 'photo') await target.bot.api.sendPhoto(target.chatId, source, options);
      else if (media.kind === 'voice') await target.bot.api.sendVoice(target.chatId, source, options);
      else await target.bot.api.sendDocument(target.chatId, source, options);
      return true;
    }
    const lines = [`👤 ${escapeHtml(truncate(text, MESSAGE_LIMIT - 300))}`];
    if (shopper) lines.push(escapeHtml(formatTag(escalationId, shopper)));
    await target.bot.api.sendMessage(target.chatId, lines.join('\n'), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    return true;
  }

  /** The hand-off ended without a manager closing it: the shopper went back to the bot, or nobody wrote for too long. */
  async escalationClosed(
    city: string,
    escalationId: string,
    why: 'shopper' | 'silence',
    shopperAddress?: ConversationAddress,
  ): Promise<boolean> {
    const target = this.#target(city);
    if (!target) return false;
    const shopper = shopperAddress ?? this.#shoppers.get(escalationId);
    const line =
      why === 'shopper'
        ? '↩️ Покупатель вернулся к боту — диалог закрыт.'
        : '⌛ Диалог закрыт: долго не было сообщений. Покупателю сообщили; новое обращение откроет новый диалог.';
    const lines = [line];
    if (shopper) lines.push(escapeHtml(formatTag(escalationId, shopper)));
    await target.bot.api.sendMessage(target.chatId, lines.join('\n'), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    this.#shoppers.delete(escalationId);
    return true;
  }

  #target(city: string) {
    const entry = this.#registry.get(city);
    if (!entry?.managersChatId) {
      if (entry) this.#log.info({ city }, 'no managers chat configured; escalation only in the admin inbox');
      return undefined;
    }
    return { bot: entry.bot, chatId: entry.managersChatId };
  }
}

function mediaSource(media: ForwardedMedia, shopper: ConversationAddress): string | InputFile | undefined {
  if (shopper.channel === 'telegram') return media.ref;
  if (!media.upload) return undefined;
  const extension = media.upload.mime.split(/[/;]/)[1]?.trim() || 'bin';
  return new InputFile(media.upload.bytes, `${media.kind}.${extension}`);
}
