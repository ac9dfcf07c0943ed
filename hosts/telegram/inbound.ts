import * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import { commandEvent, commandFromToken, parseCommand, type TextCommand } from '../channel/commands.ts';
import { TELEGRAM_DOWNLOAD_LIMIT } from './errors.ts';
import { parseTag } from './escalationTag.ts';
import { CallbackQuerySchema, MessageSchema, type TgMessage, type TgUser } from './update.ts';

/**
 * Telegram Update → engine event and chat (the conversation key's last part), or a manager's
 * action, or nothing. Pure: the webhook routes and the polling loop both call this through the
 * intake, which acts on the result (accept into the runtime, deliver a manager action, answer a
 * callback query, or ignore).
 */

export type AdaptContext = {
  /** ISO time of arrival (the engine has no clock) */
  at: string;
  /** our bot's username (from getMe): `/start@other_bot` in a group is not for us */
  botUsername?: string;
  /** our bot's user id: only replies to *our* notifications count as manager answers */
  botId?: number;
  /** the city's managers' chat */
  managersChatId?: string;
};

export type Adapted =
  | { kind: 'shopper'; chatId: string; event: ShopperEvent; callbackQueryId?: string; user?: TgUser }
  | {
      kind: 'manager';
      action: 'replied' | 'resolved';
      escalationId: string;
      shopperChatId: string;
      text?: string;
      managerName?: string;
      managerId?: number;
      managersChatId: string;
      managerMessageId: number;
    }
  | { kind: 'ignored'; reason: string; callbackQueryId?: string };

/** message kinds shoppers send that the bot cannot use (a contact without a readable number among them); the engine answers them kindly */
const UNSUPPORTED_KINDS = [
  'sticker',
  'document',
  'video',
  'video_note',
  'animation',
  'contact',
  'poll',
  'dice',
  'game',
  'venue_only',
  'story',
  'paid_media',
  'checklist',
] as const;

export function adaptUpdate(update: Record<string, unknown>, ctx: AdaptContext): Adapted {
  if (update.callback_query !== undefined) return adaptCallback(update.callback_query, ctx);
  if (update.message !== undefined) {
    const parsed = v.safeParse(MessageSchema, update.message);
    if (!parsed.success) return { kind: 'ignored', reason: 'unreadable message' };
    return adaptMessage(parsed.output, ctx);
  }
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  // edits are ignored on purpose: re-running a search because of a typo fix surprises shoppers
  return { kind: 'ignored', reason: `update type ${kind}` };
}

function adaptCallback(raw: unknown, ctx: AdaptContext): Adapted {
  const parsed = v.safeParse(CallbackQuerySchema, raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    return { kind: 'ignored', reason: 'unreadable callback_query', ...(id ? { callbackQueryId: id } : {}) };
  }
  const query = parsed.output;
  const chat = query.message?.chat;
  if (chat && chat.type !== 'private')
    return { kind: 'ignored', reason: 'button in a group chat', callbackQueryId: query.id };
  if (!query.data) return { kind: 'ignored', reason: 'callback_query without data', callbackQueryId: query.id };
  return {
    kind: 'shopper',
    chatId: String(chat?.id ?? query.from.id),
    event: { type: 'choice', id: query.data.slice(0, 256), at: ctx.at },
    callbackQueryId: query.id,
    user: query.from,
  };
}

function adaptMessage(message: TgMessage, ctx: AdaptContext): Adapted {
  const chatId = String(message.chat.id);
  if (ctx.managersChatId !== undefined && chatId === ctx.managersChatId) return adaptManagerMessage(message, ctx);
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: `message in a ${message.chat.type} chat` };
  if (message.from?.is_bot) return { kind: 'ignored', reason: 'message from a bot' };
  const event = shopperEvent(message, ctx);
  if (!event) return { kind: 'ignored', reason: 'service message' };
  return { kind: 'shopper', chatId, event, ...(message.from ? { user: message.from } : {}) };
}

function shopperEvent(message: TgMessage, ctx: AdaptContext): ShopperEvent | undefined {
  const at = ctx.at;
  if (message.text !== undefined) {
    const command = telegramCommand(message, ctx.botUsername);
    if (command === 'not-for-us') return undefined;
    if (command) return commandEvent(command, at);
    return { type: 'text', text: message.text.slice(0, 20_000), at };
  }
  if (message.photo && message.photo.length > 0) {
    const largest = [...message.photo].sort((a, b) => area(b) - area(a) || (b.file_size ?? 0) - (a.file_size ?? 0))[0]!;
    return {
      type: 'image',
      ref: largest.file_id,
      ...(message.caption ? { caption: message.caption.slice(0, 20_000) } : {}),
      at,
    };
  }
  // a photo sent "as a file" keeps its full size; bots can download at most 20 MB
  if (message.document && message.document.mime_type?.toLowerCase().startsWith('image/')) {
    if ((message.document.file_size ?? 0) > TELEGRAM_DOWNLOAD_LIMIT)
      return { type: 'unsupported', kind: 'photo_too_large', ref: message.document.file_id, at };
    return {
      type: 'image',
      ref: message.document.file_id,
      ...(message.caption ? { caption: message.caption.slice(0, 20_000) } : {}),
      at,
    };
  }
  const audio = message.voice ?? message.audio;
  if (audio)
    return {
      type: 'voice',
      ref: audio.file_id,
      ...(audio.duration !== undefined ? { durationSec: audio.duration } : {}),
      at,
    };
  if (message.location)
    return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude, at };
  const contact = message.contact && contactEvent(message, at);
  if (contact) return contact;
  const kind = UNSUPPORTED_KINDS.find((k) => k in message);
  if (kind)
    return {
      type: 'unsupported',
      kind,
      ...(kind === 'document' && message.document ? { ref: message.document.file_id } : {}),
      at,
    };
  return undefined;
}

/**
 * A shared contact is the shopper's own number only when its user id is the sender's: the «📱»
 * button of a phone question shares exactly that, while a card from the address book names someone
 * else (or nobody Telegram knows). Clients send the number with or without its «+».
 */
function contactEvent(message: TgMessage, at: string): ShopperEvent | undefined {
  const raw = message.contact?.phone_number?.trim();
  if (!raw) return undefined;
  const phone = /^\d+$/.test(raw) ? `+${raw}` : raw;
  if (phone.length > 32) return undefined;
  const own = message.contact?.user_id !== undefined && message.contact.user_id === message.from?.id;
  return { type: 'contact', phone, own, at };
}

const area = (p: { width?: number | undefined; height?: number | undefined }) => (p.width ?? 0) * (p.height ?? 0);

/**
 * The shared command parser with Telegram's layers on top: a `bot_command` entity at the start marks
 * the command exactly, and `/start@other_bot` (a group with several bots) is not for us.
 */
export function telegramCommand(
  message: Pick<TgMessage, 'text' | 'entities'>,
  botUsername?: string,
): TextCommand | 'not-for-us' | undefined {
  const text = message.text ?? '';
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  // clients always send the entity; a bare leading slash-word counts too (hand-typed test updates)
  const command = entity
    ? commandFromToken(text.slice(0, entity.length), text.slice(entity.length))
    : parseCommand(text);
  if (!command) return undefined;
  if (command.mention && botUsername && command.mention.toLowerCase() !== botUsername.toLowerCase())
    return 'not-for-us';
  return command;
}

function adaptManagerMessage(message: TgMessage, ctx: AdaptContext): Adapted {
  const managersChatId = ctx.managersChatId!;
  const quoted = message.reply_to_message;
  if (!quoted) return { kind: 'ignored', reason: 'managers chat: not a reply to a notification' };
  if (ctx.botId !== undefined && quoted.from?.id !== ctx.botId)
    return { kind: 'ignored', reason: 'managers chat: reply to someone else' };
  const ref = parseTag(quoted.text ?? quoted.caption);
  if (!ref) return { kind: 'ignored', reason: 'managers chat: reply to a message without an escalation reference' };
  const text = message.text?.trim();
  if (!text) return { kind: 'ignored', reason: 'managers chat: only text is forwarded' };
  const managerName = message.from
    ? [message.from.first_name, message.from.last_name].filter(Boolean).join(' ') || undefined
    : undefined;
  const base = {
    kind: 'manager' as const,
    escalationId: ref.escalationId,
    shopperChatId: ref.shopperChatId,
    managersChatId,
    managerMessageId: message.message_id,
    ...(managerName ? { managerName } : {}),
    ...(message.from ? { managerId: message.from.id } : {}),
  };
  const command = telegramCommand(message, ctx.botUsername);
  if (command && command !== 'not-for-us' && command.command === 'resolve') return { ...base, action: 'resolved' };
  return { ...base, action: 'replied', text: text.slice(0, 20_000) };
}
