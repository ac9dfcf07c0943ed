import * as v from 'valibot';
import { listAudit } from '../store/audit.ts';
import { paged, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { route, type Route } from '../http/route.ts';
import { Paging, qDate, qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';

const Query = v.object({
  user: v.optional(v.pipe(v.string(), v.uuid('user is a user id'))),
  entity: qText(40),
  entityId: qText(200),
  action: qText(60),
  from: qDate(),
  to: qDate(),
  ...Paging,
});

export function auditRoutes(api: Api): Route[] {
  return [
    route({
      method: 'get',
      path: '/audit',
      roles: ROLE_SETS.admins,
      tag: 'audit',
      summary: 'Audit log: who changed what, with before/after, newest first',
      query: Query,
      response: paged(ref('AuditEntry')),
      handler: async (c, { query }) => {
        const limit = query.limit ?? 50;
        const offset = query.offset ?? 0;
        const page = await listAudit(
          api.db,
          {
            ...(query.user ? { userId: query.user } : {}),
            ...(query.entity ? { entity: query.entity } : {}),
            ...(query.entityId ? { entityId: query.entityId } : {}),
            ...(query.action ? { action: query.action } : {}),
            ...(query.from ? { from: query.from } : {}),
            ...(query.to ? { to: query.to } : {}),
          },
          { limit, offset },
        );
        return c.json({ ...page, limit, offset });
      },
    }),
  ];
}
