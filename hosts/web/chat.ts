import { randomUUID } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import type { ChannelPort, Media } from '../runtime/ports.ts';

/**
 * The web channel: the admin playground and any site widget talk to a city's bot over plain HTTP.
 * `POST /api/chat/:city` answers with the replies of that turn, in the channel-neutral form of
 * engine/replies.ts.
 */

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

const ChatRequestSchema = v.pipe(
  v.object({
    userId: v.pipe(v.string(), v.trim(), v.minLength(1, 'userId is required'), v.maxLength(128)),
    messageId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
    text: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
    choice: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
    /** a data URL (`data:image/png;base64,…`) */
    image: v.optional(v.pipe(v.string(), v.startsWith('data:image/', 'image must be a data:image/… URL'), v.maxLength(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 100))),
    /** the shopper's language as the site knows it (the browser's): it decides only a new conversation's language */
    lang: v.optional(v.picklist(['ru', 'kk', 'en'], 'lang must be one of ru, kk, en')),
  }),
  v.check((r) => r.text !== undefined || r.choice !== undefined || r.image !== undefined, 'one of text, choice or image is required'),
);
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

export function toShopperEvent(request: ChatRequest, at: string): ShopperEvent {
  if (request.choice !== undefined) return { type: 'choice', id: request.choice, at };
  if (request.image !== undefined) return { type: 'image', ref: request.image, ...(request.text ? { caption: request.text } : {}), at };
  const text = request.text ?? '';
  const command = /^\/([a-z_]{1,32})(?:@\S+)?(?:\s+(.*))?$/is.exec(text.trim());
  if (command) return { type: 'command', command: command[1]!.toLowerCase(), ...(command[2] ? { args: command[2].trim() } : {}), at };
  return { type: 'text', text, at };
}

export function chatRoutes(opts: {
  runtime: ConversationRuntime;
  cityExists: (slug: string) => Promise<boolean>;
  guard?: MiddlewareHandler;
  clock?: () => Date;
}): Hono {
  const app = new Hono();
  const clock = opts.clock ?? (() => new Date());
  if (opts.guard) app.use('*', opts.guard);
  app.post('/:city', async (c) => {
    const city = c.req.param('city');
    const body = await c.req.json().catch(() => {
      throw new HTTPException(400, { message: 'body must be JSON' });
    });
    const parsed = v.safeParse(ChatRequestSchema, body);
    if (!parsed.success) throw new HTTPException(400, { message: parsed.issues.map((i) => `${v.getDotPath(i) ?? 'body'}: ${i.message}`).join('; ') });
    if (!(await opts.cityExists(city))) throw new HTTPException(404, { message: `unknown city "${city}"` });
    const address = { channel: 'web' as const, city, chatId: parsed.output.userId };
    // only staff reach this route (the playground, API tokens): their turns are test traffic
    const hint = { testTraffic: true, ...(parsed.output.lang ? { lang: parsed.output.lang } : {}) };
    const outcome = await opts.runtime.converse(address, parsed.output.messageId ?? randomUUID(), toShopperEvent(parsed.output, clock().toISOString()), hint);
    if (outcome === 'duplicate') return c.json({ replies: [], duplicate: true });
    return c.json({ replies: outcome });
  });
  return app;
}

/** Web replies travel in the HTTP response; proactive ones are only in the message log. */
export function webChannel(): ChannelPort {
  return {
    async send() {},
    async fetchMedia(_address, ref): Promise<Media> {
      const match = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is.exec(ref);
      if (!match) throw new Error('web images must be base64 data URLs');
      const bytes = Buffer.from(match[2]!, 'base64');
      if (bytes.length > MAX_IMAGE_BYTES) throw new Error('image is larger than 10 MB');
      const mime = match[1]!.toLowerCase();
      return { bytes, mime, filename: `upload.${mime.split('/')[1]}` };
    },
  };
}
