import { createHash } from 'node:crypto';
import { GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, InputMediaPhoto, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Reply } from '../../engine/replies.ts';
import { conversationKey, type ConversationAddress } from '../runtime/address.ts';
import type { ChannelPort, Media, SendOptions } from '../runtime/ports.ts';
import { TELEGRAM_DOWNLOAD_LIMIT, TelegramBlockedError, TelegramDeliveryError, UnknownCityError } from './errors.ts';
import { fetchTelegramFile } from './media.ts';
import { TelegramPhotos, type PhotoOptions } from './photos.ts';
import type { BotRegistry, CityBot } from './registry.ts';
import { render, type PhotoSource, type Step } from './render.ts';

export type { LocalMedia } from './photos.ts';

export type TelegramChannelOptions = PhotoOptions & {
  registry: BotRegistry;
  /** bytes a shopper's file may have; Telegram's own bot download limit is 20 MB */
  maxMediaBytes?: number;
  downloadTimeoutMs?: number;
};

/** partially delivered batches remembered, so a retried send does not repeat messages */
const MAX_REMEMBERED = 10_000;
const TYPING_REPEAT_MS = 4_500;
const TYPING_MAX_MS = 30_000;

/**
 * ChannelPort for Telegram: renders replies into Bot API calls (retried by the client, see
 * retry.ts), sends them within Telegram's limits, and fetches shopper media.
 */
export class TelegramChannel implements ChannelPort {
  readonly #opts: TelegramChannelOptions;
  readonly #progress = new Map<string, number>();
  readonly #photos: TelegramPhotos;
  readonly #typing = new Map<string, NodeJS.Timeout>();
  /**
   * Chats with a phone keyboard under the input field, so the next answer removes it. Kept in
   * memory: a replica or restart that does not know leaves it in place, and since it is a
   * one-time keyboard the client has already hidden it behind its icon once it was used.
   */
  readonly #replyKeyboards = new Set<string>();

  constructor(opts: TelegramChannelOptions) {
    this.#opts = opts;
    this.#photos = new TelegramPhotos(opts);
  }

  async send(address: ConversationAddress, replies: Reply[], opts: SendOptions): Promise<void> {
    const city = this.#opts.registry.get(address.city);
    if (!city) {
      // retrying cannot help: the city's bot is gone from the config
      this.#opts.log.error(
        { city: address.city, chatId: address.chatId },
        'telegram send skipped: no bot for this city',
      );
      return;
    }
    const chat = conversationKey(address);
    this.#stopTyping(chat);
    const photos = await this.#photos.resolve(address.city, replies);
    // an alert or a manager's message is no answer to the phone question: its keyboard stays
    const removeReplyKeyboard = !opts.proactive && this.#replyKeyboards.has(chat);
    const { steps, dropped, replyKeyboard } = render(replies, photos, opts.texts, { removeReplyKeyboard });
    for (const d of dropped)
      this.#opts.log.error({ city: address.city, optionId: d.id }, `button dropped: ${d.reason}`);

    // the turn's inbox id names the batch (a retried delivery resends the same replies); without one,
    // the replies themselves do
    const batchKey = `${conversationKey(address)}|${opts.messageId ?? createHash('sha1').update(JSON.stringify(replies)).digest('base64url')}`;
    let done = this.#progress.get(batchKey) ?? 0;
    for (; done < steps.length; done++) {
      const step = steps[done]!;
      try {
        await this.#execute(city, address.chatId, step);
      } catch (error) {
        if (isPermanent(error)) {
          const blocked = error instanceof GrammyError && error.error_code === 403;
          this.#opts.log.warn(
            { city: address.city, chatId: address.chatId, method: step.method, err: describe(error) },
            blocked ? 'shopper blocked the bot; replies dead-lettered' : 'telegram rejected a message; skipped',
          );
          if (blocked) {
            this.#progress.delete(batchKey);
            throw new TelegramBlockedError(error);
          }
          continue;
        }
        this.#remember(batchKey, done);
        this.#opts.log.error(
          {
            city: address.city,
            chatId: address.chatId,
            method: step.method,
            delivered: done,
            total: steps.length,
            err: describe(error),
          },
          'telegram send failed after retries',
        );
        throw new TelegramDeliveryError(step.method, done, steps.length, error);
      }
    }
    this.#progress.delete(batchKey);
    if (replyKeyboard === 'removed') this.#replyKeyboards.delete(chat);
    if (replyKeyboard === 'shown') {
      if (this.#replyKeyboards.size >= MAX_REMEMBERED) this.#replyKeyboards.clear();
      this.#replyKeyboards.add(chat);
    }
  }

  /**
   * "typing…" while slow work runs. Telegram shows it for about 5 seconds, so it is repeated
   * until the replies go out (or 30 s have passed — OCR and model calls time out before that).
   */
  async typing(address: ConversationAddress): Promise<void> {
    const city = this.#opts.registry.get(address.city);
    if (!city) return;
    const key = conversationKey(address);
    this.#stopTyping(key);
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > TYPING_MAX_MS) return this.#stopTyping(key);
      city.bot.api.sendChatAction(address.chatId, 'typing').catch(() => this.#stopTyping(key));
    }, TYPING_REPEAT_MS);
    timer.unref();
    this.#typing.set(key, timer);
    await city.bot.api.sendChatAction(address.chatId, 'typing');
  }

  #stopTyping(key: string) {
    const timer = this.#typing.get(key);
    if (timer) clearInterval(timer);
    this.#typing.delete(key);
  }

  /** Stops repeating typing indicators (shutdown). */
  close(): void {
    for (const key of [...this.#typing.keys()]) this.#stopTyping(key);
  }

  async fetchMedia(address: ConversationAddress, ref: string): Promise<Media> {
    const city = this.#opts.registry.get(address.city);
    if (!city) throw new UnknownCityError(address.city);
    return fetchTelegramFile(city, this.#opts.registry.apiRoot, ref, {
      limit: this.#opts.maxMediaBytes ?? TELEGRAM_DOWNLOAD_LIMIT,
      timeoutMs: this.#opts.downloadTimeoutMs ?? 30_000,
    });
  }

  #remember(key: string, done: number) {
    if (this.#progress.size >= MAX_REMEMBERED) {
      const oldest = this.#progress.keys().next().value;
      if (oldest !== undefined) this.#progress.delete(oldest);
    }
    this.#progress.set(key, done);
  }

  async #execute(city: CityBot, chatId: string, step: Step): Promise<void> {
    const api = city.bot.api;
    switch (step.method) {
      case 'sendMessage':
        await api.sendMessage(chatId, step.text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markup(step),
        });
        return;
      case 'sendPhoto':
        try {
          const sent = await api.sendPhoto(chatId, input(step.photo), {
            caption: step.caption,
            parse_mode: 'HTML',
            ...markup(step),
          });
          this.#photos.remember(city.city, step.photo, sent);
        } catch (error) {
          // Telegram could not fetch or read the picture: the words and buttons still matter
          if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
          this.#opts.log.warn(
            { city: city.city, chatId, err: describe(error) },
            'photo rejected; sending the card as text',
          );
          await api.sendMessage(chatId, step.fallbackText, {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...markup(step),
          });
        }
        return;
      case 'sendMediaGroup': {
        const media: InputMediaPhoto[] = step.media.map((m) => ({
          type: 'photo',
          media: input(m.photo),
          caption: m.caption,
          parse_mode: 'HTML',
        }));
        try {
          const sent = await api.sendMediaGroup(chatId, media);
          step.media.forEach((m, i) => this.#photos.remember(city.city, m.photo, sent[i]));
        } catch (error) {
          // the list message that follows names every product; the album is a nicety
          if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
          this.#opts.log.warn(
            { city: city.city, chatId, err: describe(error) },
            'album rejected; list sent without photos',
          );
        }
        return;
      }
    }
  }
}

function markup(step: Exclude<Step, { method: 'sendMediaGroup' }>): {
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
} {
  if (step.keyboard && step.keyboard.length > 0) return { reply_markup: { inline_keyboard: step.keyboard } };
  // one-time: the client hides it once used; removed for good by the next answer (render.ts)
  if (step.replyKeyboard)
    return { reply_markup: { keyboard: step.replyKeyboard, one_time_keyboard: true, resize_keyboard: true } };
  if (step.removeKeyboard) return { reply_markup: { remove_keyboard: true } };
  return {};
}

const input = (photo: PhotoSource): string | InputFile =>
  photo.kind === 'url' ? photo.url : new InputFile(photo.bytes, photo.filename);

/** 4xx other than 429 will fail the same way next time; retrying would loop forever */
function isPermanent(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
