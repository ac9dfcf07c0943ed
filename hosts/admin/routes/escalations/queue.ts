import * as v from 'valibot';
import { getEscalation, listEscalations, openEscalationFor } from '../../../../storage/repos/escalations.ts';
import { shopperHasWritten } from '../../../../storage/repos/messages.ts';
import { unprocessable } from '../../http/errors.ts';
import { obj, paged, ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { route, type Route } from '../../http/route.ts';
import { Paging, qPicklist, qText } from '../../http/validate.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { requireCity } from '../lookup.ts';

const ListQuery = v.object({
  status: qPicklist(['pending', 'in_progress', 'resolved'] as const),
  city: qText(64),
  assigned: v.optional(v.union([v.literal('me'), v.pipe(v.string(), v.uuid('assigned is "me" or a user id'))])),
  ...Paging,
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

/** The managers' queue: escalations by status, and opening one for a shopper from an integration. */
export function escalationQueueRoutes(api: Api): Route[] {
  const { db } = api;
  const service = api.deps.escalations;
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
  ];
}
