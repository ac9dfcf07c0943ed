import { unavailable } from '../http/errors.ts';
import { obj } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Ctx, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { MAX_DATA_URL_LENGTH } from '../../web/inbound.ts';
import { MAX_IMAGE_BYTES } from '../../web/uploads.ts';

/** the body limit leaves the exact size check to the web channel, which names the problem */
const SLACK = 64 * 1024;

/** The playground: the web channel's `POST /api/chat/:city`, behind designer-or-above auth. */
export function chatRoutes(api: Api): Route[] {
  const forward = async (c: Ctx, path: string) => {
    const chat = api.deps.chat;
    if (!chat) throw unavailable('the playground is not available on this server');
    const url = new URL(c.req.url);
    url.pathname = path;
    return chat.fetch(
      new Request(url, { method: 'POST', headers: c.req.raw.headers, body: await c.req.arrayBuffer() }),
    );
  };
  return [
    route({
      method: 'post',
      path: '/chat/:city',
      roles: ROLE_SETS.designers,
      tag: 'playground',
      summary: "Talk to a city's bot as a shopper would (web channel)",
      description:
        'Body `{ userId, text?, choice?, image?, contact?, lang? }` (lang: ru | kk | en, the language a new conversation starts in) → `{ replies: Reply[] }` where Reply is text | products | choices | image. ' +
        '`contact: { phone }` shares a phone number (a choices option with `request: "contact"` asks for one); the web channel cannot vouch that it is the shopper\'s own, so it never counts as such. ' +
        '`image` is a `data:image/…;base64,` URL (PNG, JPEG, GIF or WebP, at most 10 MB) or the `ref` of an upload by the same userId; ' +
        'a reference of another user is refused with 403, an expired one with 410.',
      bodyKind: 'raw',
      maxBodyBytes: MAX_DATA_URL_LENGTH + SLACK,
      rawBody: {
        'application/json': {
          schema: obj(
            {
              userId: { type: 'string' },
              text: { type: 'string' },
              choice: { type: 'string' },
              image: { type: 'string' },
              contact: obj({ phone: { type: 'string', maxLength: 32 } }, ['phone']),
              messageId: { type: 'string' },
              lang: { type: 'string', enum: ['ru', 'kk', 'en'] },
            },
            ['userId'],
          ),
        },
      },
      response: obj({ replies: { type: 'array', items: { type: 'object' } } }),
      errors: {
        403: "image: another user's upload",
        404: 'unknown city or upload',
        410: 'image: the upload has expired',
        413: 'image larger than 10 MB',
        415: 'image is not a PNG, JPEG, GIF or WebP',
        503: 'the playground is not wired',
      },
      handler: (c) => forward(c, `/${encodeURIComponent(param(c, 'city'))}`),
    }),
    route({
      method: 'post',
      path: '/chat/:city/uploads',
      roles: ROLE_SETS.designers,
      tag: 'playground',
      summary: 'Store a photo for the web chat; `image: ref` sends it',
      description:
        'Query `userId` (the chat user the photo belongs to); body: the image bytes (PNG, JPEG, GIF or WebP by content, at most 10 MB). ' +
        'Answers `{ ref, mime, size, expiresAt }`; uploads are kept for 24 hours.',
      bodyKind: 'raw',
      maxBodyBytes: MAX_IMAGE_BYTES + SLACK,
      rawBody: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      responseStatus: 201,
      response: obj(
        {
          ref: { type: 'string' },
          mime: { type: 'string' },
          size: { type: 'integer' },
          expiresAt: { type: 'string', format: 'date-time' },
        },
        ['ref', 'mime', 'size', 'expiresAt'],
      ),
      errors: {
        400: 'no userId or an empty body',
        404: 'unknown city',
        413: 'larger than 10 MB',
        415: 'not a PNG, JPEG, GIF or WebP image',
        503: 'the playground is not wired',
      },
      handler: (c) => forward(c, `/${encodeURIComponent(param(c, 'city'))}/uploads`),
    }),
  ];
}
