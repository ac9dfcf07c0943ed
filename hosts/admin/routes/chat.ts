import { unavailable } from '../http/errors.ts';
import { obj } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';

/** The playground: the web channel's `POST /api/chat/:city`, behind designer-or-above auth. */
export function chatRoutes(api: Api): Route[] {
  return [
    route({
      method: 'post', path: '/chat/:city', roles: ROLE_SETS.designers, tag: 'playground',
      summary: 'Talk to a city\'s bot as a shopper would (web channel)',
      description: 'Body `{ userId, text?, choice?, image?, lang? }` (image: a data:image/… URL; lang: ru | kk | en, the language a new conversation starts in) → `{ replies: Reply[] }` where Reply is text | products | choices | image.',
      bodyKind: 'raw',
      rawBody: { 'application/json': { schema: obj({ userId: { type: 'string' }, text: { type: 'string' }, choice: { type: 'string' }, image: { type: 'string' }, messageId: { type: 'string' }, lang: { type: 'string', enum: ['ru', 'kk', 'en'] } }, ['userId']) } },
      response: obj({ replies: { type: 'array', items: { type: 'object' } } }), errors: { 404: 'unknown city', 503: 'the playground is not wired' },
      handler: async (c) => {
        const chat = api.deps.chat;
        if (!chat) throw unavailable('the playground is not available on this server');
        const url = new URL(c.req.url);
        url.pathname = `/${encodeURIComponent(param(c, 'city'))}`;
        return chat.fetch(new Request(url, { method: 'POST', headers: c.req.raw.headers, body: await c.req.arrayBuffer() }));
      },
    }),
  ];
}
