import * as v from 'valibot';
import { listCrmJobs, retryFailedCrmJob } from '../../../storage/crm/outbox.ts';
import { notFound } from '../http/errors.ts';
import { arr, int, obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { Paging, qPicklist } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';

/**
 * The CRM outbox as staff see it: what waits for Bitrix24, what reached it, and what Bitrix24
 * refused for good (with its reason) — and sending a refused one again once the cause is fixed.
 */
const ListQuery = v.object({
  status: qPicklist(['pending', 'delivered', 'failed'] as const),
  kind: qPicklist(['order', 'lead'] as const),
  ...Paging,
});

export function crmRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/crm/jobs',
      roles: ROLE_SETS.admins,
      tag: 'crm',
      summary: 'Orders and leads on their way to Bitrix24, by status (failed: refused, with the reason), latest first',
      description:
        'One row per order or lead. `pending` rows are retried with back-off while Bitrix24 is down or rate-limited; ' +
        '`failed` rows were refused by Bitrix24 (e.g. an unknown deal stage) and wait for POST /crm/jobs/:id/retry. ' +
        '`counts` gives the number of rows in each status.',
      query: ListQuery,
      response: obj({
        items: arr(ref('CrmJob')),
        total: int,
        limit: int,
        offset: int,
        counts: obj({ pending: int, delivered: int, failed: int }),
      }),
      handler: async (c, { query }) => {
        const limit = query.limit ?? 50;
        const offset = query.offset ?? 0;
        const page = await listCrmJobs(
          db,
          { ...(query.status ? { status: query.status } : {}), ...(query.kind ? { kind: query.kind } : {}) },
          { limit, offset },
        );
        return c.json({ ...page, limit, offset });
      },
    }),
    route({
      method: 'post',
      path: '/crm/jobs/:id/retry',
      roles: ROLE_SETS.admins,
      tag: 'crm',
      summary: 'Send a row Bitrix24 refused again (after fixing the cause, e.g. BITRIX24_DEAL_STAGES)',
      response: obj({ job: ref('CrmJob') }),
      errors: { 404: 'no such failed row' },
      handler: async (c) => {
        const job = await retryFailedCrmJob(db, param(c, 'id'), api.now());
        if (!job) throw notFound('failed CRM row');
        await api.audit(c, { action: 'crm.retry', entity: job.kind, entityId: job.entityId });
        return c.json({ job });
      },
    }),
  ];
}
