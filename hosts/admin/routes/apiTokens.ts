import * as v from 'valibot';
import { forbidden, notFound } from '../http/errors.ts';
import { arr, obj } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Ctx, type Route } from '../http/route.ts';
import { Uuid } from '../http/validate.ts';
import { mayManage, ROLE_SETS, USER_ROLES, type UserRole } from '../auth/roles.ts';
import { findApiTokenById, issueApiToken, listApiTokens, revokeApiToken, toApiToken } from '../store/apiTokens.ts';

const CreateBody = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'name is required'), v.maxLength(100)),
  role: v.picklist(USER_ROLES as [UserRole, ...UserRole[]], `must be one of ${USER_ROLES.join(', ')}`),
  /** days until the token stops working; omitted: until revoked */
  expiresInDays: v.optional(
    v.pipe(v.number('must be a number of days'), v.integer('must be whole days'), v.minValue(1), v.maxValue(3650)),
  ),
});

const TOKEN_SCHEMA = obj(
  {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    prefix: { type: 'string' },
    createdBy: { type: 'string' },
    createdByEmail: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time' },
  },
  ['id', 'name', 'role', 'prefix', 'createdAt'],
);

/** Tokens are managed by people in the panel, never by another token: a leaked token cannot mint more. */
function byPerson(c: Ctx): void {
  if (c.get('apiToken')) throw forbidden('API tokens cannot manage API tokens; log in to the panel');
}

/** Long-lived API tokens for testers and scripts (Botium, CI): made by an admin, scoped to a role, the secret shown once. */
export function apiTokenRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/api-tokens',
      roles: ROLE_SETS.admins,
      tag: 'api-tokens',
      summary: 'List API tokens (never their secrets)',
      response: obj({ items: arr(TOKEN_SCHEMA) }),
      handler: async (c) => {
        byPerson(c);
        return c.json({ items: await listApiTokens(db) });
      },
    }),
    route({
      method: 'post',
      path: '/api-tokens',
      roles: ROLE_SETS.admins,
      tag: 'api-tokens',
      summary: 'Create an API token: the secret is in this answer only',
      description:
        'Body `{ name, role, expiresInDays? }`. Use the secret as `Authorization: Bearer zeta_…`; it acts with `role` on behalf of its maker. Only its SHA-256 is stored. Admins may grant any role but owner.',
      body: CreateBody,
      responseStatus: 201,
      response: obj({ token: { type: 'string' }, apiToken: TOKEN_SCHEMA }),
      errors: { 403: 'a role above your own' },
      handler: async (c, { body }) => {
        byPerson(c);
        const actor = c.get('user');
        if (!mayManage(actor.role, body.role))
          throw forbidden(`an ${actor.role} cannot make a token with the role ${body.role}`);
        const expiresAt = body.expiresInDays
          ? new Date(api.now().getTime() + body.expiresInDays * 86_400_000)
          : undefined;
        const { token, row } = await issueApiToken(db, {
          name: body.name,
          role: body.role,
          createdBy: actor.id,
          ...(expiresAt ? { expiresAt } : {}),
        });
        const apiToken = toApiToken(row, actor.email);
        await api.audit(c, { action: 'api-token.create', entity: 'api_token', entityId: row.id, after: apiToken });
        return c.json({ token, apiToken }, 201);
      },
    }),
    route({
      method: 'delete',
      path: '/api-tokens/:id',
      roles: ROLE_SETS.admins,
      tag: 'api-tokens',
      summary: 'Revoke an API token: refused from the next request on, on every replica',
      response: obj({ apiToken: TOKEN_SCHEMA }),
      errors: { 403: "an owner's token, revoked by an admin", 404: 'no such token' },
      handler: async (c) => {
        byPerson(c);
        const id = param(c, 'id');
        const row = v.is(Uuid, id) ? await findApiTokenById(db, id) : undefined;
        if (!row) throw notFound('API token');
        if (!mayManage(c.get('user').role, row.role)) throw forbidden('only an owner revokes an owner token');
        const revoked = await revokeApiToken(db, row.id, api.now());
        const after = toApiToken(revoked ?? row);
        if (revoked)
          await api.audit(c, {
            action: 'api-token.revoke',
            entity: 'api_token',
            entityId: row.id,
            before: toApiToken(row),
            after,
          });
        return c.json({ apiToken: after });
      },
    }),
  ];
}
