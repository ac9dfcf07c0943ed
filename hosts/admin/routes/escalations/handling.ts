import * as v from 'valibot';
import { getEscalation } from '../../../../storage/repos/escalations.ts';
import { conflict, notFound, unprocessable } from '../../http/errors.ts';
import { obj, ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { param, route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { findUserById } from '../../store/users.ts';
import { mapError } from './errors.ts';

const AssignBody = v.strictObject({
  /** omit for "assign to me"; null unassigns */
  userId: v.optional(
    v.nullable(
      v.pipe(v.string(), v.uuid('userId must be a user id'), v.description('omit for "assign to me"; null unassigns')),
    ),
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

/** A manager handling an escalation: status, assignee, replies to the shopper, resolving. */
export function escalationHandlingRoutes(api: Api): Route[] {
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
