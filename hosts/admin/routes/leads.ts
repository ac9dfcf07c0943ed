import * as v from 'valibot';
import { getLead, listLeads, markLeadDone } from '../../../storage/repos/leads.ts';
import { messagesUntil } from '../../../storage/repos/messages.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { arr, obj, paged, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { Paging, qBool, qDate, qPicklist, qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { findUserById, toUser } from '../store/users.ts';
import { requireCity } from './lookup.ts';

/**
 * Leads: what designer flows collected for the staff («Вызвать замерщика»: address, time, phone).
 * Managers list them, open one with its slots and the conversation, and mark it done.
 */
const ListQuery = v.object({
  city: qText(64),
  flow: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,64}$/, 'flow is a flow name: a-z, 0-9, _ and -'))),
  status: qPicklist(['new', 'done'] as const),
  from: qDate(),
  to: qDate(),
  includeTest: qBool(),
  ...Paging,
});

/** the conversation log shown with a lead: up to the lead, as the staff would have seen it then */
const CONVERSATION_MESSAGES = 50;

export function leadRoutes(api: Api): Route[] {
  const { db } = api;
  const markDone = (method: 'post' | 'patch') =>
    route({
      method,
      path: '/leads/:id/done',
      roles: ROLE_SETS.managers,
      tag: 'leads',
      summary: 'Mark a lead done (handled); marking a done lead again changes nothing',
      response: obj({ lead: ref('Lead') }),
      errors: { 404: 'no such lead' },
      handler: async (c) => {
        const marked = await markLeadDone(db, param(c, 'id'), c.get('user').id);
        if (!marked) throw notFound('lead');
        if (marked.changed)
          await api.audit(c, {
            action: 'lead.done',
            entity: 'lead',
            entityId: marked.after.id,
            before: { status: marked.before.status },
            after: { status: marked.after.status, doneBy: marked.after.doneBy ?? null },
          });
        return c.json({ lead: marked.after });
      },
    });
  return [
    route({
      method: 'get',
      path: '/leads',
      roles: ROLE_SETS.managers,
      tag: 'leads',
      summary: 'Leads, newest first, by city, flow, status and period',
      description:
        '`from` is inclusive, `to` exclusive (ISO dates or date-times). Leads left by staff talking to the bot ' +
        '(the playground, API tokens) are left out unless `includeTest=true`.',
      query: ListQuery,
      response: paged(ref('LeadSummary')),
      errors: { 404: 'unknown city' },
      handler: async (c, { query }) => {
        if (query.from && query.to && query.from >= query.to) throw badRequest('from must be before to');
        const limit = query.limit ?? 20;
        const offset = query.offset ?? 0;
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const page = await listLeads(
          db,
          {
            ...(city ? { cityId: city.id } : {}),
            ...(query.flow ? { flow: query.flow } : {}),
            ...(query.status ? { status: query.status } : {}),
            ...(query.from ? { from: query.from } : {}),
            ...(query.to ? { to: query.to } : {}),
            includeTest: query.includeTest === true,
          },
          { limit, offset },
        );
        return c.json({ ...page, limit, offset });
      },
    }),
    route({
      method: 'get',
      path: '/leads/:id',
      roles: ROLE_SETS.managers,
      tag: 'leads',
      summary: 'One lead: its slots, the conversation the flow saw, the conversation log up to it, who handled it',
      response: obj({
        lead: ref('Lead'),
        conversation: arr(ref('ConversationMessage')),
        doneBy: { anyOf: [ref('User'), { type: 'null' }] },
      }),
      errors: { 404: 'no such lead' },
      handler: async (c) => {
        const lead = await getLead(db, param(c, 'id'));
        if (!lead) throw notFound('lead');
        const [conversation, doneBy] = await Promise.all([
          messagesUntil(db, lead.conversationKey, new Date(lead.createdAt), CONVERSATION_MESSAGES),
          lead.doneBy ? findUserById(db, lead.doneBy) : undefined,
        ]);
        return c.json({
          lead,
          conversation: conversation.map((m) => ({
            direction: m.direction,
            text: m.text ?? null,
            payload: m.payload ?? null,
            createdAt: m.createdAt,
          })),
          doneBy: doneBy ? toUser(doneBy) : null,
        });
      },
    }),
    markDone('post'),
    markDone('patch'),
  ];
}
