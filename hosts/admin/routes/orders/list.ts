import * as v from 'valibot';
import { getOrder, listOrders, ORDER_STATUSES } from '../../../../storage/orders/index.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import type { Api } from '../../http/context.ts';
import { obj, paged, ref } from '../../http/docs.ts';
import { notFound } from '../../http/errors.ts';
import { param, route, type Route } from '../../http/route.ts';
import { Paging, qBool, qDate, qText } from '../../http/validate.ts';
import { requireCity } from '../lookup.ts';
import { orderDetailView, orderView } from './view.ts';

const ListQuery = v.object({
  city: qText(64),
  status: v.optional(v.picklist(ORDER_STATUSES, `status is one of ${ORDER_STATUSES.join(', ')}`)),
  from: qDate(),
  to: qDate(),
  test: qBool(),
  ...Paging,
});

export function orderListRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/orders',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: 'Orders, newest first, with their lines, customer and payments',
      description:
        '`city` is a city id or slug; `from` (inclusive) and `to` (exclusive) bound the creation time. Totals are computed by the server from the lines. ' +
        '`test: true` marks a test order, placed by staff in the playground or with an API token (no payment, CRM or 1C); `test=true` lists only those, `test=false` only shoppers’.',
      query: ListQuery,
      response: paged(ref('Order')),
      handler: async (c, { query }) => {
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const limit = query.limit ?? 50;
        const offset = query.offset ?? 0;
        const page = await listOrders(
          db,
          {
            ...(city ? { cityId: city.id } : {}),
            ...(query.status ? { status: query.status } : {}),
            ...(query.from ? { from: query.from } : {}),
            ...(query.to ? { to: query.to } : {}),
            ...(query.test !== undefined ? { test: query.test } : {}),
          },
          { limit, offset },
        );
        return c.json({ items: page.items.map(orderView), total: page.total, limit, offset });
      },
    }),
    route({
      method: 'get',
      path: '/orders/:id',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: 'One order with its history (who changed its status, when) and payments',
      response: obj({ order: ref('OrderDetail') }),
      errors: { 404: 'no such order' },
      handler: async (c) => {
        const order = await getOrder(db, param(c, 'id'));
        if (!order) throw notFound('order');
        return c.json({ order: orderDetailView(order) });
      },
    }),
  ];
}
