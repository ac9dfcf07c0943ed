import * as v from 'valibot';
import { Agent, request, type Dispatcher } from 'undici';
import type { Media } from '../runtime/ports.ts';
import {
  BACKOFF_CODES,
  GraphError,
  graphErrorFrom,
  GraphMediaError,
  GraphMediaTooLargeError,
  GraphRateLimitError,
  GraphServerError,
} from './graphErrors.ts';
import type { SendBody } from './messages.ts';

/**
 * WhatsApp Cloud API over undici's keep-alive pool (a call through the global fetch costs about
 * six times the CPU). Throughput errors (130429, 131056, 80007) and Meta-side failures are retried with
 * exponential back-off; everything else surfaces at once as a typed GraphError.
 */

export type GraphClientOptions = {
  token: string;
  /** WHATSAPP_API_BASE, default https://graph.facebook.com */
  apiBase?: string;
  /** default v21.0 */
  version?: string;
  timeoutMs?: number;
  /** retries after a rate-limit or server error (default 3) */
  maxRetries?: number;
  /** first back-off delay; doubles per retry (default 1000 ms) */
  backoffMs?: number;
  /** largest media download (default 16 MB, WhatsApp's audio/video limit) */
  maxMediaBytes?: number;
  connections?: number;
  sleep?: (ms: number) => Promise<void>;
  dispatcher?: Dispatcher;
};

export type SendResult = { wamid: string; waId: string | undefined };

const SendResponseSchema = v.object({
  messages: v.pipe(v.array(v.object({ id: v.string() })), v.minLength(1)),
  contacts: v.optional(v.array(v.object({ wa_id: v.optional(v.string()) }))),
});

const MediaInfoSchema = v.object({
  url: v.pipe(v.string(), v.url()),
  mime_type: v.string(),
  file_size: v.optional(v.union([v.number(), v.string()])),
  id: v.optional(v.string()),
});

export class GraphClient {
  readonly apiBase: string;
  readonly version: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoffMs: number;
  readonly #maxMediaBytes: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;

  constructor(opts: GraphClientOptions) {
    this.apiBase = (opts.apiBase ?? 'https://graph.facebook.com').replace(/\/+$/, '');
    this.version = opts.version ?? 'v21.0';
    this.#token = opts.token;
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.#maxRetries = opts.maxRetries ?? 3;
    this.#backoffMs = opts.backoffMs ?? 1_000;
    this.#maxMediaBytes = opts.maxMediaBytes ?? 16 * 1024 * 1024;
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#ownsDispatcher = !opts.dispatcher;
    this.#dispatcher = opts.dispatcher ?? new Agent({ connections: opts.connections ?? 64, keepAliveTimeout: 30_000 });
  }

  url(path: string): string {
    return `${this.apiBase}/${this.version}/${path.replace(/^\/+/, '')}`;
  }

  /** `POST /{phone-number-id}/messages` → the wamid of the sent message */
  async sendMessage(phoneNumberId: string, body: SendBody): Promise<SendResult> {
    const json = await this.#withRetry('send message', () =>
      this.#json('POST', this.url(`${encodeURIComponent(phoneNumberId)}/messages`), body, 'send message'),
    );
    const parsed = v.safeParse(SendResponseSchema, json);
    if (!parsed.success) throw new GraphServerError('send message: unexpected Graph response', { status: 200 });
    return { wamid: parsed.output.messages[0]!.id, waId: parsed.output.contacts?.[0]?.wa_id };
  }

  /**
   * Marks a shopper's message read (blue ticks) and, with `typing`, shows "typing…" until we
   * answer or 25 s pass. Best effort: one try, no back-off.
   */
  async markRead(phoneNumberId: string, messageId: string, typing: boolean): Promise<void> {
    await this.#json(
      'POST',
      this.url(`${encodeURIComponent(phoneNumberId)}/messages`),
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        ...(typing ? { typing_indicator: { type: 'text' } } : {}),
      },
      'mark read',
    );
  }

  /** `GET /{media-id}` then `GET url` with the bearer token. Expired ids and failed downloads → GraphMediaError. */
  async fetchMedia(mediaId: string): Promise<Media> {
    let info: v.InferOutput<typeof MediaInfoSchema>;
    try {
      const json = await this.#withRetry('media info', () =>
        this.#json('GET', this.url(encodeURIComponent(mediaId)), undefined, 'media info'),
      );
      const parsed = v.safeParse(MediaInfoSchema, json);
      if (!parsed.success) throw new GraphMediaError('media info: unexpected Graph response', { status: 200 });
      info = parsed.output;
    } catch (error) {
      throw asMediaError(error);
    }
    const declared = info.file_size === undefined ? undefined : Number(info.file_size);
    if (declared !== undefined && declared > this.#maxMediaBytes) {
      throw new GraphMediaTooLargeError(
        `media ${mediaId} is ${declared} bytes, over the ${this.#maxMediaBytes} limit`,
        { status: 200 },
      );
    }
    const bytes = await this.#download(info.url);
    return { bytes, mime: info.mime_type, filename: `${mediaId}.${extension(info.mime_type)}` };
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #download(url: string): Promise<Uint8Array> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${this.#token}`, 'user-agent': 'zeta-whatsapp/1' },
        dispatcher: this.#dispatcher,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
    } catch (error) {
      throw new GraphMediaError(`media download failed: ${describe(error)}`, { status: 0 });
    }
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      throw new GraphMediaError(`media download failed: HTTP ${res.statusCode}`, { status: res.statusCode });
    }
    const length = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > this.#maxMediaBytes) {
      await res.body.dump().catch(() => undefined);
      throw new GraphMediaTooLargeError(`media is ${length} bytes, over the ${this.#maxMediaBytes} limit`, {
        status: 200,
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.#maxMediaBytes) {
          res.body.destroy();
          throw new GraphMediaTooLargeError(`media over the ${this.#maxMediaBytes} limit`, { status: 200 });
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw asMediaError(error);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async #json(method: 'GET' | 'POST', url: string, body: unknown, what: string): Promise<unknown> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        dispatcher: this.#dispatcher,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
    } catch (error) {
      throw new GraphServerError(`${what}: ${describe(error)}`, { status: 0 });
    }
    const text = await res.body.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return json;
    throw graphErrorFrom(res.statusCode, json, what);
  }

  async #withRetry<T>(what: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const again = attempt < this.#maxRetries && shouldRetry(error);
        if (!again) throw error;
        await this.#sleep(this.#backoffMs * 2 ** attempt);
      }
    }
  }
}

function shouldRetry(error: unknown): boolean {
  if (error instanceof GraphRateLimitError) return error.code === undefined || BACKOFF_CODES.has(error.code);
  return error instanceof GraphServerError;
}

function asMediaError(error: unknown): GraphMediaError {
  if (error instanceof GraphMediaError) return error;
  if (error instanceof GraphError) {
    return new GraphMediaError(error.message, {
      status: error.status,
      code: error.code,
      subcode: error.subcode,
      fbtraceId: error.fbtraceId,
      type: error.type,
    });
  }
  return new GraphMediaError(`media: ${describe(error)}`, { status: 0 });
}

function extension(mime: string): string {
  const sub = mime.split(';')[0]!.split('/')[1] ?? 'bin';
  return sub === 'jpeg' ? 'jpg' : sub.replace(/[^a-z0-9]/gi, '') || 'bin';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
