import { createHash } from 'node:crypto';
import { GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, InputMediaPhoto } from 'grammy/types';
import type { Reply } from '../../engine/replies.ts';
import { conversationKey, type ConversationAddress } from '../runtime/address.ts';
import type { ChannelPort, Logger, Media } from '../runtime/ports.ts';
import {
  MediaTooLargeError,
  MediaUnavailableError,
  TELEGRAM_DOWNLOAD_LIMIT,
  TelegramDeliveryError,
  UnknownCityError,
} from './errors.ts';
import type { InlineKeyboard } from './keyboard.ts';
import type { BotRegistry, CityBot } from './registry.ts';
import { render, type PhotoSource, type Step } from './renderer.ts';

export type LocalMedia = { bytes: Uint8Array; filename: string };

export type TelegramChannelOptions = {
  registry: BotRegistry;
  log: Logger;
  /**
   * PUBLIC_BASE_URL: relative image paths (`/media/sofa.jpg`, served by our own server) become
   * absolute URLs Telegram fetches itself. Without it, `readLocalMedia` uploads the bytes.
   */
  publicBaseUrl?: string;
  readLocalMedia?: (path: string) => Promise<LocalMedia | undefined>;
  /** bytes a shopper's file may have; Telegram's own bot download limit is 20 MB */
  maxMediaBytes?: number;
  downloadTimeoutMs?: number;
};

/** Remembered progress of a partially delivered batch, so a retried send does not repeat messages. */
const MAX_REMEMBERED = 10_000;
const TYPING_REPEAT_MS = 4_500;
const TYPING_MAX_MS = 30_000;

/** ChannelPort for Telegram: renders replies into Bot API calls and fetches shopper media. */
export class TelegramChannel implements ChannelPort {
  readonly #opts: TelegramChannelOptions;
  readonly #progress = new Map<string, number>();
  readonly #uploaded = new Map<string, string>();
  readonly #typing = new Map<string, NodeJS.Timeout>();

  constructor(opts: TelegramChannelOptions) {
    this.#opts = opts;
  }

  async send(
    address: ConversationAddress,
    replies: Reply[],
    opts: { proactive: boolean; messageId?: string },
  ): Promise<void> {
    const city = this.#opts.registry.get(address.city);
    if (!city) {
      // retrying cannot help: the city's bot is gone from the config
      this.#opts.log.error(
        { city: address.city, chatId: address.chatId },
        'telegram send skipped: no bot for this city',
      );
      return;
    }
    this.#stopTyping(conversationKey(address));
    const photos = await this.#resolvePhotos(address.city, replies);
    const { steps, dropped } = render(replies, photos);
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
            blocked ? 'shopper blocked the bot; replies dropped' : 'telegram rejected a message; skipped',
          );
          if (blocked) break;
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
    const limit = this.#opts.maxMediaBytes ?? TELEGRAM_DOWNLOAD_LIMIT;
    let file;
    try {
      file = await city.bot.api.getFile(ref);
    } catch (error) {
      if (error instanceof GrammyError && /too big/i.test(error.description))
        throw new MediaTooLargeError(undefined, limit);
      if (error instanceof GrammyError) throw new MediaUnavailableError(error.description);
      throw error;
    }
    if (file.file_size !== undefined && file.file_size > limit) throw new MediaTooLargeError(file.file_size, limit);
    if (!file.file_path) throw new MediaUnavailableError('Telegram gave no file path');
    const url = `${this.#opts.registry.apiRoot}/file/bot${city.token}/${file.file_path}`;
    const bytes = await download(url, limit, this.#opts.downloadTimeoutMs ?? 30_000);
    const filename = file.file_path.split('/').at(-1) ?? 'file';
    return { bytes, mime: mimeOf(filename), filename };
  }

  #remember(key: string, done: number) {
    if (this.#progress.size >= MAX_REMEMBERED) {
      const oldest = this.#progress.keys().next().value;
      if (oldest !== undefined) this.#progress.delete(oldest);
    }
    this.#progress.set(key, done);
  }

  async #resolvePhotos(city: string, replies: readonly Reply[]): Promise<Map<string, PhotoSource>> {
    const urls = new Set<string>();
    for (const r of replies) {
      if (r.type === 'image') urls.add(r.url);
      if (r.type === 'products') for (const item of r.items) if (item.imageUrl) urls.add(item.imageUrl);
    }
    const photos = new Map<string, PhotoSource>();
    await Promise.all(
      [...urls].map(async (url) => {
        const source = await this.#photoSource(city, url).catch((error: unknown) => {
          this.#opts.log.warn({ url, err: describe(error) }, 'product image unavailable; sent without it');
          return undefined;
        });
        if (source) photos.set(url, source);
      }),
    );
    return photos;
  }

  async #photoSource(city: string, url: string): Promise<PhotoSource | undefined> {
    // Telegram shows no SVG; our own /media/ paths can give PNG bytes instead
    const svg = /\.svg(?:$|\?)/i.test(url);
    if (/^https?:\/\//i.test(url)) return svg ? undefined : { kind: 'url', url };
    if (!url.startsWith('/')) return undefined;
    const uploaded = this.#uploaded.get(`${city}|${url}`);
    if (uploaded) return { kind: 'url', url: uploaded };
    if (this.#opts.publicBaseUrl && !svg)
      return { kind: 'url', url: `${this.#opts.publicBaseUrl.replace(/\/+$/, '')}${url}` };
    const local = await this.#opts.readLocalMedia?.(url);
    return local ? { kind: 'bytes', bytes: local.bytes, filename: local.filename, key: url } : undefined;
  }

  /** after an upload, send the file_id next time (Telegram keeps the file; no second upload) */
  #rememberUpload(city: string, photo: PhotoSource, message: unknown) {
    if (photo.kind !== 'bytes' || !photo.key) return;
    const sizes = (message as { photo?: Array<{ file_id: string }> } | undefined)?.photo;
    const fileId = sizes?.at(-1)?.file_id;
    if (!fileId) return;
    if (this.#uploaded.size >= MAX_REMEMBERED) {
      const oldest = this.#uploaded.keys().next().value;
      if (oldest !== undefined) this.#uploaded.delete(oldest);
    }
    this.#uploaded.set(`${city}|${photo.key}`, fileId);
  }

  async #execute(city: CityBot, chatId: string, step: Step): Promise<void> {
    const api = city.bot.api;
    switch (step.method) {
      case 'sendMessage':
        await api.sendMessage(chatId, step.text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markup(step.keyboard),
        });
        return;
      case 'sendPhoto':
        try {
          const sent = await api.sendPhoto(chatId, input(step.photo), {
            caption: step.caption,
            parse_mode: 'HTML',
            ...markup(step.keyboard),
          });
          this.#rememberUpload(city.city, step.photo, sent);
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
            ...markup(step.keyboard),
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
          step.media.forEach((m, i) => this.#rememberUpload(city.city, m.photo, sent[i]));
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

const markup = (keyboard: InlineKeyboard | undefined): { reply_markup?: InlineKeyboardMarkup } =>
  keyboard && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {};

const input = (photo: PhotoSource): string | InputFile =>
  photo.kind === 'url' ? photo.url : new InputFile(photo.bytes, photo.filename);

/** 4xx other than 429 will fail the same way next time; retrying would loop forever */
function isPermanent(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
}

async function download(url: string, limit: number, timeoutMs: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MediaUnavailableError(`download failed (${describe(error)})`);
  }
  if (!response.ok || !response.body) throw new MediaUnavailableError(`download answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw new MediaTooLargeError(declared, limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new MediaTooLargeError(size, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function mimeOf(filename: string): string {
  const ext = filename.split('.').at(-1)?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    oga: 'audio/ogg',
    ogg: 'audio/ogg',
    opus: 'audio/ogg',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    wav: 'audio/wav',
  };
  return types[ext] ?? 'application/octet-stream';
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
