import { getEscalation, listEscalationMessages } from '../../../../storage/repos/escalations.ts';
import { recentMessages } from '../../../../storage/repos/messages.ts';
import { notFound } from '../../http/errors.ts';
import { arr, obj, ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { param, route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { findUserById, toUser } from '../../store/users.ts';
import { mapError } from './errors.ts';

/** One escalation as a manager opens it: the conversation so far, and the photos and voice notes in it. */
export function escalationViewRoutes(api: Api): Route[] {
  const { db } = api;
  const service = api.deps.escalations;
  return [
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
  ];
}

/** what a shopper sent is shown inline only as a plain image or audio; anything else (an SVG with script) is a download */
function inlineMime(mime: string): string {
  const base = mime.split(';')[0]!.trim().toLowerCase();
  return /^(image\/(jpeg|png|webp|gif)|audio\/[a-z0-9.+-]+)$/.test(base) ? mime : 'application/octet-stream';
}
