import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import type { ChannelPort, Logger, Media } from '../runtime/ports.ts';
import { isUnavailable } from '../runtime/turn.ts';
import { isUploadRef, MAX_IMAGE_BYTES, UploadRefused, type ChatUploads, type UploadOwner } from './uploads.ts';

/**
 * The web channel: the admin playground and any site widget talk to a city's bot over plain HTTP.
 * `POST /:city` answers with the replies of that turn; `POST /:city/uploads` stores a photo and
 * answers with the reference a later `image` names.
 */

/** base64 of the largest image, plus room for the `data:image/…;base64,` prefix */
export const MAX_DATA_URL_LENGTH = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 100;

const UserId = v.pipe(
  v.string('userId is required'),
  v.trim(),
  v.minLength(1, 'userId is required'),
  v.maxLength(128, 'userId is at most 128 characters'),
);

const ChatRequestSchema = v.pipe(
  v.object({
    userId: UserId,
    messageId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
    text: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
    choice: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
    /** a data URL (`data:image/png;base64,…`) or the `ref` of an earlier upload */
    image: v.optional(
      v.pipe(
        v.string(),
        v.check(
          (s) => s.startsWith('data:') || isUploadRef(s),
          'image must be a data:image/… URL or an upload reference (upl_…)',
        ),
        v.maxLength(MAX_DATA_URL_LENGTH, 'image is larger than 10 MB'),
      ),
    ),
    /** the shopper's language as the site knows it (the browser's): it decides only a new conversation's language */
    lang: v.optional(v.picklist(['ru', 'kk', 'en'], 'lang must be one of ru, kk, en')),
  }),
  v.check(
    (r) => r.text !== undefined || r.choice !== undefined || r.image !== undefined,
    'one of text, choice or image is required',
  ),
);
type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

function toShopperEvent(request: ChatRequest, at: string, imageRef?: string): ShopperEvent {
  if (request.choice !== undefined) return { type: 'choice', id: request.choice, at };
  if (imageRef !== undefined)
    return { type: 'image', ref: imageRef, ...(request.text ? { caption: request.text } : {}), at };
  const text = request.text ?? '';
  const command = /^\/([a-z_]{1,32})(?:@\S+)?(?:\s+(.*))?$/is.exec(text.trim());
  if (command)
    return {
      type: 'command',
      command: command[1]!.toLowerCase(),
      ...(command[2] ? { args: command[2].trim() } : {}),
      at,
    };
  return { type: 'text', text, at };
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};
const refused = (error: UploadRefused) => new HTTPException(error.status, { message: error.message });

function decodeDataUrl(dataUrl: string): Uint8Array {
  const match = /^data:[^,;]*;base64,([A-Za-z0-9+/=\s]*)$/.exec(dataUrl);
  if (!match) throw new HTTPException(400, { message: 'image: a data URL must be base64 (data:image/…;base64,…)' });
  return new Uint8Array(Buffer.from(match[1]!, 'base64'));
}

export function chatRoutes(opts: {
  runtime: ConversationRuntime;
  cityExists: (slug: string) => Promise<boolean>;
  uploads: ChatUploads;
  clock?: () => Date;
  log?: Logger;
}): Hono {
  const app = new Hono();
  const clock = opts.clock ?? (() => new Date());
  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : isUnavailable(error) ? 503 : 500;
    if (status === 500)
      opts.log?.error(
        { err: error instanceof Error ? (error.stack ?? error.message) : String(error), path: c.req.path },
        'chat request failed',
      );
    const message =
      status === 503
        ? 'storage is temporarily unavailable, retry shortly'
        : status === 500
          ? 'internal error'
          : error.message;
    return c.json(
      { error: { code: CODES[status] ?? (status === 503 ? 'unavailable' : 'error'), message } },
      status as ContentfulStatusCode,
    );
  });
  const knownCity = async (city: string) => {
    if (!(await opts.cityExists(city))) throw new HTTPException(404, { message: `unknown city "${city}"` });
  };

  app.post('/:city/uploads', async (c) => {
    const city = c.req.param('city');
    const userId = v.safeParse(UserId, c.req.query('userId') ?? '');
    if (!userId.success) throw new HTTPException(400, { message: `userId (query): ${userId.issues[0].message}` });
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > MAX_IMAGE_BYTES)
      throw new HTTPException(413, { message: `the image is larger than 10 MB (${declared} bytes)` });
    await knownCity(city);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const stored = await opts.uploads.store({ city, userId: userId.output }, bytes).catch((error: unknown) => {
      throw error instanceof UploadRefused ? refused(error) : error;
    });
    return c.json(stored, 201);
  });

  app.post('/:city', async (c) => {
    const city = c.req.param('city');
    const body = await c.req.json().catch(() => {
      throw new HTTPException(400, { message: 'body must be JSON' });
    });
    const parsed = v.safeParse(ChatRequestSchema, body);
    if (!parsed.success) {
      const tooLarge = parsed.issues.find((i) => i.message === 'image is larger than 10 MB');
      throw new HTTPException(tooLarge ? 413 : 400, {
        message: parsed.issues.map((i) => `${v.getDotPath(i) ?? 'body'}: ${i.message}`).join('; '),
      });
    }
    await knownCity(city);
    const request = parsed.output;
    const owner: UploadOwner = { city, userId: request.userId };
    let imageRef: string | undefined;
    if (request.image !== undefined && request.choice === undefined) {
      try {
        if (isUploadRef(request.image)) {
          await opts.uploads.check(owner, request.image);
          imageRef = request.image;
        } else {
          imageRef = (await opts.uploads.store(owner, decodeDataUrl(request.image))).ref;
        }
      } catch (error) {
        if (error instanceof UploadRefused)
          throw new HTTPException(error.status, { message: `image: ${error.message}` });
        throw error;
      }
    }
    const address = { channel: 'web' as const, city, chatId: request.userId };
    // only staff reach this route (the playground, API tokens): their turns are test traffic
    const hint = { testTraffic: true, ...(request.lang ? { lang: request.lang } : {}) };
    const outcome = await opts.runtime.converse(
      address,
      request.messageId ?? randomUUID(),
      toShopperEvent(request, clock().toISOString(), imageRef),
      hint,
    );
    if (outcome === 'duplicate') return c.json({ replies: [], duplicate: true });
    return c.json({ replies: outcome });
  });
  return app;
}

/** Web replies travel in the HTTP response; proactive ones are only in the message log. */
export function webChannel(uploads: ChatUploads): ChannelPort {
  return {
    async send() {},
    fetchMedia(address, ref): Promise<Media> {
      return uploads.open({ city: address.city, userId: address.chatId }, ref);
    },
  };
}
