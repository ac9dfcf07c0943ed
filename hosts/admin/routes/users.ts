import * as v from 'valibot';
import { sql } from 'kysely';
import { ApiError, conflict, forbidden, notFound } from '../http/errors.ts';
import { arr, obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { parseOr400, Uuid } from '../http/validate.ts';
import { mayManage, ROLE_SETS, USER_ROLES, type UserRole } from '../auth/roles.ts';
import { signInvitation } from '../auth/tokens.ts';
import { revokeAllForUser } from '../store/refreshTokens.ts';
import {
  countActiveOwners,
  findUserByEmail,
  findUserById,
  listUsers,
  patchUser,
  removeUser,
  toUser,
} from '../store/users.ts';
import { Email } from './auth.ts';

const Role = v.picklist(USER_ROLES as [UserRole, ...UserRole[]], `must be one of ${USER_ROLES.join(', ')}`);
const UserPatch = v.pipe(
  v.object({
    role: v.optional(Role),
    isActive: v.optional(v.boolean()),
    name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  }),
  v.check(
    (p) => p.role !== undefined || p.isActive !== undefined || p.name !== undefined,
    'give at least one of role, isActive, name',
  ),
);
const InvitationBody = v.object({ email: Email, role: Role });

export function userRoutes(api: Api): Route[] {
  const { db } = api;

  async function target(id: string) {
    const row = v.is(Uuid, id) ? await findUserById(db, id) : undefined;
    if (!row) throw notFound('user');
    return row;
  }

  /** the last active owner cannot be demoted, deactivated or deleted — someone must be able to manage the rest */
  async function keepAnOwner(row: { role: UserRole; is_active: boolean }, losesOwnership: boolean): Promise<void> {
    if (row.role === 'owner' && row.is_active && losesOwnership && (await countActiveOwners(db)) <= 1) {
      throw conflict('this is the last active owner; make someone else owner first');
    }
  }

  return [
    route({
      method: 'get',
      path: '/users',
      roles: ROLE_SETS.admins,
      tag: 'users',
      summary: 'List users',
      response: obj({ items: arr(ref('User')) }),
      handler: async (c) => c.json({ items: await listUsers(db) }),
    }),
    route({
      method: 'put',
      path: '/users/:id',
      roles: ROLE_SETS.admins,
      tag: 'users',
      summary: "Change a user's role, name or active flag",
      description: 'Admins manage every account except owners; only an owner grants or changes the owner role.',
      body: UserPatch,
      response: obj({ user: ref('User') }),
      errors: { 403: 'admin touching an owner', 404: 'no such user', 409: 'last owner' },
      handler: async (c, { body }) => {
        const actor = c.get('user');
        const row = await target(param(c, 'id'));
        if (!mayManage(actor.role, row.role) || (body.role && !mayManage(actor.role, body.role)))
          throw forbidden('only an owner manages owners');
        await keepAnOwner(row, (body.role !== undefined && body.role !== 'owner') || body.isActive === false);
        const before = toUser(row);
        const after = await patchUser(db, row.id, body);
        if (body.isActive === false) await revokeAllForUser(db, row.id, api.now());
        await api.audit(c, { action: 'user.update', entity: 'user', entityId: row.id, before, after });
        return c.json({ user: after });
      },
    }),
    route({
      method: 'delete',
      path: '/users/:id',
      roles: ROLE_SETS.admins,
      tag: 'users',
      summary: 'Delete a user',
      responseStatus: 204,
      errors: { 403: 'admin deleting an owner', 404: 'no such user', 409: 'yourself or the last owner' },
      handler: async (c) => {
        const actor = c.get('user');
        const row = await target(param(c, 'id'));
        if (!mayManage(actor.role, row.role)) throw forbidden('only an owner manages owners');
        if (row.id === actor.id) throw conflict('you cannot delete your own account');
        await keepAnOwner(row, true);
        await removeUser(db, row.id);
        await api.audit(c, { action: 'user.delete', entity: 'user', entityId: row.id, before: toUser(row) });
        return c.body(null, 204);
      },
    }),
    route({
      method: 'post',
      path: '/users/invitations',
      roles: ROLE_SETS.owners,
      tag: 'users',
      summary: 'Invite someone (owner only): a one-time registration token',
      description:
        'Hand the token to the invitee; they call POST /api/auth/register with it. It expires after 7 days and works once: not again after the account it created is deleted.',
      body: InvitationBody,
      responseStatus: 201,
      response: obj({
        token: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        expiresAt: { type: 'string', format: 'date-time' },
      }),
      errors: { 409: 'an account with this e-mail exists' },
      handler: async (c, { body }) => {
        if (await findUserByEmail(db, body.email)) throw conflict('an account with this e-mail exists');
        const { token, expiresAt } = await signInvitation(
          api.deps.jwtSecret,
          { email: body.email, role: body.role },
          api.now(),
          api.options.invitationTtlSeconds,
        );
        const invitation = { email: body.email, role: body.role, expiresAt: expiresAt.toISOString() };
        await api.audit(c, { action: 'user.invite', entity: 'invitation', entityId: body.email, after: invitation });
        return c.json({ token, ...invitation }, 201);
      },
    }),
    route({
      method: 'get',
      path: '/users/invitations',
      roles: ROLE_SETS.owners,
      tag: 'users',
      summary: 'Pending invitations (not yet used, not expired)',
      response: obj({
        items: arr(
          obj({
            email: { type: 'string' },
            role: { type: 'string' },
            expiresAt: { type: 'string' },
            invitedBy: { type: 'string' },
          }),
        ),
      }),
      handler: async (c) => {
        const rows = await db
          .selectFrom('audit_log')
          .leftJoin('users as inviter', 'inviter.id', 'audit_log.user_id')
          .select(['audit_log.after', 'audit_log.created_at', 'inviter.email as inviter'])
          .where('audit_log.action', '=', 'user.invite')
          .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(audit_log.entity_id))`)
          // used, even if its account was deleted since
          .where(
            sql<boolean>`NOT EXISTS (SELECT 1 FROM spent_invitations s WHERE s.email = lower(audit_log.entity_id) AND s.spent_at >= audit_log.created_at)`,
          )
          .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.action = 'user.invite.revoke'
            AND lower(r.entity_id) = lower(audit_log.entity_id) AND r.created_at >= date_trunc('second', audit_log.created_at))`)
          .orderBy('audit_log.created_at', 'desc')
          .limit(500)
          .execute();
        const now = api.now().getTime();
        const seen = new Set<string>();
        const items = rows.flatMap((r) => {
          const inv = r.after as { email: string; role: string; expiresAt: string } | null;
          if (!inv || seen.has(inv.email) || Date.parse(inv.expiresAt) <= now) return [];
          seen.add(inv.email);
          return [{ ...inv, invitedBy: r.inviter ?? '' }];
        });
        return c.json({ items });
      },
    }),
    route({
      method: 'delete',
      path: '/users/invitations/:email',
      roles: ROLE_SETS.owners,
      tag: 'users',
      summary: 'Revoke every pending invitation of an e-mail address',
      responseStatus: 204,
      handler: async (c) => {
        const email = parseOr400(Email, decodeURIComponent(param(c, 'email')), 'e-mail');
        await api.audit(c, { action: 'user.invite.revoke', entity: 'invitation', entityId: email });
        return c.body(null, 204);
      },
    }),
  ];
}

export { ApiError };
