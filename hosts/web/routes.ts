import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { answerFailure } from '../channel/failure.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import type { Logger } from '../runtime/ports.ts';
import { ChatRequestSchema, toShopperEvent, UserId } from './inbound.ts';
import { isUploadRef, MAX_IMAGE_BYTES, UploadRefused, type ChatUploads, type UploadOwner } from './uploads.ts';

/**
 * The web channel's routes: the admin playground and any site widget talk to a city's bot over
 * plain HTTP. `POST /:city` answers with the replies of that turn; `POST /:city/uploads` stores a
 * photo and answers with the reference a later `image` names. A request the platform refuses
 * answers its 4xx; one that could not be taken answers by the channels' failure policy (503 while
 * the store is down).
 */

/** the part of the conversation runtime the web channel talks to: a turn answered in the response */
export type WebRuntime = Pick<ConversationRuntime, 'converse'>;

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

export type WebRoutesOptions = {
  cityExists: (slug: string) => Promise<boolean>;
  uploads: ChatUploads;
  clock?: () => Date;
  log?: Logger;
};

export function webRoutes(runtime: WebRuntime, opts: WebRoutesOptions): Hono {
  const app = new Hono();
  const clock = opts.clock ?? (() => new Date());
  app.onError((error, c) => {
    if (!(error instanceof HTTPException))
      return answerFailure(c, error, opts.log, { channel: 'web', path: c.req.path });
    return c.json(
      { error: { code: CODES[error.status] ?? 'error', message: error.message } },
      error.status as ContentfulStatusCode,
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
    if (request.image !== undefined && request.choice === undefined && request.contact === undefined) {
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
    const outcome = await runtime.converse(
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
