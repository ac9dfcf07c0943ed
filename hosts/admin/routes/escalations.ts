import * as v from 'valibot';
import { streamSSE } from 'hono/streaming';
import {
  getEscalation,
  listEscalationMessages,
  listEscalations,
  openEscalationFor,
} from '../../../storage/repos/escalations.ts';
import { recentMessages, shopperHasWritten } from '../../../storage/repos/messages.ts';
import { ESCALATION_CHANNEL } from '../../escalations/events.ts';
import { EscalationError } from '../../escalations/service.ts';
import { ApiError, conflict, notFound, unprocessable } from '../http/errors.ts';
import { arr, obj, paged, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { Paging, qPicklist, qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { findUserById, toUser } from '../store/users.ts';
import { requireCity } from './lookup.ts';

const ListQuery = v.object({
  status: qPicklist(['pending', 'in_progress', 'resolved'] as const),
  city: qText(64),
  assigned: v.optional(v.union([v.literal('me'), v.pipe(v.string(), v.uuid('assigned is "me" or a user id'))])),
  ...Paging,
});
const AssignBody = v.strictObject({
  /** omit for "assign to me"; null unassigns */
  userId: v.optional(
    v.nullable(
      v.pipe(v.string(), v.uuid('userId must be a user id'), v.description('omit for "assign to me"; null unassigns')),
    ),
  ),
});
const CreateBody = v.strictObject({
  channel: v.picklist(['telegram', 'whatsapp', 'web'], 'channel is telegram, whatsapp or web'),
  city: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  chatId: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(128)),
  reason: v.optional(v.pipe(v.string(), v.maxLength(1000)), 'requested through the API'),
  history: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          role: v.picklist(['shopper', 'bot', 'manager']),
          text: v.pipe(v.string(), v.maxLength(4000)),
          at: v.pipe(v.string(), v.isoTimestamp()),
        }),
      ),
      v.maxLength(50),
    ),
    [],
  ),
});
const UpdateBody = v.pipe(
  v.strictObject({
    status: v.optional(
      v.picklist(['pending', 'in_progress', 'resolved'], 'status is pending, in_progress or resolved'),
    ),
    assignedTo: v.optional(v.nullable(v.pipe(v.string(), v.uuid('assignedTo must be a user id')))),
  }),
  v.check((b) => b.status !== undefined || b.assignedTo !== undefined, 'give status and/or assignedTo'),
);
const ReplyBody = v.strictObject({
  text: v.pipe(v.string(), v.trim(), v.minLength(1, 'text is empty'), v.maxLength(4000)),
});

function mapError(error: unknown): never {
  if (error instanceof EscalationError) {
    if (error.reason === 'not_found') throw notFound('escalation');
    if (error.reason === 'resolved') throw conflict(error.message);
    throw unprocessable('unreachable', error.message);
  }
  throw error;
}

export function escalationRoutes(api: Api): Route[] {
  const { db } = api;
  const service = api.deps.escalations;
  const requireAssignee = async (userId: string) => {
    const user = await findUserById(db, userId);
    if (!user?.is_active || !ROLE_SETS.managers.includes(user.role as 'manager')) {
      throw unprocessable('invalid_assignee', 'escalations go to active owners, admins or managers', [
        { path: 'userId', message: 'not an active manager' },
      ]);
    }
  };
  const actorOf = (user: { id: string; name: string; email: string }) => ({
    id: user.id,
    name: user.name || user.email,
  });

  return [
    route({
      method: 'get',
      path: '/escalations',
      roles: ROLE_SETS.anyone,
      tag: 'escalations',
      summary: 'Escalations by status, newest first',
      query: ListQuery,
      response: paged(ref('Escalation')),
      handler: async (c, { query }) => {
        const limit = query.limit ?? 20;
        const offset = query.offset ?? 0;
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const assignedTo = query.assigned === 'me' ? c.get('user').id : query.assigned;
        const page = await listEscalations(
          db,
          {
            ...(query.status ? { status: query.status } : {}),
            ...(city ? { cityId: city.id } : {}),
            ...(assignedTo ? { assignedTo } : {}),
          },
          { limit, offset },
        );
        return c.json({ ...page, limit, offset });
      },
    }),
    route({
      method: 'post',
      path: '/escalations',
      roles: ROLE_SETS.managers,
      tag: 'escalations',
      summary: 'Open an escalation for a shopper conversation (the bots do this themselves; for integrations)',
      description:
        "Only for a shopper who has written to that city's bot on that channel: replies go into that chat. While the conversation has an open escalation, that one is returned (200) instead of a second (201). Managers are notified as for a bot escalation.",
      body: CreateBody,
      response: obj({ escalation: ref('Escalation') }),
      responseStatus: 201,
      errors: { 404: 'unknown city', 422: "nobody has written to this city's bot from that chat" },
      handler: async (c, { body }) => {
        const city = await requireCity(db, body.city);
        const address = { channel: body.channel, city: city.slug, chatId: body.chatId };
        const conversationKey = `${address.channel}:${address.city}:${address.chatId}`;
        if (!(await shopperHasWritten(db, conversationKey))) {
          throw unprocessable(
            'unknown_shopper',
            `no shopper has written to the ${city.slug} ${body.channel} bot from chat ${body.chatId}`,
            [{ path: 'chatId', message: 'no conversation with this chat' }],
          );
        }
        const open = await openEscalationFor(db, conversationKey);
        const id = await service.open({
          address,
          conversationKey,
          reason: body.reason,
          trigger: 'request',
          history: body.history,
          idempotencyKey: `api:${conversationKey}`,
        });
        const escalation = await getEscalation(db, id);
        const created = !open || open.id !== id;
        if (created)
          await api.audit(c, { action: 'escalation.create', entity: 'escalation', entityId: id, after: escalation });
        return c.json({ escalation }, created ? 201 : 200);
      },
    }),
    route({
      method: 'get',
      path: '/escalations/stream',
      roles: ROLE_SETS.anyone,
      tag: 'escalations',
      summary: 'Live updates (Server-Sent Events)',
      description:
        'Events: `ready`, then `escalation.opened` {escalation}, `escalation.message` {escalationId, message}, `escalation.updated` {escalation}; a comment line every 15 s keeps proxies from closing the stream. The server closes the stream when the access token expires or the account is deactivated (checked with every keep-alive); reconnect with a fresh token. Browsers use EventSource with the session cookie.',
      responseContentType: 'text/event-stream',
      response: { type: 'string' },
      handler: (c) =>
        streamSSE(c, async (stream) => {
          const userId = c.get('user').id;
          const expiresAt = c.get('authExpiresAt') as number | undefined;
          const expiresAtMs =
            expiresAt !== undefined && Number.isFinite(expiresAt) ? expiresAt * 1000 : Number.POSITIVE_INFINITY;
          // a stream outlives the request that opened it: it ends when its token expires or the account is deactivated
          // the account is re-read at most once per keep-alive interval however busy the stream is
          let accountCheckedAt = performance.now();
          const stillAllowed = async () => {
            if (api.now().getTime() >= expiresAtMs) return false;
            if (performance.now() - accountCheckedAt < api.options.sseKeepAliveMs) return true;
            accountCheckedAt = performance.now();
            return Boolean((await findUserById(db, userId))?.is_active);
          };
          const queue: string[] = [];
          let wake: (() => void) | undefined;
          const unsubscribe = await api.deps.state.pubsub.subscribe(ESCALATION_CHANNEL, (message) => {
            queue.push(message);
            wake?.();
          });
          stream.onAbort(() => wake?.());
          try {
            await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: api.now().toISOString() }) });
            while (!stream.aborted && !stream.closed) {
              while (queue.length > 0) {
                const message = queue.shift()!;
                let type = 'message';
                try {
                  type = (JSON.parse(message) as { type?: string }).type ?? type;
                } catch {
                  continue;
                }
                await stream.writeSSE({ event: type, data: message });
              }
              const untilExpiry = Math.max(0, expiresAtMs - api.now().getTime());
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, Math.min(api.options.sseKeepAliveMs, untilExpiry));
                wake = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
              wake = undefined;
              if (!(await stillAllowed())) break;
              if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
            }
          } finally {
            await unsubscribe();
          }
        }),
    }),
    route({
      method: 'get',
      path: '/escalations/:id',
      roles: ROLE_SETS.anyone,
      tag: 'escalations',
      summary:
        'One escalation with the conversation history, the messages exchanged since, and the recent conversation log',
      response: obj({
        escalation: ref('Escalation'),
        messages: arr(ref('EscalationMessage')),
        conversation: arr(ref('ConversationMessage')),
        assignee: { anyOf: [ref('User'), { type: 'null' }] },
      }),
      errors: { 404: 'no such escalation' },
      handler: async (c) => {
        const escalation = await getEscalation(db, param(c, 'id'));
        if (!escalation) throw notFound('escalation');
        const [messages, conversation, assignee] = await Promise.all([
          listEscalationMessages(db, escalation.id),
          recentMessages(db, escalation.conversationKey, 50),
          escalation.assignedTo ? findUserById(db, escalation.assignedTo) : undefined,
        ]);
        return c.json({
          escalation,
          messages,
          conversation: conversation.map((m) => ({
            direction: m.direction,
            text: m.text ?? null,
            payload: m.payload ?? null,
            createdAt: m.createdAt,
          })),
          assignee: assignee ? toUser(assignee) : null,
        });
      },
    }),
    route({
      method: 'get',
      path: '/escalations/:id/messages/:messageId/media',
      roles: ROLE_SETS.anyone,
      tag: 'escalations',
      summary: 'The photo or voice note behind a shopper message (messages with `media`)',
      responseContentType: 'application/octet-stream',
      response: { type: 'string', format: 'binary' },
      errors: { 404: 'no such escalation or message, or its media is no longer kept' },
      handler: async (c) => {
        const media = await service.mediaOf(param(c, 'id'), param(c, 'messageId')).catch(mapError);
        if (!media) throw notFound('media');
        return c.body(new Uint8Array(media.bytes), 200, {
          'content-type': inlineMime(media.mime),
          'content-disposition': 'inline',
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, max-age=3600',
        });
      },
    }),
    route({
      method: 'put',
      path: '/escalations/:id',
      roles: ROLE_SETS.managers,
      tag: 'escalations',
      summary: 'Update status and/or assignee (resolving hands the conversation back to the bot)',
      body: UpdateBody,
      response: obj({ escalation: ref('Escalation') }),
      errors: { 404: 'no such escalation', 409: 'reopening a resolved escalation' },
      handler: async (c, { body }) => {
        const id = param(c, 'id');
        const before = await getEscalation(db, id);
        if (!before) throw notFound('escalation');
        if (before.status === 'resolved' && body.status && body.status !== 'resolved')
          throw conflict('a resolved escalation stays resolved; the shopper can ask for a manager again');
        if (body.assignedTo) await requireAssignee(body.assignedTo);
        if (body.assignedTo !== undefined) await service.assign(id, body.assignedTo).catch(mapError);
        if (body.status === 'resolved') await service.resolve(id, actorOf(c.get('user'))).catch(mapError);
        else if (body.status && body.status !== before.status) await service.setStatus(id, body.status).catch(mapError);
        const after = await getEscalation(db, id);
        await api.audit(c, {
          action: 'escalation.update',
          entity: 'escalation',
          entityId: id,
          before: { status: before.status, assignedTo: before.assignedTo ?? null },
          after: { status: after!.status, assignedTo: after!.assignedTo ?? null },
        });
        return c.json({ escalation: after });
      },
    }),
    route({
      method: 'post',
      path: '/escalations/:id/assign',
      roles: ROLE_SETS.managers,
      tag: 'escalations',
      summary: 'Assign to me (no userId), to a user, or unassign (null)',
      body: AssignBody,
      response: obj({ escalation: ref('Escalation') }),
      errors: { 404: 'no such escalation', 422: 'that user cannot take escalations' },
      handler: async (c, { body }) => {
        const userId = body.userId === undefined ? c.get('user').id : body.userId;
        if (userId) await requireAssignee(userId);
        const changed = await service.assign(param(c, 'id'), userId).catch(mapError);
        await api.audit(c, {
          action: 'escalation.assign',
          entity: 'escalation',
          entityId: changed.after.id,
          before: { assignedTo: changed.before.assignedTo ?? null },
          after: { assignedTo: changed.after.assignedTo ?? null },
        });
        return c.json({ escalation: changed.after });
      },
    }),
    route({
      method: 'post',
      path: '/escalations/:id/reply',
      roles: ROLE_SETS.managers,
      tag: 'escalations',
      summary: "Reply to the shopper; delivered through the conversation's own channel",
      body: ReplyBody,
      response: obj({ escalation: ref('Escalation'), message: ref('EscalationMessage') }),
      responseStatus: 201,
      errors: { 404: 'no such escalation', 409: 'already resolved' },
      handler: async (c, { body }) => {
        const result = await service.reply(param(c, 'id'), actorOf(c.get('user')), body.text).catch(mapError);
        await api.audit(c, {
          action: 'escalation.reply',
          entity: 'escalation',
          entityId: result.escalation.id,
          after: { messageId: result.message.id, text: body.text },
        });
        return c.json(result, 201);
      },
    }),
    route({
      method: 'post',
      path: '/escalations/:id/resolve',
      roles: ROLE_SETS.managers,
      tag: 'escalations',
      summary: 'Resolve: the bot takes the conversation back',
      response: obj({ escalation: ref('Escalation') }),
      errors: { 404: 'no such escalation' },
      handler: async (c) => {
        const changed = await service.resolve(param(c, 'id'), actorOf(c.get('user'))).catch(mapError);
        if (changed.before.status !== changed.after.status) {
          await api.audit(c, {
            action: 'escalation.resolve',
            entity: 'escalation',
            entityId: changed.after.id,
            before: { status: changed.before.status },
            after: { status: changed.after.status },
          });
        }
        return c.json({ escalation: changed.after });
      },
    }),
  ];
}

/** what a shopper sent is shown inline only as a plain image or audio; anything else (an SVG with script) is a download */
function inlineMime(mime: string): string {
  const base = mime.split(';')[0]!.trim().toLowerCase();
  return /^(image\/(jpeg|png|webp|gif)|audio\/[a-z0-9.+-]+)$/.test(base) ? mime : 'application/octet-stream';
}

export { ApiError };
